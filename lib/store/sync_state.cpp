#include "store/sync_state.hpp"

#include <string_view>

#include "store/change_seq.hpp"
#include "store/statement.hpp"

namespace mirror::store::detail {
namespace {

// The mirror_state keys (stable: databases written by earlier versions use them).
constexpr std::string_view watermark_key = "sync.watermark_us";
constexpr std::string_view upstream_key = "sync.upstream";
constexpr std::string_view last_success_key = "sync.last_success_us";
constexpr std::string_view last_attempt_key = "sync.last_attempt_us";
constexpr std::string_view last_error_key = "sync.last_error";
constexpr std::string_view parent_id_key = "sync.parent_id";
constexpr std::string_view ancestry_key = "sync.ancestry";
constexpr std::string_view parent_seq_key = "sync.parent_seq";

std::optional<std::string> text(statement& get, std::string_view key) {
  auto g = get.run();
  g.bind(1, key);
  if (!g.step()) return std::nullopt;
  return std::string(g.text(0));
}

// "" reads as absent: older versions cleared a time by writing an empty value.
std::optional<std::int64_t> integer(statement& get, std::string_view key) {
  const auto t = text(get, key);
  if (!t || t->empty()) return std::nullopt;
  return stored_integer(key, *t);
}

void put(statement& set, std::string_view key, std::string_view value) {
  set.run().bind(1, key).bind(2, value).exec();
}

}  // namespace

sync_state read_sync_state(statement& get) {
  sync_state s;
  s.watermark_us = integer(get, watermark_key);
  s.upstream = text(get, upstream_key);
  s.last_success_us = integer(get, last_success_key);
  s.last_attempt_us = integer(get, last_attempt_key);
  s.last_error = text(get, last_error_key);
  s.parent_id = text(get, parent_id_key);
  s.ancestry = text(get, ancestry_key);
  s.parent_seq = integer(get, parent_seq_key);
  return s;
}

void write_sync_state(statement& set, const sync_state& s) {
  if (s.watermark_us) put(set, watermark_key, std::to_string(*s.watermark_us));
  if (s.upstream) put(set, upstream_key, *s.upstream);
  if (s.last_success_us) put(set, last_success_key, std::to_string(*s.last_success_us));
  if (s.last_attempt_us) put(set, last_attempt_key, std::to_string(*s.last_attempt_us));
  if (s.last_error) put(set, last_error_key, *s.last_error);
  if (s.parent_id) put(set, parent_id_key, *s.parent_id);
  if (s.ancestry) put(set, ancestry_key, *s.ancestry);
  // "" clears it: the next replica run starts with a full walk.
  if (s.parent_seq) put(set, parent_seq_key, *s.parent_seq < 0 ? std::string() : std::to_string(*s.parent_seq));
}

}  // namespace mirror::store::detail
