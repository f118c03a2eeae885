#include "store/change_seq.hpp"

#include <charconv>

#include <fmt/format.h>

#include "store/error.hpp"

namespace mirror::store {

std::int64_t read_change_seq(statement& query) {
  auto g = query.run();
  return g.step() ? change_seq_value(g.text(0)) : 0;
}

std::int64_t change_seq_value(std::string_view text) { return stored_integer("change_seq", text); }

std::int64_t stored_integer(std::string_view key, std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0)
    throw error(fmt::format("mirror_state {} is not a number of 0 or more: '{}'", key, text));
  return value;
}

}  // namespace mirror::store
