#pragma once
// A problem at a place in a file the operator wrote (mirror.yaml, the curation file), reported
// as "file:line:column: key: message" so it can be found and fixed without guessing
// (docs/design-habits.md H12). Shared by config and curation, which read YAML the same way.
#include <string>

namespace mirror::util {

struct file_error {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string key;  // dotted path, e.g. "http.read_timeout"
  std::string message;
  std::string to_string() const;  // "file:line:column: key: message"
};

}  // namespace mirror::util
