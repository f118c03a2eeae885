#pragma once
// Loading a YAML file that a stranger may have written (mirror.yaml, a curation file sent to
// the reload endpoint). yaml-cpp builds aliases as shared nodes, so the graph it returns is small
// even when the document is a billion-laughs bomb or refers to itself; it is every walk over
// that graph (the config walkers, yaml_to_json) that explodes or recurses forever. yaml-cpp 0.7
// also never consumes a stray `,` at the top level, so LoadAll of "," yields documents forever.
// So a first pass over the parser's events proves the document is bounded before anything is
// built: at most one document, nesting at most `max_depth`, and at most `max_nodes` nodes and
// `max_scalar_bytes` of scalar text with every alias expanded; an alias to a node that is still
// open (a cycle) is refused. All failures are yaml_failure with the line, column and key path.
#include <cstddef>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace mirror::util {

struct yaml_limits {
  std::size_t max_bytes = 1u << 20;         // the file itself
  std::size_t max_depth = 64;               // nested mappings and sequences
  std::size_t max_nodes = 100'000;          // aliases expanded
  std::size_t max_scalar_bytes = 4u << 20;  // aliases expanded
};

// The document of `text` (a null node for an empty file). Throws yaml_failure for the bounds
// above and YAML::Exception for syntax errors, as `guarded` expects.
YAML::Node load_bounded(std::string_view text, const yaml_limits& limits);

}  // namespace mirror::util
