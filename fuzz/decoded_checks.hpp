#pragma once
// What every decoded entry must satisfy, whichever shape it came from (fuzz_import,
// fuzz_server_list): the stored `server` bytes are minified JSON (the tree re-emits them byte
// for byte, json/import_decoder.hpp) whose name and version are the entry's, and the identity
// passes the same checks as the sync path.
#include "fuzz_check.hpp"
#include "json/import_decoder.hpp"
#include "json/tree.hpp"

namespace mirror::fuzz {

// A small entry limit, so the fuzzers also reach the "too large" path.
inline constexpr json::decode_options decode_options{.now_us = 1'759'147'200'000'000, .max_entry_bytes = 4096};

// The last member with that key: a duplicated key reads as its last value, in the decoder as in
// Go's and JavaScript's JSON (node::find gives the first).
inline const json::node* last_member(const json::node& object, std::string_view key) {
  const json::node* found = nullptr;
  for (const auto& m : object.members())
    if (m.key == key) found = &m.value;
  return found;
}

inline void check_decoded(const json::decode_result& r, std::size_t max_entry_bytes) {
  FUZZ_CHECK(r.batch.has_value() == r.error.empty());
  if (!r.batch) return;
  for (const auto& e : r.batch->entries) {
    const auto& v = e.version;
    FUZZ_CHECK(json::validate_identity(v.name, v.version).empty());
    FUZZ_CHECK(v.server_json.size() <= max_entry_bytes);
    auto tree = json::parse_tree(v.server_json);
    FUZZ_CHECK(tree.value.has_value());
    FUZZ_CHECK(tree.value->is_object());
    FUZZ_CHECK(tree.value->to_string() == v.server_json);
    const auto* name = last_member(*tree.value, "name");
    const auto* version = last_member(*tree.value, "version");
    FUZZ_CHECK(name && name->text() == v.name);
    FUZZ_CHECK(version && version->text() == v.version);
  }
  for (const auto& err : r.batch->errors) FUZZ_CHECK(!err.reason.empty());
}

}  // namespace mirror::fuzz
