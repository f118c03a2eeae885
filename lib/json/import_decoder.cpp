// Shape detection and the document-level loops; the per-element walk is server_rewrite.cpp and
// the per-entry rules are entry_builder.cpp.
//
// Malformed file vs bad entry (decided here):
//   - Array and ServerList inputs are one JSON document. Any syntax error anywhere in it —
//     including inside values the decoder ignores, and content after the top-level value —
//     rejects the whole file (decode_result.error, no batch): a file that is not JSON is not
//     partially imported. So does a ServerList whose `servers` is not an array or whose
//     `metadata`/`metadata.nextCursor` has the wrong type (the cursor cannot be trusted).
//   - Within a syntactically valid document, an element that is not an object, lacks
//     name/version/description, has a wrong-typed or invalid member, or is too big is a bad
//     entry (decoded_batch.errors) and the next element is decoded.
//   - JSON lines are independent documents: a line that is not a JSON object (syntax error,
//     scalar, array, trailing bytes) is a bad entry with its line index; only when no line holds
//     a JSON object is the file malformed.
#include "json/import_decoder.hpp"

#include "json/document_decoder.hpp"

namespace mirror::json {

using detail::document_decoder;

decode_result decode_import(std::string_view bytes, const decode_options& options) {
  document_decoder d(bytes, options);
  if (d.empty()) return {std::nullopt, "empty input"};
  switch (d.first_char()) {
    case '[': return d.array();
    case '{': return d.object_or_lines();
    default: return d.lines(std::string());
  }
}

bool starts_json_lines(std::string_view line) {
  const simdjson::padded_string padded(line);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) return false;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) || key == "servers") return false;
  }
  const char* after = nullptr;  // only whitespace after the object: the location is past the end
  return doc.current_location().get(after) == simdjson::OUT_OF_BOUNDS;
}

decoded_batch decode_json_lines(std::string_view bytes, const decode_options& options, std::size_t first_line,
                                std::size_t first_byte) {
  document_decoder d(bytes, options);
  return d.lines_part(first_line, first_byte);
}

decode_result decode_server_list(std::string_view bytes, const decode_options& options) {
  document_decoder d(bytes, options);
  if (d.empty()) return {std::nullopt, "empty input"};
  return d.server_list();
}

}  // namespace mirror::json
