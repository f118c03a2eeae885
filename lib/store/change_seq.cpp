#include "store/change_seq.hpp"

#include <charconv>

#include <fmt/format.h>

#include "store/error.hpp"

namespace mirror::store {

std::int64_t read_change_seq(statement& query) {
  auto g = query.run();
  if (!g.step()) return 0;
  const auto text = g.text(0);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    throw error(fmt::format("mirror_state change_seq is not a number: '{}'", text));
  return value;
}

}  // namespace mirror::store
