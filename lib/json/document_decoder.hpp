#pragma once
// The document-level loops of the import decoder (import_decoder.hpp): one parser and one
// padded copy of the input per call, shape by shape. Elements are walked by server_rewrite,
// judged by entry_builder. See import_decoder.cpp for the malformed-vs-bad-entry boundary.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <simdjson.h>

#include "json/import_decoder.hpp"
#include "json/server_rewrite.hpp"
#include "json/simdjson_util.hpp"

namespace mirror::json::detail {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A page's metadata.nextCursor is sent back in the next request's URL; the upstream's are
// `name:version` (well under 400 bytes).
inline constexpr std::size_t max_cursor_bytes = 4096;

struct failure {
  std::string what;
  const char* at = nullptr;  // input position, when known
};

// State of one decode call: one parser (documents borrow it), the padded copy of the input.
class document_decoder {
 public:
  document_decoder(std::string_view bytes, const decode_options& options)
      : padded_(bytes), options_(options) {
    const char* p = padded_.data();
    end_ = p + padded_.size();
    if (padded_.size() >= 3 && std::string_view(p, 3) == "\xEF\xBB\xBF") p += 3;  // UTF-8 BOM
    begin_ = p;
    while (p < end_ && is_space(*p)) ++p;
    empty_ = p == end_;
    first_ = empty_ ? '\0' : *p;
  }

  bool empty() const { return empty_; }
  char first_char() const { return first_; }

  decode_result array();                  // `[` ...
  decode_result server_list();            // a ServerList page, nothing else
  decode_result object_or_lines();        // `{` ...: ServerList, one object, or JSON lines
  decode_result lines(const std::string& earlier_problem);  // JSON lines
  // JSON lines that are a part of a file, its first line numbered `first_line`: a batch even
  // when no line holds an object (batch.objects says how many did).
  decoded_batch lines_part(std::size_t first_line, std::size_t first_byte);

 private:
  struct chunk {
    std::size_t index;
    const char* begin;
    std::size_t size;
  };

  std::size_t first_byte_ = 0;  // where the input starts in its file (lines_part), for messages

  simdjson::simdjson_result<ondemand::document> iterate(const char* from, std::size_t size) {
    // The padded copy's padding lies past end_, so any sub-range of it is padded too.
    const auto capacity = static_cast<std::size_t>(end_ + simdjson::SIMDJSON_PADDING - from);
    return parser_.iterate(simdjson::padded_string_view(from, size, capacity));
  }

  bool fail(simdjson::error_code code) {
    failure_ = {describe(code), nullptr};
    return false;
  }
  bool fail_walk() {
    failure_ = {walker_.error().what, walker_.error().at};
    return false;
  }
  bool fail_shape(std::string what) {
    failure_ = {std::move(what), nullptr};
    shape_problem_ = true;
    return false;
  }
  void reset() {
    failure_ = {};
    shape_problem_ = false;
    batch_ = {};
  }
  // failure_ with its byte offset (the document's position when the walk did not know it).
  std::string problem(ondemand::document& doc) {
    const char* at = failure_.at;
    if (at == nullptr && !shape_problem_) {
      const char* loc = nullptr;
      if (!doc.current_location().get(loc)) at = loc;
    }
    if (at == nullptr) return failure_.what;
    return failure_.what + " at byte " + std::to_string(first_byte_ + static_cast<std::size_t>(at - padded_.data()));
  }
  decode_result malformed(ondemand::document& doc) {
    return {std::nullopt, (shape_problem_ ? "not a ServerList: " : "not JSON: ") + problem(doc)};
  }
  // After the top-level value only whitespace may follow.
  bool at_end(ondemand::document& doc) {
    const char* loc = nullptr;
    if (doc.current_location().get(loc) == simdjson::OUT_OF_BOUNDS) return true;
    failure_ = {describe(simdjson::TRAILING_CONTENT), loc};
    return false;
  }

  bool item(ondemand::value value, std::size_t index, bool require_envelope);
  bool list_object(ondemand::object object, bool& saw_servers);
  bool metadata(ondemand::value value);
  decode_result documents(const std::vector<chunk>& chunks, const std::string& earlier_problem,
                          bool need_object = true);
  std::vector<chunk> line_chunks(std::size_t first_line) const;
  void add(std::variant<decoded_entry, entry_error>&& result);

  simdjson::padded_string padded_;
  const decode_options& options_;
  const char* begin_ = nullptr;  // after a BOM
  const char* end_ = nullptr;
  bool empty_ = true;
  char first_ = '\0';
  ondemand::parser parser_;
  walker walker_;
  failure failure_;
  bool shape_problem_ = false;
  decoded_batch batch_;
};

}  // namespace mirror::json::detail
