// The ordered JSON tree (json/tree) that curation edits stored server.json with.
// Properties: output is minified valid JSON that re-parses to itself; input without any
// whitespace byte comes back byte for byte (json/tree.hpp's contract); an edited object still
// serializes to valid JSON holding the new value.
#include "fuzz_check.hpp"
#include "json/tree.hpp"

using namespace mirror;

namespace {

bool has_whitespace(std::string_view s) { return s.find_first_of(" \t\n\r") != std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  auto parsed = json::parse_tree(text);
  FUZZ_CHECK(parsed.value.has_value() == parsed.error.empty());
  if (!parsed.value) return 0;

  const auto out = parsed.value->to_string();
  if (!has_whitespace(text)) FUZZ_CHECK(out == text);
  const auto again = json::parse_tree(out);
  FUZZ_CHECK(again.value && again.value->to_string() == out);

  // Edit: set a member from the input's own bytes (escaped by the writer), erase another.
  auto& root = *parsed.value;
  if (root.is_object()) {
    const std::string value(text.substr(0, 32));
    root.set("title", json::node::string(value));
    root.erase("description");
    const auto edited = json::parse_tree(root.to_string());
    FUZZ_CHECK(edited.value && edited.value->is_object());
    FUZZ_CHECK(edited.value->find("title") && edited.value->find("title")->is_string());
    FUZZ_CHECK(!edited.value->find("description"));
  }
  return 0;
}
