#include "json/server_rewrite.hpp"

#include <array>
#include <utility>

#include "json/simdjson_util.hpp"
#include "json/token.hpp"

namespace mirror::json::detail {
namespace {

using ondemand::json_type;

constexpr std::string_view official_key = "io.modelcontextprotocol.registry/official";

// server.json 2025-07-09 → 2025-09-16 renames (docs/upstream-api.md: server.json shapes over time).
// Applied to keys anywhere in a server object except inside `_meta` subtrees (publisher-owned, kept
// as is).
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> renames{{
    {"registry_type", "registryType"},
    {"registry_base_url", "registryBaseUrl"},
    {"file_sha256", "fileSha256"},
    {"runtime_hint", "runtimeHint"},
    {"runtime_arguments", "runtimeArguments"},
    {"package_arguments", "packageArguments"},
    {"environment_variables", "environmentVariables"},
    {"is_required", "isRequired"},
    {"is_secret", "isSecret"},
    {"value_hint", "valueHint"},
    {"is_repeated", "isRepeated"},
    {"website_url", "websiteUrl"},
}};

std::string_view renamed(std::string_view key) {
  for (const auto& [from, to] : renames) {
    if (key == from) return to;
  }
  return {};
}

// `"key":` as written, or under its camelCase name when the old shape is being renamed.
template <class Key>
void append_key(std::string& out, const Key& k, std::string_view renamed_to) {
  if (renamed_to.empty()) {
    out += k.raw;
  } else {
    out += '"';
    out += renamed_to;
    out += '"';
  }
  out += ':';
}

bool is_scalar(json_type t) { return t != json_type::object && t != json_type::array; }

// Fills a capture from a scalar token that already passed validation.
void fill(scalar_capture& cap, json_type t, std::string_view tok) {
  cap.type = type_name(t);
  switch (t) {
    case json_type::string:
      cap.k = scalar_capture::kind::string;
      cap.text = token::unescape(tok);
      break;
    case json_type::boolean:
      cap.k = scalar_capture::kind::boolean;
      cap.flag = tok == "true";
      break;
    case json_type::null: cap.k = scalar_capture::kind::null; break;
    default: cap.k = scalar_capture::kind::other; break;
  }
}

}  // namespace

struct walker::key {
  std::string_view raw;  // the key token as written, quotes included
  std::string text;      // unescaped
};

bool walker::fail(simdjson::error_code code) {
  error_ = {describe(code), nullptr};
  return false;
}

bool walker::fail_token(std::string_view what, std::string_view tok) {
  error_ = {std::string(what), tok.data()};
  return false;
}

bool walker::read_key(ondemand::field& field, key& out) {
  const char* raw = field.key().raw();
  out.raw = std::string_view(raw - 1, token::escaped_key_length(raw) + 2);
  if (!token::is_string(out.raw)) return fail_token("invalid string (key)", out.raw);
  out.text = token::unescape(out.raw);
  return true;
}

bool walker::scalar(ondemand::value v, json_type t, std::string& out) {
  const std::string_view tok = token::trim_right(v.raw_json_token());
  bool ok = false;
  switch (t) {
    case json_type::string: ok = token::is_string(tok); break;
    case json_type::number: ok = token::is_number(tok); break;
    case json_type::boolean: ok = tok == "true" || tok == "false"; break;
    case json_type::null: ok = tok == "null"; break;
    default: break;
  }
  if (!ok) return fail_token(std::string("invalid ") + std::string(type_name(t)), tok);
  if (t == json_type::string)
    if (auto e = consume_string(v)) return fail(e);
  out += tok;
  return true;
}

bool walker::value(ondemand::value v, std::string& out, bool rename) {
  json_type t{};
  if (auto e = v.type().get(t)) return fail(e);
  if (is_scalar(t)) return scalar(v, t, out);
  if (depth_ >= max_depth) return fail(simdjson::DEPTH_ERROR);
  ++depth_;
  const bool ok = container(v, t, out, rename);
  --depth_;
  return ok;
}

bool walker::container(ondemand::value v, json_type t, std::string& out, bool rename) {
  if (t == json_type::object) {
    ondemand::object object;
    if (auto e = v.get_object().get(object)) return fail(e);
    out += '{';
    bool first = true;
    for (auto member : object) {
      ondemand::field field;
      if (auto e = std::move(member).get(field)) return fail(e);
      key k;
      if (!read_key(field, k)) return false;
      if (!first) out += ',';
      first = false;
      const bool meta = k.text == "_meta";  // publisher-owned subtree: no renames inside
      append_key(out, k, rename && !meta ? renamed(k.text) : std::string_view{});
      if (!value(field.value(), out, rename && !meta)) return false;
    }
    out += '}';
    return true;
  }
  ondemand::array array;
  if (auto e = v.get_array().get(array)) return fail(e);
  out += '[';
  bool first = true;
  for (auto item : array) {
    ondemand::value element;
    if (auto e = std::move(item).get(element)) return fail(e);
    if (!first) out += ',';
    first = false;
    if (!value(element, out, rename)) return false;
  }
  out += ']';
  return true;
}

bool walker::skip(ondemand::value v) {
  scratch_.clear();
  return value(v, scratch_, false);
}

bool walker::capture(ondemand::value v, scalar_capture& cap) {
  json_type t{};
  if (auto e = v.type().get(t)) return fail(e);
  if (!is_scalar(t)) {
    cap.k = scalar_capture::kind::other;
    cap.type = type_name(t);
    return skip(v);
  }
  scratch_.clear();
  if (!scalar(v, t, scratch_)) return false;
  fill(cap, t, scratch_);
  return true;
}

bool walker::official_block(ondemand::value v, official_capture& cap) {
  json_type t{};
  if (auto e = v.type().get(t)) return fail(e);
  cap = official_capture{};
  cap.present = true;
  cap.type = type_name(t);
  if (t != json_type::object) return skip(v);
  ondemand::object object;
  if (auto e = v.get_object().get(object)) return fail(e);
  for (auto member : object) {
    ondemand::field field;
    if (auto e = std::move(member).get(field)) return fail(e);
    key k;
    if (!read_key(field, k)) return false;
    scalar_capture* slot = k.text == "status"            ? &cap.status
                           : k.text == "statusChangedAt" ? &cap.status_changed_at
                           : k.text == "statusMessage"   ? &cap.status_message
                           : k.text == "publishedAt"     ? &cap.published_at
                           : k.text == "updatedAt"       ? &cap.updated_at
                           : k.text == "isLatest"        ? &cap.is_latest
                                                         : nullptr;
    if (!(slot ? capture(field.value(), *slot) : skip(field.value()))) return false;
  }
  return true;
}

bool walker::server_meta(ondemand::object meta, std::string& out, official_capture& cap,
                         bool& emitted) {
  emitted = false;
  for (auto member : meta) {
    ondemand::field field;
    if (auto e = std::move(member).get(field)) return fail(e);
    key k;
    if (!read_key(field, k)) return false;
    if (k.text == official_key) {
      if (!official_block(field.value(), cap)) return false;
      continue;
    }
    if (emitted) out += ',';
    emitted = true;
    out += k.raw;
    out += ':';
    if (!value(field.value(), out, false)) return false;
  }
  return true;
}

bool walker::server_object(ondemand::object object, std::string& out, server_capture& cap,
                           element_capture* element) {
  out += '{';
  bool first = true;
  for (auto member : object) {
    ondemand::field field;
    if (auto e = std::move(member).get(field)) return fail(e);
    key k;
    if (!read_key(field, k)) return false;
    ondemand::value& v = field.value();
    json_type t{};
    if (auto e = v.type().get(t)) return fail(e);

    // The element's `server` member: the element is an envelope, and this is the server.
    if (element != nullptr && k.text == "server") {
      element->server_member_type = type_name(t);
      if (t == json_type::object && !element->envelope) {
        element->envelope = true;
        ondemand::object server;
        if (auto e = v.get_object().get(server)) return fail(e);
        if (!server_object(server, element->inner_bytes, element->inner, nullptr)) return false;
        continue;
      }
    }
    // 2025-07-09 top-level `status`: registry-owned, moved out of the stored bytes.
    if (k.text == "status") {
      if (!capture(v, cap.status)) return false;
      continue;
    }
    // `_meta`: the embedded official block is moved out; an emptied `_meta` is dropped.
    if (k.text == "_meta" && t == json_type::object) {
      ondemand::object meta;
      if (auto e = v.get_object().get(meta)) return fail(e);
      const std::size_t mark = out.size();
      if (!first) out += ',';
      out += k.raw;
      out += ":{";
      const std::size_t members_at = out.size();
      bool emitted = false;
      if (!server_meta(meta, out, cap.official, emitted)) return false;
      if (emitted && element != nullptr) element->outer_meta_members = out.substr(members_at);
      if (emitted) {
        out += '}';
        first = false;
      } else {
        out.resize(mark);
      }
      continue;
    }

    if (!first) out += ',';
    first = false;
    const bool meta = k.text == "_meta";
    append_key(out, k, meta ? std::string_view{} : renamed(k.text));
    scalar_capture* slot = k.text == "name"          ? &cap.name
                           : k.text == "version"     ? &cap.version
                           : k.text == "description" ? &cap.description
                                                     : nullptr;
    if (!value(v, out, !meta)) return false;
    if (slot != nullptr) {
      *slot = scalar_capture{};
      if (is_scalar(t)) {
        fill(*slot, t, token::trim_right(v.raw_json_token()));  // peeking: still in place
      } else {
        slot->k = scalar_capture::kind::other;
        slot->type = type_name(t);
      }
    }
  }
  out += '}';
  return true;
}

bool walker::element(ondemand::object object, element_capture& out) {
  out = element_capture{};
  out.type = "object";
  return server_object(object, out.outer_bytes, out.outer, &out);
}

}  // namespace mirror::json::detail
