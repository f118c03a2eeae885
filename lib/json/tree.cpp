#include "json/tree.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <utility>

#include <simdjson.h>

#include "json/simdjson_util.hpp"
#include "json/token.hpp"
#include "json/writer.hpp"

namespace mirror::json {

node::node(kind k, std::string raw) : kind_(k), raw_(std::move(raw)) {}

node node::string(std::string_view text) {
  std::string raw;
  append_escaped(raw, text);
  return node(kind::string, std::move(raw));
}

node node::raw_scalar(kind k, std::string raw) {
  bool ok = false;
  switch (k) {
    case kind::number: ok = token::is_number(raw); break;
    case kind::boolean: ok = raw == "true" || raw == "false"; break;
    case kind::null: ok = raw == "null"; break;
    default: break;
  }
  if (!ok) throw std::invalid_argument("json::node::raw_scalar: not a valid token: " + raw);
  return node(k, std::move(raw));
}

node node::object() { return node(kind::object, {}); }
node node::array() { return node(kind::array, {}); }

std::optional<std::string> node::text() const {
  if (kind_ != kind::string) return std::nullopt;
  return token::unescape(raw_);
}

node* node::find(std::string_view key) {
  return const_cast<node*>(std::as_const(*this).find(key));
}

const node* node::find(std::string_view key) const {
  if (kind_ != kind::object) return nullptr;
  for (const member& m : members_) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

node& node::set(std::string_view key, node value) {
  if (kind_ != kind::object) *this = object();
  const std::string wanted(key);  // `key` may view a member about to move
  const auto same = [&](const member& m) { return m.key == wanted; };
  const auto first = std::find_if(members_.begin(), members_.end(), same);
  if (first == members_.end()) {
    member added{wanted, {}, std::move(value)};
    append_escaped(added.raw_key, wanted);
    members_.push_back(std::move(added));
    return members_.back().value;
  }
  const auto index = first - members_.begin();
  first->value = std::move(value);
  members_.erase(std::remove_if(first + 1, members_.end(), same), members_.end());
  return members_[static_cast<std::size_t>(index)].value;
}

bool node::erase(std::string_view key) {
  if (kind_ != kind::object) return false;
  const std::string wanted(key);
  const auto before = members_.size();
  members_.erase(std::remove_if(members_.begin(), members_.end(),
                                [&](const member& m) { return m.key == wanted; }),
                 members_.end());
  return members_.size() != before;
}

void node::append_to(std::string& out) const {
  switch (kind_) {
    case kind::object: {
      out += '{';
      bool first = true;
      for (const member& m : members_) {
        if (!first) out += ',';
        first = false;
        out += m.raw_key;
        out += ':';
        m.value.append_to(out);
      }
      out += '}';
      break;
    }
    case kind::array: {
      out += '[';
      bool first = true;
      for (const node& item : items_) {
        if (!first) out += ',';
        first = false;
        item.append_to(out);
      }
      out += ']';
      break;
    }
    default: out += raw_; break;
  }
}

std::string node::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

namespace detail {

using ondemand::json_type;

// One parse: builds nodes from On-Demand values, checking each token the way the import walk
// does (server_rewrite.cpp) and counting open containers.
class tree_parser {
 public:
  bool root(ondemand::document& doc, std::string_view input, node& out);
  std::string error;
  const char* at = nullptr;  // where, when known

 private:
  bool value(ondemand::value v, node& out);
  bool scalar(json_type t, std::string_view tok, node& out);
  bool fail(simdjson::error_code code) {
    error = describe(code);
    return false;
  }
  bool fail_token(std::string_view what, std::string_view tok) {
    error = std::string(what);
    at = tok.data();
    return false;
  }
  int depth_ = 0;
};

bool tree_parser::scalar(json_type t, std::string_view tok, node& out) {
  bool ok = false;
  node::kind k = node::kind::null;
  switch (t) {
    case json_type::string: ok = token::is_string(tok); k = node::kind::string; break;
    case json_type::number: ok = token::is_number(tok); k = node::kind::number; break;
    case json_type::boolean: ok = tok == "true" || tok == "false"; k = node::kind::boolean; break;
    case json_type::null: ok = tok == "null"; k = node::kind::null; break;
    default: break;
  }
  if (!ok) return fail_token("invalid " + std::string(type_name(t)), tok);
  out = node(k, std::string(tok));
  return true;
}

bool tree_parser::value(ondemand::value v, node& out) {
  json_type t{};
  if (auto e = v.type().get(t)) return fail(e);
  if (t != json_type::object && t != json_type::array) {
    if (!scalar(t, token::trim_right(v.raw_json_token()), out)) return false;
    if (t == json_type::string)
      if (auto e = consume_string(v)) return fail(e);
    return true;
  }
  if (depth_ >= node::max_depth) return fail(simdjson::DEPTH_ERROR);
  ++depth_;
  if (t == json_type::object) {
    out = node::object();
    ondemand::object object;
    if (auto e = v.get_object().get(object)) return fail(e);
    for (auto entry : object) {
      ondemand::field field;
      if (auto e = std::move(entry).get(field)) return fail(e);
      const char* raw = field.key().raw();  // right after the opening quote
      const std::string_view key(raw - 1, token::escaped_key_length(raw) + 2);
      if (!token::is_string(key)) return fail_token("invalid string (key)", key);
      out.members_.push_back({token::unescape(key), std::string(key), node()});
      if (!value(field.value(), out.members_.back().value)) return false;
    }
  } else {
    out = node::array();
    ondemand::array array;
    if (auto e = v.get_array().get(array)) return fail(e);
    for (auto entry : array) {
      ondemand::value item;
      if (auto e = std::move(entry).get(item)) return fail(e);
      out.items_.emplace_back();
      if (!value(item, out.items_.back())) return false;
    }
  }
  --depth_;
  return true;
}

bool tree_parser::root(ondemand::document& doc, std::string_view input, node& out) {
  json_type t{};
  if (auto e = doc.type().get(t)) return fail(e);
  if (t == json_type::object || t == json_type::array) {
    ondemand::value v;
    if (auto e = doc.get_value().get(v)) return fail(e);
    if (!value(v, out)) return false;
    const char* loc = nullptr;
    if (doc.current_location().get(loc) == simdjson::OUT_OF_BOUNDS) return true;
    at = loc;
    return fail(simdjson::TRAILING_CONTENT);
  }
  // A scalar document cannot be had as an ondemand::value (SCALAR_DOCUMENT_AS_VALUE): read its
  // token from the document, then require only whitespace after it.
  std::string_view tok;
  if (auto e = doc.raw_json_token().get(tok)) return fail(e);
  tok = token::trim_right(tok);
  if (!scalar(t, tok, out)) return false;
  const auto end = static_cast<std::size_t>(tok.data() + tok.size() - input.data());
  for (std::size_t i = end; i < input.size(); ++i) {
    const char c = input[i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      at = input.data() + i;
      return fail(simdjson::TRAILING_CONTENT);
    }
  }
  return true;
}

}  // namespace detail

parse_result parse_tree(std::string_view json) {
  try {
    const simdjson::padded_string padded(json);
    const std::string_view input(padded.data(), padded.size());
    detail::ondemand::parser parser;
    detail::ondemand::document doc;
    if (auto e = parser.iterate(padded).get(doc)) return {std::nullopt, detail::describe(e)};
    detail::tree_parser walk;
    node root;
    if (walk.root(doc, input, root)) return {std::move(root), {}};
    const char* at = walk.at;
    if (at == nullptr) {
      const char* loc = nullptr;
      if (!doc.current_location().get(loc)) at = loc;
    }
    if (at == nullptr) return {std::nullopt, std::move(walk.error)};
    return {std::nullopt, walk.error + " at byte " + std::to_string(at - input.data())};
  } catch (const std::exception& e) {  // allocation failures
    return {std::nullopt, std::string("cannot parse JSON: ") + e.what()};
  }
}

}  // namespace mirror::json
