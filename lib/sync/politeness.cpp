#include "sync/politeness.hpp"

#include <algorithm>

namespace mirror::sync {

rate_limiter::rate_limiter(double per_second)
    : interval_us_(per_second > 0 ? static_cast<std::int64_t>(1e6 / per_second) : 0) {}

std::chrono::microseconds rate_limiter::delay_before(std::int64_t now_us) const {
  if (!last_us_) return std::chrono::microseconds(0);
  return std::chrono::microseconds(std::max<std::int64_t>(0, *last_us_ + interval_us_ - now_us));
}

backoff::backoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap, std::uint64_t seed)
    : initial_(initial), cap_(cap), rng_(seed) {}

std::chrono::milliseconds backoff::next(int attempt) {
  const int shift = std::clamp(attempt, 0, 30);
  const auto full = std::min<std::int64_t>(cap_.count(), initial_.count() << shift);
  std::uniform_int_distribution<std::int64_t> half(0, full / 2);
  return std::chrono::milliseconds(full - full / 2 + half(rng_));
}

}  // namespace mirror::sync
