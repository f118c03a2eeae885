#pragma once
// The three child instruments a family hands out. Each is one label-value combination; the
// caller caches the reference returned by `family::with` and updates it from any thread.
// Updates are lock-free and allocation-free; reads (for rendering) are relaxed loads, which
// is all a scrape needs: each value is independent and monotonic or last-write-wins.
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace mirror::metrics {

// Monotonic counter. Storage is split in two lanes, as the Go client does: whole-number
// increments (the common case: requests, runs, retries) go to an atomic<uint64_t> with one
// relaxed fetch_add and stay exact forever; fractional increments (seconds, bytes as
// doubles) go to an atomic<double>, whose fetch_add is a compare-exchange loop. value() adds
// the lanes. A single atomic<double> would cost a CAS loop on every increment and lose exact
// integers past 2^53; fixed-point would cap range or precision for no gain.
class counter {
 public:
  // Negative and NaN increments are ignored: a counter that goes down reads as a process
  // restart to rate(), which would corrupt every derived series.
  void inc(double n = 1) noexcept;
  double value() const noexcept;

 private:
  std::atomic<std::uint64_t> whole_{0};
  std::atomic<double> fraction_{0};
};

// Value that goes up and down, or is set outright (last success time, queue depth).
class gauge {
 public:
  void set(double v) noexcept;
  void inc(double n = 1) noexcept;
  void dec(double n = 1) noexcept;
  // Seconds since the Unix epoch, the unit Prometheus expects for `*_timestamp_seconds`.
  void set_to_current_time() noexcept;
  double value() const noexcept;

 private:
  std::atomic<double> value_{0};
};

// Histogram over bounds fixed at registration. Buckets are stored non-cumulative (one
// counter per bucket plus an overflow bucket for +Inf), so observe() touches exactly one
// bucket and the sum; render cumulates. There is no separate count: it is the total of the
// buckets read at render time, so `_count` always equals the `+Inf` bucket even when a scrape
// races an observe (`_sum` may lag or lead by that one in-flight observation).
class histogram {
 public:
  struct snapshot {
    std::vector<std::uint64_t> cumulative;  // bounds().size() + 1 entries, last = +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };

  // `bounds` must be strictly increasing and finite, and outlive this histogram (the family
  // owns them); registry::add_histogram enforces both.
  explicit histogram(std::span<const double> bounds);

  // Counts v in the first bucket whose upper bound is >= v (Prometheus `le` semantics); NaN
  // lands in +Inf only, as in the Go client, and makes the sum NaN.
  void observe(double v) noexcept;
  snapshot read() const;
  std::span<const double> bounds() const noexcept { return bounds_; }

 private:
  std::span<const double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

}  // namespace mirror::metrics
