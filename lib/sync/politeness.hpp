#pragma once
// Pure pacing arithmetic for the sync job, kept apart from timers so it is tested without time.
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace mirror::sync {

// Spaces requests at least 1/rate apart: returns how long to wait before a request at `now`.
class rate_limiter {
 public:
  explicit rate_limiter(double per_second);
  std::chrono::microseconds delay_before(std::int64_t now_us) const;
  void record(std::int64_t sent_us) { last_us_ = sent_us; }

 private:
  std::int64_t interval_us_;
  std::optional<std::int64_t> last_us_;
};

// Exponential backoff with "equal jitter": attempt n waits between d/2 and d, d = min(cap,
// initial·2ⁿ). Jitter keeps a fleet of mirrors from retrying in lockstep.
class backoff {
 public:
  backoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap, std::uint64_t seed);
  std::chrono::milliseconds next(int attempt);  // attempt 0 = first retry

 private:
  std::chrono::milliseconds initial_, cap_;
  std::mt19937_64 rng_;
};

}  // namespace mirror::sync
