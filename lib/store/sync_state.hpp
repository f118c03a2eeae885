#pragma once
// What the sync job keeps between runs, as typed fields over mirror_state's text rows. The keys
// and their parsing live here only: sync, snapshot and the app read and write these fields, and a
// damaged value (text where a number belongs, a negative time) is a store::error naming the key,
// never a std::invalid_argument from deep inside a caller.
#include <cstdint>
#include <optional>
#include <string>

namespace mirror::store {

class statement;

// Read: absent keys are nullopt. Written (apply_options::sync): only the fields that are set.
struct sync_state {
  std::optional<std::int64_t> watermark_us{};     // start of the last successful run
  std::optional<std::string> upstream{};          // the URL that watermark is for
  std::optional<std::int64_t> last_success_us{};  // end of the last successful run
  std::optional<std::int64_t> last_attempt_us{};  // start of the last run, successful or not
  std::optional<std::string> last_error{};        // "" after a success

  bool empty() const {
    return !watermark_us && !upstream && !last_success_us && !last_attempt_us && !last_error;
  }
};

namespace detail {
// `get` is prepared from "SELECT value FROM mirror_state WHERE key = ?1", `set` from an upsert
// of (?1 key, ?2 value); both on the caller's connection, inside its transaction if any.
sync_state read_sync_state(statement& get);
void write_sync_state(statement& set, const sync_state& s);
}  // namespace detail

}  // namespace mirror::store
