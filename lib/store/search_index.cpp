#include "store/search_index.hpp"

#include <vector>

#include <simdjson.h>

namespace mirror::store {
namespace {

void append_string(std::string& query, std::string_view text) {
  query += '"';
  for (const char c : text) {
    if (c == '"') query += '"';  // FTS5 string: a double quote is written twice
    query += c;
  }
  query += '"';
}

}  // namespace

std::optional<std::string> trigram_query(std::string_view term) {
  if (!simdjson::validate_utf8(term.data(), term.size())) return std::nullopt;
  // Valid UTF-8: every byte that is not a continuation byte starts a character.
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < term.size(); ++i)
    if ((static_cast<unsigned char>(term[i]) & 0xC0) != 0x80) starts.push_back(i);
  const std::size_t n = starts.size();
  if (n < 3) return std::nullopt;
  starts.push_back(term.size());
  // Every third trigram, and the last one: together they cover the term. Each is one token,
  // so the query is an AND of single-token strings, which FTS5 answers from the doclists alone;
  // a phrase of all n-2 trigrams would also check their positions, about three times the work
  // for the same candidates give or take a few, which mirror_contains then drops anyway.
  std::string query;
  auto add = [&](std::size_t first) {
    if (!query.empty()) query += " AND ";
    append_string(query, term.substr(starts[first], starts[first + 3] - starts[first]));
  };
  for (std::size_t first = 0; first + 3 <= n; first += 3) add(first);
  if (n % 3 != 0) add(n - 3);
  return query;
}

}  // namespace mirror::store
