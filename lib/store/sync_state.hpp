#pragma once
// What the sync job keeps between runs, as typed fields over mirror_state's text rows. The keys
// and their parsing live here only: sync, snapshot and the app read and write these fields, and a
// damaged value (text where a number belongs, a negative time) is a store::error naming the key,
// never a std::invalid_argument from deep inside a caller.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mirror::store {

class statement;

// Read: absent keys are nullopt. Written (apply_options::sync): only the fields that are set.
struct sync_state {
  std::optional<std::int64_t> watermark_us{};     // start of the last successful run
  std::optional<std::string> upstream{};          // the URL that watermark is for
  std::optional<std::int64_t> last_success_us{};  // end of the last successful run
  std::optional<std::int64_t> last_attempt_us{};  // start of the last run, successful or not
  std::optional<std::string> last_error{};        // "" after a success
  // When the upstream is another mcp-mirror that this one replicates (sync/replica.cpp):
  std::optional<std::string> parent_id{};         // its instance id ("" when it is not a mirror)
  std::optional<std::string> ancestry{};          // space-separated ids upstream of this mirror,
                                                  // nearest first (the parent, then its ancestry)
  std::optional<std::int64_t> parent_seq{};       // its change seq this mirror has copied up to

  bool empty() const {
    return !watermark_us && !upstream && !last_success_us && !last_attempt_us && !last_error && !parent_id &&
           !ancestry && !parent_seq;
  }
};

namespace detail {
// `get` is prepared from "SELECT value FROM mirror_state WHERE key = ?1", `set` from an upsert
// of (?1 key, ?2 value); both on the caller's connection, inside its transaction if any.
// Per source (`origin`, a configured source's name).
sync_state read_sync_state(statement& get, std::string_view origin);
void write_sync_state(statement& set, std::string_view origin, const sync_state& s);
}  // namespace detail

}  // namespace mirror::store
