// What a replica reads from a parent mcp-mirror besides pages (sync/parent_feed): /info and the
// change feed. The first byte picks which; for the feed, the second is `since` and the third the
// page limit. Properties: a document accepted as /info has a valid id and at most 64 valid
// ancestors, and following it from its own id is a loop; an accepted feed page has at most
// `limit` names, a last sequence past `since`, and is full exactly when it holds `limit` rows.
#include <variant>

#include "fuzz_check.hpp"
#include "sync/parent_feed.hpp"

using namespace mirror;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const auto body = fuzz::as_text(data + 3, size - 3);
  if (data[0] % 2 == 0) {
    const auto r = sync::parse_parent_info(body);
    if (const auto* err = std::get_if<std::string>(&r)) {
      FUZZ_CHECK(err->starts_with("info: "));
      return 0;
    }
    const auto& p = std::get<sync::parent_info>(r);
    FUZZ_CHECK(sync::valid_instance_id(p.instance_id));
    FUZZ_CHECK(p.ancestry.size() <= sync::max_ancestry);
    for (const auto& id : p.ancestry) FUZZ_CHECK(sync::valid_instance_id(id));
    FUZZ_CHECK(p.seq >= 0);
    FUZZ_CHECK(sync::ancestry_text(p).starts_with(p.instance_id));
    FUZZ_CHECK(sync::loop_error(p, p.instance_id, "http://parent").has_value());
    return 0;
  }
  const std::int64_t since = data[1];
  const int limit = 1 + data[2] % 100;
  const auto r = sync::parse_feed_page(body, since, limit);
  if (const auto* err = std::get_if<std::string>(&r)) {
    FUZZ_CHECK(err->starts_with("changes"));
    return 0;
  }
  const auto& page = std::get<sync::feed_page>(r);
  FUZZ_CHECK(page.names.size() <= static_cast<std::size_t>(limit));
  FUZZ_CHECK(page.last_seq >= since);
  FUZZ_CHECK(page.last_seq > since || page.names.empty());
  FUZZ_CHECK(page.full == (page.names.size() == static_cast<std::size_t>(limit)));
  for (const auto& n : page.names) FUZZ_CHECK(!n.empty() && n.size() <= 200);
  return 0;
}
