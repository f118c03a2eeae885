#pragma once
// Prometheus metrics registry for `GET /metrics`.
//
// Families (name, help, type, fixed label names) are registered once at startup; each hands
// out children, one per label-value combination, created on first `with(...)` and cached by
// the caller:
//
//   auto& requests = reg.add_counter("mcp_mirror_http_requests_total", "HTTP requests.",
//                                    {"method", "route", "status"});
//   metrics::counter& ok = requests.with({"GET", "/v0.1/servers", "200"});  // once
//   ok.inc();                                                                // hot path
//
// `with` takes the family's mutex (it may allocate a child); updating a child never locks or
// allocates. Child references stay valid for the registry's lifetime: children are never
// removed and live behind stable pointers, so adding children cannot move existing ones.
// All members are safe to call from any thread; render() runs concurrently with updates.
#include <array>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/instruments.hpp"
#include "metrics/text_format.hpp"

namespace mirror::metrics {

enum class metric_type { counter, gauge, histogram };

// Request latency buckets in seconds, 0.5 ms to 2.5 s: the served responses are cached
// in-memory JSON, so most land in the low milliseconds and the tail shows slow clients.
inline constexpr std::array<double, 12> http_latency_buckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

// Common part of every family: identity and the render entry point the registry calls.
class family_base {
 public:
  family_base(std::string name, std::string help, metric_type type, std::vector<std::string> label_names);
  virtual ~family_base() = default;
  family_base(const family_base&) = delete;
  family_base& operator=(const family_base&) = delete;

  const std::string& name() const noexcept { return name_; }
  const std::string& help() const noexcept { return help_; }
  metric_type type() const noexcept { return type_; }
  const std::vector<std::string>& label_names() const noexcept { return label_names_; }

  // Appends `# HELP`, `# TYPE` and one line per sample, children sorted by label values.
  virtual void render(std::string& out) const = 0;

 private:
  std::string name_;
  std::string help_;
  metric_type type_;
  std::vector<std::string> label_names_;
};

// Orders children by label values (byte-wise, left to right): that is the render order. It
// is transparent so `with` can find an existing child from string_views without building a
// key; only creating a child allocates.
struct label_values_less {
  using is_transparent = void;
  bool operator()(std::span<const std::string> a, std::span<const std::string> b) const noexcept;
  bool operator()(std::span<const std::string> a, std::span<const std::string_view> b) const noexcept;
  bool operator()(std::span<const std::string_view> a, std::span<const std::string> b) const noexcept;
};

template <class Child>
class family final : public family_base {
 public:
  // Registry-internal; use registry::add_*. `bounds` is only meaningful for histograms.
  family(std::string name, std::string help, metric_type type, std::vector<std::string> label_names,
         std::vector<double> bounds = {});

  // The child for these label values, in label-name order; created on first use. Throws
  // std::invalid_argument if the count differs from the family's label names: a wrong arity
  // is a programming error and must not silently produce a malformed series.
  Child& with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Child& with(std::span<const std::string_view> values);
  Child& with(std::span<const std::string> values);

  // Histogram families only: the upper bounds given at registration (without +Inf).
  std::span<const double> bounds() const noexcept { return bounds_; }

  void render(std::string& out) const override;

 private:
  using key = std::vector<std::string>;
  const std::vector<double> bounds_;  // children keep spans into this; never modified
  mutable std::mutex mu_;
  std::map<key, std::unique_ptr<Child>, label_values_less> children_;
};

using counter_family = family<counter>;
using gauge_family = family<gauge>;
using histogram_family = family<histogram>;

class registry {
 public:
  registry() = default;
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  // Registration validates the names (metric: [a-zA-Z_:][a-zA-Z0-9_:]*, label:
  // [a-zA-Z_][a-zA-Z0-9_]*, no "__" prefix, no duplicates) and throws std::invalid_argument
  // on a bad or already registered name, so mistakes fail at startup, not at scrape time.
  // A family without labels gets its single child immediately (`with({})`), so it renders
  // as 0 from the first scrape rather than being absent until first use: absent and zero
  // mean different things to alerting rules.
  counter_family& add_counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  gauge_family& add_gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  // `bounds`: strictly increasing, finite upper bounds; a trailing +Inf is accepted and
  // dropped (it is always implied). Label name "le" is reserved for the bucket label.
  histogram_family& add_histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                  std::span<const double> bounds);

  // Text exposition format 0.0.4, families in registration order; serve it with
  // `content_type`. Families with labels but no children render their HELP/TYPE lines only.
  std::string render() const;

 private:
  template <class Family>
  Family& add(std::unique_ptr<Family> f);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<family_base>> families_;
};

}  // namespace mirror::metrics
