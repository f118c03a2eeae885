#pragma once
// An ordered JSON tree for editing stored `server` objects. Curation rewrites a few fields
// (title, description, package identifiers, remote URLs, env var defaults...) and every other
// byte must come back exactly as stored: stored server JSON is minified and keeps the
// publisher's key order, key escapes, string escapes and number spellings (server_rewrite.hpp),
// and a generic DOM would normalize all of those.
//
// So every scalar keeps its source token (a string with its quotes and escapes, a number as
// spelled, e.g. `1E-2` or a 30-digit integer), every key its quoted spelling, and members their
// order (duplicates included). For minified input x: parse_tree(x).value->to_string() == x.
// Other input comes out minified. Edited values are written the way json::writer writes
// strings (json::append_escaped).
//
// Parsing checks every token (token.hpp), like the import walk: simdjson On-Demand alone
// accepts tokens such as `tru`. Nesting is bounded by max_depth (the parser recurses).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mirror::json {

namespace detail {
class tree_parser;
}

class node {
 public:
  enum class kind { null, boolean, number, string, array, object };
  struct member;  // {key, raw_key, value}, defined below

  // Objects and arrays nest at most this deep (a bare scalar is depth 0, `[]` depth 1).
  static constexpr int max_depth = 256;

  node() = default;  // null

  // A string holding `text`, escaped by json::append_escaped (so bytes that are not valid
  // UTF-8 become U+FFFD).
  static node string(std::string_view text);
  // A number, boolean or null spelled `raw` (e.g. "42", "true"). Throws std::invalid_argument
  // when `raw` is not a valid token of kind `k` (or `k` is not one of those kinds): the tree
  // only ever serializes valid JSON.
  static node raw_scalar(kind k, std::string raw);
  static node object();
  static node array();

  kind type() const { return kind_; }
  bool is_string() const { return kind_ == kind::string; }
  bool is_object() const { return kind_ == kind::object; }
  bool is_array() const { return kind_ == kind::array; }

  // The unescaped value of a string node (token::unescape: a lone surrogate becomes U+FFFD);
  // nullopt for any other kind.
  std::optional<std::string> text() const;
  // The scalar token as written (a string with its quotes); empty for arrays and objects.
  const std::string& raw() const { return raw_; }

  // Objects (on another kind: find gives nullptr, set/erase do nothing but return as below).
  // Keys are compared unescaped.
  node* find(std::string_view key);
  const node* find(std::string_view key) const;  // the first member with that key
  // Replaces the value of the first member with that key in place (its key spelling kept) and
  // drops later duplicates, so every reader sees the new value; appends a member (key escaped)
  // when there is none. Returns the stored value. On a non-object: makes it an empty object
  // first.
  node& set(std::string_view key, node value);
  bool erase(std::string_view key);  // removes every member with that key; false if none

  std::vector<member>& members() { return members_; }  // meaningful for objects only
  const std::vector<member>& members() const { return members_; }
  std::vector<node>& items() { return items_; }  // meaningful for arrays only
  const std::vector<node>& items() const { return items_; }

  void append_to(std::string& out) const;  // minified
  std::string to_string() const;

 private:
  friend class detail::tree_parser;
  node(kind k, std::string raw);  // unchecked

  kind kind_ = kind::null;
  std::string raw_ = "null";  // scalars only
  std::vector<member> members_;
  std::vector<node> items_;
};

struct node::member {
  std::string key;      // unescaped
  std::string raw_key;  // the key token as written, quotes included
  node value;
};

struct parse_result {
  std::optional<node> value;  // set exactly when error is empty
  std::string error;          // e.g. "TAPE_ERROR (...) at byte 12", "invalid number at byte 3"
};

// Parses one JSON value of any type; whitespace around it is allowed, nothing else after it.
// Invalid tokens, invalid UTF-8 and nesting deeper than node::max_depth are errors. Never
// throws (running out of memory is reported as an error too).
parse_result parse_tree(std::string_view json);

}  // namespace mirror::json
