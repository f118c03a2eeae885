#include "curation/yaml_json.hpp"

#include <map>

#include <fmt/format.h>

#include "util/yaml_fields.hpp"
#include "json/writer.hpp"

namespace mirror::curation {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  const auto digits = [&] {
    const auto start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// The JSON literal a plain scalar stands for, or "" when it is text.
std::string_view literal_of(const YAML::Node& node) {
  if (node.IsNull()) return "null";  // yaml-cpp folds plain null, Null, NULL, ~ and nothing here
  if (!node.IsScalar() || node.Tag() != "?") return "";
  const auto& text = node.Scalar();
  if (text == "true" || text == "false" || is_json_number(text)) return text;
  return "";
}

void write(json::writer& w, const YAML::Node& node, const std::string& key) {
  if (node.IsMap()) {
    util::refuse_repeated_keys(node, key);
    w.begin_object();
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) util::fail(kv.first, key, "an object key must be a string");
      w.key(kv.first.Scalar());
      write(w, kv.second, util::join_key(key, kv.first.Scalar()));
    }
    w.end_object();
  } else if (node.IsSequence()) {
    w.begin_array();
    for (std::size_t i = 0; i < node.size(); ++i) write(w, node[i], util::index_key(key, i));
    w.end_array();
  } else if (const auto literal = literal_of(node); !literal.empty()) {
    w.raw(literal);
  } else {
    w.string(node.Scalar());
  }
}

}  // namespace

std::string yaml_to_json(const YAML::Node& node, const std::string& key) {
  std::string out;
  json::writer w(out);
  write(w, node, key);
  return out;
}

bool becomes_json_string(const YAML::Node& node) {
  return node.IsScalar() && literal_of(node).empty();
}


}  // namespace mirror::curation
