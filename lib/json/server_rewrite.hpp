#pragma once
// The single forward walk over one import element (docs/design-habits.md H10): re-emits the
// `server` object minified, renaming old snake_case keys and dropping old registry-owned members,
// and captures the few values the decoder interprets. Semantics (which values are valid, which
// block wins) live in entry_builder; this file only knows JSON structure.
//
// Every byte that ends up stored is copied from the input token by token: strings keep their
// escapes, numbers their spelling, keys their order. Every value the walk passes over —
// including values it drops or ignores — is checked (token.hpp), so a syntax error anywhere in
// a document is reported, never silently skipped (simdjson On-Demand alone would skip
// unread values structurally and accept tokens like `tru`).
//
// Keys are compared unescaped; renamed keys are written in their new spelling, all others as
// written. The walk recurses at most walker::max_depth levels.
#include <cstddef>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "json/simdjson_util.hpp"

namespace mirror::json::detail {

// One member's value as the decoder needs it.
struct scalar_capture {
  enum class kind { missing, null, string, boolean, other };
  kind k = kind::missing;
  std::string text;       // kind::string: the unescaped value
  bool flag = false;      // kind::boolean
  std::string_view type;  // JSON type name when present: "string", "number", "object", ...
};

// `_meta["io.modelcontextprotocol.registry/official"]` as found (envelope or embedded).
struct official_capture {
  bool present = false;
  std::string_view type;  // its JSON type; only "object" fills the members below
  scalar_capture status, status_changed_at, status_message, published_at, updated_at, is_latest;
};

// The top level of an object read as a server.json.
struct server_capture {
  scalar_capture name, version, description;
  scalar_capture status;      // top-level `status` (2025-07-09 shape); dropped from the bytes
  official_capture official;  // `_meta[official]` at this level; dropped from the bytes
};

// One element (array item, ServerList item or JSON line).
struct element_capture {
  std::string_view type;    // JSON type of the element; the rest is filled only for "object"
  std::string outer_bytes;  // the element itself read as a bare server.json
  server_capture outer;     // ... and its captures (for an envelope: outer.official is the block)
  bool envelope = false;    // it has a `server` member that is an object
  std::string_view server_member_type;  // type of a `server` member, "" when absent
  std::string inner_bytes;  // envelope: the `server` object
  server_capture inner;
  // The element's own `_meta` members other than the official block, minified as written
  // (`"k":v,...`; "" when none): a parent mirror's blocks, relayed by replicas.
  std::string outer_meta_members;
};

struct syntax_error {
  std::string what;         // e.g. "TAPE_ERROR (The JSON document has an improper structure...)"
  const char* at = nullptr;  // where in the input, when known
};

class walker {
 public:
  // Deeper nesting is rejected as malformed: the walk recurses, and simdjson On-Demand does not
  // bound depth itself. A server.json is a handful of levels deep.
  static constexpr int max_depth = 256;

  // Walks `element` (already known to be an object) to its end. false → error() says why; the
  // document is then unusable.
  bool element(ondemand::object element, element_capture& out);

  // Validates a value and discards it (non-object elements, ignored members).
  bool skip(ondemand::value value);

  // Validates a value and records its type and, for a scalar, its value (a string unescaped).
  bool capture(ondemand::value value, scalar_capture& out);

  const syntax_error& error() const { return error_; }

 private:
  bool server_object(ondemand::object object, std::string& out, server_capture& cap,
                     element_capture* element);
  // The members of a server's `_meta` object minus the official block; `emitted` tells
  // whether anything was written (an emptied `_meta` is dropped by the caller).
  bool server_meta(ondemand::object meta, std::string& out, official_capture& cap,
                   bool& emitted);
  bool official_block(ondemand::value value, official_capture& cap);
  bool value(ondemand::value value, std::string& out, bool rename);
  bool container(ondemand::value value, ondemand::json_type type, std::string& out, bool rename);
  bool scalar(ondemand::value value, ondemand::json_type type, std::string& out);
  bool fail(simdjson::error_code code);
  bool fail_token(std::string_view what, std::string_view token);
  struct key;
  bool read_key(ondemand::field& field, key& out);

  std::string scratch_;  // output of skip()
  syntax_error error_;
  int depth_ = 0;        // open objects/arrays below the element, bounded by max_depth
};

}  // namespace mirror::json::detail
