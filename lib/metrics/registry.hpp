#pragma once
// Prometheus metrics for `GET /metrics`, on prometheus-cpp (Debian's prometheus-cpp-dev): its
// core Registry owns the families and their children, its Counter/Gauge/Histogram do the
// atomic updates, and its TextSerializer writes text format 0.0.4. Only the core library is
// used: /metrics is served by our own HTTP server, which calls registry::render().
//
// Why a layer at all, instead of prometheus-cpp types in the callers:
// - fixed label names per family, given once at registration, so a call site passes values
//   only (`with({method, route, status})`) and cannot misspell or forget a label;
// - names, label names and bucket bounds are checked when a family is registered (startup),
//   not when the first child appears (prometheus-cpp checks label names lazily);
// - HELP text is escaped (prometheus-cpp writes it verbatim), NaN observations are dropped
//   (prometheus-cpp would count them in the first bucket), families render in registration
//   order, even before their first child (prometheus-cpp groups them by type and omits empty
//   ones), and children sorted by label values (it keeps them in a hash map), so scrapes
//   list the same families every time and diff cleanly.
//
//   auto& requests = reg.add_counter("mcp_mirror_http_requests_total", "HTTP requests.",
//                                    {"method", "route", "status"});
//   requests.with({"GET", "/v0.1/servers", "200"}).inc();
//
// `with` finds the child in a small cache keyed by label values, without allocating; only on
// a miss does it build prometheus-cpp's label map and call Family::Add, which creates the
// child. Measured (scripts/bench-metrics.sh): Family::Add on every call costs ~300 ns, the
// cache ~90 ns; the request observer calls `with` twice per request (~11 µs CPU in all). Handles
// are cheap copies that stay valid for the registry's lifetime: children are never removed,
// and prometheus-cpp keeps each behind a stable pointer. Everything here is safe to call from
// any thread; render() runs concurrently with updates.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

namespace mirror::metrics {

// Monotonic counter. Negative and NaN increments are ignored: a counter that goes down reads
// as a process restart to rate(), which would corrupt every derived series.
class counter {
 public:
  using metric = prometheus::Counter;
  explicit counter(metric& m) noexcept : m_(&m) {}
  void inc(double n = 1) const noexcept {
    if (n >= 0) m_->Increment(n);  // also rejects NaN
  }
  double value() const noexcept { return m_->Value(); }

 private:
  metric* m_;
};

// Value that goes up and down, or is set outright (last success time, queue depth).
class gauge {
 public:
  using metric = prometheus::Gauge;
  explicit gauge(metric& m) noexcept : m_(&m) {}
  void set(double v) const noexcept { m_->Set(v); }
  void inc(double n = 1) const noexcept { m_->Increment(n); }
  void dec(double n = 1) const noexcept { m_->Decrement(n); }
  double value() const noexcept { return m_->Value(); }

 private:
  metric* m_;
};

// Histogram over the family's bounds. Counts v in the first bucket whose upper bound is >= v
// (Prometheus `le` semantics). NaN is dropped: it would land in the lowest bucket and make
// `_sum` NaN for the rest of the process's life.
class histogram {
 public:
  using metric = prometheus::Histogram;
  explicit histogram(metric& m) noexcept : m_(&m) {}
  void observe(double v) const noexcept {
    if (!std::isnan(v)) m_->Observe(v);
  }

 private:
  metric* m_;
};

// Identity of a family, kept by the registry in registration order (the render order).
class family_base {
 public:
  family_base(std::string name, std::string help, prometheus::MetricType type, std::vector<std::string> label_names,
              prometheus::Collectable& collectable)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(type),
        label_names_(std::move(label_names)),
        collectable_(&collectable) {}
  virtual ~family_base() = default;
  family_base(const family_base&) = delete;
  family_base& operator=(const family_base&) = delete;

  const std::string& name() const noexcept { return name_; }
  const std::vector<std::string>& label_names() const noexcept { return label_names_; }
  // The family's samples; a family without children still yields its HELP and TYPE (which
  // prometheus-cpp alone would drop), so every family is listed from the first scrape.
  prometheus::MetricFamily collect() const;

 protected:
  // The prometheus-cpp label map for these values. Throws std::invalid_argument if the count
  // differs from the label names: a wrong arity is a programming error and must not silently
  // produce a malformed series.
  prometheus::Labels labels(std::span<const std::string_view> values) const;

 private:
  std::string name_;
  std::string help_;  // escaped, as given to prometheus-cpp
  prometheus::MetricType type_;
  std::vector<std::string> label_names_;
  prometheus::Collectable* collectable_;
};

// Orders label-value lists byte-wise, left to right; transparent, so a list of string_views
// finds a cached key of strings without building one.
struct label_values_less {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const noexcept {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

template <class Handle>
class family final : public family_base {
 public:
  using metric = typename Handle::metric;
  // Registry-internal; use registry::add_*. `bounds` is only meaningful for histograms.
  family(prometheus::Family<metric>& f, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds = {})
      : family_base(f.GetName(), std::move(help), metric::metric_type, std::move(label_names), f),
        family_(f),
        bounds_(std::move(bounds)) {}

  // The child for these label values, in label-name order; created on first use.
  Handle with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Handle with(std::span<const std::string_view> values);
  Handle with(std::span<const std::string> values) {
    const std::vector<std::string_view> views(values.begin(), values.end());
    return with(std::span<const std::string_view>(views));
  }

  // Histogram families only: the upper bounds given at registration (without +Inf).
  std::span<const double> bounds() const noexcept { return bounds_; }

 private:
  prometheus::Family<metric>& family_;
  const std::vector<double> bounds_;
  std::mutex mu_;  // guards cache_
  std::map<std::vector<std::string>, metric*, label_values_less> cache_;
};

using counter_family = family<counter>;
using gauge_family = family<gauge>;
using histogram_family = family<histogram>;

class registry {
 public:
  registry();
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  // Registration validates the names (metric: [a-zA-Z_:][a-zA-Z0-9_:]*, label:
  // [a-zA-Z_][a-zA-Z0-9_]*, no "__" prefix, no duplicates) and throws std::invalid_argument
  // on a bad or already registered name, so mistakes fail at startup, not at scrape time.
  // A family without labels gets its single child immediately, so it renders as 0 from the
  // first scrape rather than being absent until first use: absent and zero mean different
  // things to alerting rules.
  counter_family& add_counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  gauge_family& add_gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  // `bounds`: strictly increasing, finite upper bounds; a trailing +Inf is accepted and
  // dropped (it is always implied). Label name "le" is reserved for the bucket label.
  histogram_family& add_histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                  std::span<const double> bounds);

  // Text exposition format 0.0.4 (prometheus::TextSerializer), families in registration
  // order, children sorted by label values; serve it with `content_type` (text_format.hpp).
  // Families with labels but no children render their HELP/TYPE lines only.
  std::string render() const;

 private:
  template <class Handle>
  family<Handle>& add(std::string name, std::string help, std::vector<std::string> label_names,
                      std::vector<double> bounds = {});

  prometheus::Registry reg_;
  std::vector<std::unique_ptr<family_base>> families_;  // registration order; never shrinks
  mutable std::mutex mu_;                               // guards families_
};

}  // namespace mirror::metrics
