#pragma once
// What a replica reads from a parent mcp-mirror besides server pages: its `/info` document and
// its change feed (`/changes?since=`). Pure parsing of untrusted bodies: every field is checked
// (type, length, count), so a hostile or broken parent is a failed run, never a crash or an
// unbounded allocation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mirror::sync {

// GET /v0.1/x/<namespace>/info of another mcp-mirror.
struct parent_info {
  std::string instance_id;
  std::vector<std::string> ancestry;  // the instance ids upstream of it, nearest first
  std::int64_t seq = 0;               // its change feed's position (changes.seq)
};

// At most this many ids in an ancestry: a longer chain is refused as broken (or hostile).
inline constexpr std::size_t max_ancestry = 64;

// An instance id is 1-64 bytes of [A-Za-z0-9-] (this mirror makes 32 hex digits).
bool valid_instance_id(std::string_view id);

// The document, or why it is not one.
std::variant<parent_info, std::string> parse_parent_info(std::string_view body);

// One page of the change feed: the names it mentions (in feed order, repeats kept) and the
// sequence of its last row (`since` when empty); `full` when it had `limit` rows (more may follow).
struct feed_page {
  std::vector<std::string> names;
  std::int64_t last_seq = 0;
  bool full = false;
};
std::variant<feed_page, std::string> parse_feed_page(std::string_view body, std::int64_t since, int limit);

// "<parent> <its ancestry...>": this mirror's ancestry once it follows `parent`.
std::string ancestry_text(const parent_info& parent);

// Why following `parent` (at `url`) would close a loop, naming the chain; nullopt when it would
// not: the parent is this mirror (`own_id`), or has it in its ancestry.
std::optional<std::string> loop_error(const parent_info& parent, std::string_view own_id, std::string_view url);

}  // namespace mirror::sync
