// Arrays and ServerList pages: one JSON document each, any syntax error rejects it whole.
#include "json/document_decoder.hpp"

#include "json/entry_builder.hpp"

namespace mirror::json::detail {

void document_decoder::add(std::variant<decoded_entry, entry_error>&& result) {
  if (auto* entry = std::get_if<decoded_entry>(&result)) {
    batch_.entries.push_back(std::move(*entry));
  } else {
    batch_.errors.push_back(std::move(std::get<entry_error>(result)));
  }
}

// One array or ServerList item. false only for a syntax error (the file is malformed).
bool document_decoder::item(ondemand::value value, std::size_t index, bool require_envelope) {
  ondemand::json_type type{};
  if (auto e = value.type().get(type)) return fail(e);
  element_capture element;
  if (type == ondemand::json_type::object) {
    ondemand::object object;
    if (auto e = value.get_object().get(object)) return fail(e);
    if (!walker_.element(object, element)) return fail_walk();
  } else {
    element.type = type_name(type);
    if (!walker_.skip(value)) return fail_walk();
  }
  add(build_entry(index, std::move(element), require_envelope, options_));
  return true;
}

decode_result document_decoder::array() {
  ondemand::document doc;
  if (auto e = iterate(begin_, static_cast<std::size_t>(end_ - begin_)).get(doc)) {
    return {std::nullopt, "not JSON: " + describe(e)};
  }
  ondemand::array items;
  bool ok = true;
  if (auto e = doc.get_array().get(items)) ok = fail(e);
  std::size_t index = 0;
  if (ok) {
    for (auto entry : items) {
      ondemand::value value;
      if (auto e = std::move(entry).get(value)) {
        ok = fail(e);
        break;
      }
      if (!(ok = item(value, index++, false))) break;
    }
  }
  if (ok) ok = at_end(doc);
  if (!ok) return malformed(doc);
  return {std::move(batch_), {}};
}

bool document_decoder::metadata(ondemand::value value) {
  ondemand::json_type type{};
  if (auto e = value.type().get(type)) return fail(e);
  if (type != ondemand::json_type::object) {
    return fail_shape("metadata: expected object, got " + std::string(type_name(type)));
  }
  ondemand::object object;
  if (auto e = value.get_object().get(object)) return fail(e);
  for (auto member : object) {
    ondemand::field field;
    std::string_view key;
    if (auto e = std::move(member).get(field)) return fail(e);
    if (auto e = field.unescaped_key().get(key)) return fail(e);
    if (key != "nextCursor") {
      if (!walker_.skip(field.value())) return fail_walk();
      continue;
    }
    scalar_capture cursor;
    if (!walker_.capture(field.value(), cursor)) return fail_walk();
    using kind = scalar_capture::kind;
    if (cursor.k == kind::string) {
      // The cursor goes into the next request's URL: a page may not make that unbounded.
      if (cursor.text.size() > max_cursor_bytes)
        return fail_shape("metadata.nextCursor: longer than " + std::to_string(max_cursor_bytes) + " bytes");
      batch_.next_cursor = std::move(cursor.text);
    } else if (cursor.k != kind::null) {
      return fail_shape("metadata.nextCursor: expected string, got " + std::string(cursor.type));
    }
  }
  return true;
}

// The members of a top-level object read as a ServerList. Sets saw_servers as soon as a
// `servers` member starts, so a caller can tell "not a ServerList" from "a broken one".
bool document_decoder::list_object(ondemand::object object, bool& saw_servers) {
  for (auto member : object) {
    ondemand::field field;
    std::string_view key;
    if (auto e = std::move(member).get(field)) return fail(e);
    if (auto e = field.unescaped_key().get(key)) return fail(e);
    ondemand::value& value = field.value();
    if (key == "metadata") {
      if (!metadata(value)) return false;
    } else if (key == "servers") {
      saw_servers = true;
      ondemand::json_type type{};
      if (auto e = value.type().get(type)) return fail(e);
      if (type != ondemand::json_type::array) {
        return fail_shape("servers: expected array, got " + std::string(type_name(type)));
      }
      ondemand::array items;
      if (auto e = value.get_array().get(items)) return fail(e);
      std::size_t index = 0;
      for (auto entry : items) {
        ondemand::value element;
        if (auto e = std::move(entry).get(element)) return fail(e);
        if (!item(element, index++, true)) return false;
      }
    } else if (!walker_.skip(value)) {
      return fail_walk();
    }
  }
  return true;
}

decode_result document_decoder::server_list() {
  ondemand::document doc;
  if (auto e = iterate(begin_, static_cast<std::size_t>(end_ - begin_)).get(doc)) {
    return {std::nullopt, "not JSON: " + describe(e)};
  }
  ondemand::json_type type{};
  if (auto e = doc.type().get(type)) return {std::nullopt, "not JSON: " + describe(e)};
  if (type != ondemand::json_type::object) {
    return {std::nullopt,
            "not a ServerList: expected an object, got " + std::string(type_name(type))};
  }
  ondemand::object object;
  bool saw_servers = false;
  bool ok = true;
  if (auto e = doc.get_object().get(object)) ok = fail(e);
  if (ok) ok = list_object(object, saw_servers) && at_end(doc);
  if (!ok) return malformed(doc);
  if (!saw_servers) return {std::nullopt, "not a ServerList: servers: missing"};
  return {std::move(batch_), {}};
}

// `{` first: parse the whole input as one object. With a `servers` member it is a ServerList
// (and from then on any problem is final). Without one it is a single bare/envelope object
// when nothing follows it, else JSON lines (also when the whole-input parse failed before
// `servers` showed up, e.g. a later line is broken).
decode_result document_decoder::object_or_lines() {
  ondemand::document doc;
  if (auto e = iterate(begin_, static_cast<std::size_t>(end_ - begin_)).get(doc)) {
    return lines("not JSON: " + describe(e));
  }
  ondemand::object object;
  bool saw_servers = false;
  bool ok = true;
  if (auto e = doc.get_object().get(object)) ok = fail(e);
  if (ok) ok = list_object(object, saw_servers);
  if (saw_servers) {  // a ServerList, broken or not
    if (ok) ok = at_end(doc);
    if (!ok) return malformed(doc);
    return {std::move(batch_), {}};
  }
  const std::string earlier = ok || shape_problem_ ? std::string() : "not JSON: " + problem(doc);
  const bool single = ok && at_end(doc);
  reset();
  // One object spanning the whole input (pretty-printed or not): a one-entry file.
  if (single) return documents({{0, begin_, static_cast<std::size_t>(end_ - begin_)}}, earlier);
  return lines(earlier);
}

}  // namespace mirror::json::detail
