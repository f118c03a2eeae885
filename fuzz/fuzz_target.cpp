// Request targets (api/target) and the list query parameters read from them (api/list_params).
// Properties: clean_path is idempotent and absolute; a rejected query is a 400/422 whose body is
// valid JSON (it embeds the offending values); an accepted one respects the limits.
#include <variant>

#include "api/list_params.hpp"
#include "api/target.hpp"
#include "fuzz_check.hpp"
#include "json/tree.hpp"

using namespace mirror;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto raw = fuzz::as_text(data, size);
  const auto t = api::parse_target(raw);
  if (!t) return 0;

  const auto cleaned = api::clean_path(t->raw_path);
  FUZZ_CHECK(!cleaned.empty() && cleaned.front() == '/');
  FUZZ_CHECK(api::clean_path(cleaned) == cleaned);

  const auto parsed = api::parse_list_params(*t);
  if (const auto* q = std::get_if<model::list_query>(&parsed)) {
    FUZZ_CHECK(q->limit >= 1 && q->limit <= 100);
    FUZZ_CHECK(!(q->latest_only && q->exact_version));
  } else {
    const auto& r = std::get<api::response>(parsed);
    FUZZ_CHECK(r.status == 400 || r.status == 422);
    FUZZ_CHECK(json::parse_tree(r.body).value.has_value());
  }

  // Go's ParseInt: whatever it accepts prints back as the same number.
  for (const auto& [key, value] : t->params) {
    if (const auto n = api::parse_go_int(value)) FUZZ_CHECK(api::parse_go_int(std::to_string(*n)) == n);
  }
  return 0;
}
