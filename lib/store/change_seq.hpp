#pragma once
// The change sequence as stored in mirror_state: every commit that changes the served view
// bumps it, and the response cache and ETags are keyed by it. One query and one parser, shared
// by the reader (the value at start-up) and commit_watch (the value after another commit).
#include <cstdint>
#include <string_view>

#include "store/statement.hpp"

namespace mirror::store {

inline constexpr const char* change_seq_sql = "SELECT value FROM mirror_state WHERE key = 'change_seq'";

// Runs `query` (prepared from change_seq_sql): 0 when the key is absent (a new database).
// Throws store::error when the stored value is not a number of 0 or more: the database was
// edited by hand or is damaged, and a made-up sequence would serve stale cached pages as fresh
// (a negative one, cast to the unsigned generation, would even pin the cache for good).
std::int64_t read_change_seq(statement& query);

// The stored text as a sequence, with the same check (the writer reads it through its state
// accessor).
std::int64_t change_seq_value(std::string_view text);

// Any integer kept as text in mirror_state (`key` names it in the error), checked the same way:
// a whole decimal number of 0 or more, else store::error.
std::int64_t stored_integer(std::string_view key, std::string_view text);

}  // namespace mirror::store
