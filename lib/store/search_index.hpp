#pragma once
// When `search` may use the trigram index of served names (0005_search_index.sql), and the FTS5
// query that asks it. The index only narrows: every candidate is still tested with
// mirror_contains, so the answer is the plain walk's.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mirror::store {

// The plan switch: the index drives the query when at most this many names are candidates. A
// common term (thousands of names) is answered faster by the ordered walk, which stops after a
// page of matches; a rare one by the index, which never tests the names that cannot match.
inline constexpr std::size_t indexed_search_max_candidates = 256;

// The FTS5 query whose matches include every name containing `term` (case folded): the AND of
// trigrams of the term that cover it. Or nullopt when the index cannot answer: fewer than
// three characters (a trigram index has no shorter keys), or not valid UTF-8 (the tokenizer
// would not read it as the name's bytes are read).
std::optional<std::string> trigram_query(std::string_view term);

}  // namespace mirror::store
