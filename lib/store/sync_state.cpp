#include "store/sync_state.hpp"

#include <string_view>

#include "store/change_seq.hpp"
#include "store/statement.hpp"

namespace mirror::store::detail {
namespace {

// The mirror_state keys, "source.<name>.<key>" per source (0008_sources.sql moved the one
// upstream's "sync.<key>" rows under the name "upstream").
constexpr std::string_view watermark_key = "watermark_us";
constexpr std::string_view upstream_key = "upstream";
constexpr std::string_view last_success_key = "last_success_us";
constexpr std::string_view last_attempt_key = "last_attempt_us";
constexpr std::string_view last_error_key = "last_error";
constexpr std::string_view parent_id_key = "parent_id";
constexpr std::string_view ancestry_key = "ancestry";
constexpr std::string_view parent_seq_key = "parent_seq";

std::string full_key(std::string_view origin, std::string_view key) {
  return "source." + std::string(origin) + "." + std::string(key);
}

std::optional<std::string> text(statement& get, std::string_view origin, std::string_view key) {
  const auto k = full_key(origin, key);
  auto g = get.run();
  g.bind(1, std::string_view(k));
  if (!g.step()) return std::nullopt;
  return std::string(g.text(0));
}

// "" reads as absent: older versions cleared a time by writing an empty value.
std::optional<std::int64_t> integer(statement& get, std::string_view origin, std::string_view key) {
  const auto t = text(get, origin, key);
  if (!t || t->empty()) return std::nullopt;
  return stored_integer(full_key(origin, key), *t);
}

void put(statement& set, std::string_view origin, std::string_view key, std::string_view value) {
  const auto k = full_key(origin, key);
  set.run().bind(1, std::string_view(k)).bind(2, value).exec();
}

}  // namespace

sync_state read_sync_state(statement& get, std::string_view origin) {
  sync_state s;
  s.watermark_us = integer(get, origin, watermark_key);
  s.upstream = text(get, origin, upstream_key);
  s.last_success_us = integer(get, origin, last_success_key);
  s.last_attempt_us = integer(get, origin, last_attempt_key);
  s.last_error = text(get, origin, last_error_key);
  s.parent_id = text(get, origin, parent_id_key);
  s.ancestry = text(get, origin, ancestry_key);
  s.parent_seq = integer(get, origin, parent_seq_key);
  return s;
}

void write_sync_state(statement& set, std::string_view origin, const sync_state& s) {
  if (s.watermark_us) put(set, origin, watermark_key, std::to_string(*s.watermark_us));
  if (s.upstream) put(set, origin, upstream_key, *s.upstream);
  if (s.last_success_us) put(set, origin, last_success_key, std::to_string(*s.last_success_us));
  if (s.last_attempt_us) put(set, origin, last_attempt_key, std::to_string(*s.last_attempt_us));
  if (s.last_error) put(set, origin, last_error_key, *s.last_error);
  if (s.parent_id) put(set, origin, parent_id_key, *s.parent_id);
  if (s.ancestry) put(set, origin, ancestry_key, *s.ancestry);
  // "" clears it: the next replica run starts with a full walk.
  if (s.parent_seq) put(set, origin, parent_seq_key, *s.parent_seq < 0 ? std::string() : std::to_string(*s.parent_seq));
}

}  // namespace mirror::store::detail
