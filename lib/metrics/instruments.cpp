#include "metrics/instruments.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace mirror::metrics {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

// 2^64 as a double: whole increments at or above it cannot go in the integer lane.
constexpr double two_pow_64 = 18446744073709551616.0;

}  // namespace

void counter::inc(double n) noexcept {
  if (!(n >= 0)) return;  // also rejects NaN
  if (n < two_pow_64 && std::trunc(n) == n) {
    whole_.fetch_add(static_cast<std::uint64_t>(n), relaxed);
  } else {
    fraction_.fetch_add(n, relaxed);
  }
}

double counter::value() const noexcept {
  return static_cast<double>(whole_.load(relaxed)) + fraction_.load(relaxed);
}

void gauge::set(double v) noexcept { value_.store(v, relaxed); }
void gauge::inc(double n) noexcept { value_.fetch_add(n, relaxed); }
void gauge::dec(double n) noexcept { value_.fetch_sub(n, relaxed); }

void gauge::set_to_current_time() noexcept {
  using namespace std::chrono;
  set(duration<double>(system_clock::now().time_since_epoch()).count());
}

double gauge::value() const noexcept { return value_.load(relaxed); }

histogram::histogram(std::span<const double> bounds)
    : bounds_(bounds), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, relaxed);
}

void histogram::observe(double v) noexcept {
  // lower_bound finds the first bound >= v; NaN compares false everywhere and would land in
  // the first bucket, so route it to +Inf explicitly.
  const std::size_t i = std::isnan(v) ? bounds_.size()
                                      : static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) -
                                                                 bounds_.begin());
  buckets_[i].fetch_add(1, relaxed);
  sum_.fetch_add(v, relaxed);
}

histogram::snapshot histogram::read() const {
  snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(relaxed);
    s.cumulative[i] = running;
  }
  s.count = running;
  s.sum = sum_.load(relaxed);
  return s;
}

}  // namespace mirror::metrics
