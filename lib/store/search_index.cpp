#include "store/search_index.hpp"

#include <simdjson.h>

namespace mirror::store {

std::optional<std::string> trigram_phrase(std::string_view term) {
  if (!simdjson::validate_utf8(term.data(), term.size())) return std::nullopt;
  std::size_t characters = 0;  // valid UTF-8: every byte that is not a continuation byte starts one
  for (const char c : term) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (characters < 3) return std::nullopt;
  std::string phrase = "\"";
  for (const char c : term) {
    if (c == '"') phrase += '"';  // FTS5 string: a double quote is written twice
    phrase += c;
  }
  phrase += '"';
  return phrase;
}

}  // namespace mirror::store
