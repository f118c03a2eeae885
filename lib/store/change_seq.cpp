#include "store/change_seq.hpp"

#include <charconv>

#include <fmt/format.h>

#include "store/error.hpp"

namespace mirror::store {

std::int64_t read_change_seq(statement& query) {
  auto g = query.run();
  return g.step() ? change_seq_value(g.text(0)) : 0;
}

std::int64_t change_seq_value(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0)
    throw error(fmt::format("mirror_state change_seq is not a number: '{}'", text));
  return value;
}

}  // namespace mirror::store
