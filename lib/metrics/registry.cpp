// metrics::registry on prometheus-cpp: registration checks, the label map `with` hands to
// prometheus::Family::Add, and render() through prometheus::TextSerializer. See registry.hpp
// for what this layer adds and why.
#include "metrics/registry.hpp"

#include <algorithm>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>
#include <prometheus/check_names.h>
#include <prometheus/text_serializer.h>

namespace mirror::metrics {

namespace {

// prometheus-cpp writes HELP verbatim; the format wants backslash and newline escaped (not
// the double quote: it cannot end a HELP line).
std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

template <class Metric>
prometheus::Family<Metric>& build(prometheus::Registry& reg, const std::string& name, const std::string& help) {
  if constexpr (std::is_same_v<Metric, prometheus::Counter>) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(reg);
  } else if constexpr (std::is_same_v<Metric, prometheus::Gauge>) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(reg);
  } else {
    static_assert(std::is_same_v<Metric, prometheus::Histogram>);
    return prometheus::BuildHistogram().Name(name).Help(help).Register(reg);
  }
}

void check_label_names(const std::string& name, const std::vector<std::string>& label_names, bool histogram) {
  for (auto it = label_names.begin(); it != label_names.end(); ++it) {
    if (!prometheus::CheckLabelName(*it))
      throw std::invalid_argument(fmt::format("metric {}: invalid label name '{}'", name, *it));
    if (std::find(label_names.begin(), it, *it) != it)
      throw std::invalid_argument(fmt::format("metric {}: duplicate label name '{}'", name, *it));
    if (histogram && *it == "le")
      throw std::invalid_argument(fmt::format("metric {}: label name 'le' is reserved for buckets", name));
  }
}

}  // namespace

// --- family -------------------------------------------------------------------------------

prometheus::Labels family_base::labels(std::span<const std::string_view> values) const {
  if (values.size() != label_names_.size())
    throw std::invalid_argument(fmt::format("metric {}: {} label values for {} label names", name_, values.size(),
                                            label_names_.size()));
  prometheus::Labels out;
  for (std::size_t i = 0; i < values.size(); ++i) out.emplace(label_names_[i], values[i]);
  return out;
}

prometheus::MetricFamily family_base::collect() const {
  auto collected = collectable_->Collect();  // one family, or none while it has no children
  if (collected.empty()) return {name_, help_, type_, {}};
  return std::move(collected.front());
}

template <class Handle>
Handle family<Handle>::with(std::span<const std::string_view> values) {
  std::lock_guard lock(mu_);
  // A cached key has the family's arity, so a wrong-arity lookup misses and labels() throws.
  if (const auto it = cache_.find(values); it != cache_.end()) return Handle(*it->second);
  metric* m = nullptr;
  if constexpr (std::is_same_v<Handle, histogram>) {
    m = &family_.Add(labels(values), bounds_);
  } else {
    m = &family_.Add(labels(values));
  }
  cache_.emplace(std::vector<std::string>(values.begin(), values.end()), m);
  return Handle(*m);
}

template class family<counter>;
template class family<gauge>;
template class family<histogram>;

// --- registry -----------------------------------------------------------------------------

// Throw, not Merge: registering a name twice is a programming error, not a lookup.
registry::registry() : reg_(prometheus::Registry::InsertBehavior::Throw) {}

template <class Handle>
family<Handle>& registry::add(std::string name, std::string help, std::vector<std::string> label_names,
                              std::vector<double> bounds) {
  using metric = typename Handle::metric;
  if (!prometheus::CheckMetricName(name))
    throw std::invalid_argument(fmt::format("invalid metric name '{}'", name));
  check_label_names(name, label_names, std::is_same_v<Handle, histogram>);
  std::lock_guard lock(mu_);
  for (const auto& existing : families_)
    if (existing->name() == name) throw std::invalid_argument(fmt::format("metric {} is already registered", name));
  auto escaped = escape_help(help);
  auto& registered = build<metric>(reg_, name, escaped);
  auto f = std::make_unique<family<Handle>>(registered, std::move(escaped), std::move(label_names), std::move(bounds));
  if (f->label_names().empty()) f->with({});
  auto& ref = *f;
  families_.push_back(std::move(f));
  return ref;
}

counter_family& registry::add_counter(std::string name, std::string help, std::vector<std::string> label_names) {
  return add<counter>(std::move(name), std::move(help), std::move(label_names));
}

gauge_family& registry::add_gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  return add<gauge>(std::move(name), std::move(help), std::move(label_names));
}

histogram_family& registry::add_histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                          std::span<const double> bounds) {
  std::vector<double> b(bounds.begin(), bounds.end());
  if (!b.empty() && b.back() == std::numeric_limits<double>::infinity()) b.pop_back();
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (!std::isfinite(b[i]))
      throw std::invalid_argument(fmt::format("metric {}: bucket bound {} is not finite", name, b[i]));
    if (i && !(b[i - 1] < b[i]))
      throw std::invalid_argument(fmt::format("metric {}: bucket bounds must be strictly increasing", name));
  }
  return add<histogram>(std::move(name), std::move(help), std::move(label_names), std::move(b));
}

std::string registry::render() const {
  // Each family collects itself (prometheus::Registry::Collect would group them by type).
  std::vector<prometheus::MetricFamily> collected;
  {
    std::lock_guard lock(mu_);
    for (const auto& f : families_) collected.push_back(f->collect());
  }
  // Children come out of a hash map; all have the same label names in the same (sorted)
  // order, so comparing the label lists orders them by values, byte-wise, left to right.
  for (auto& mf : collected)
    std::sort(mf.metric.begin(), mf.metric.end(), [](const auto& a, const auto& b) { return a.label < b.label; });
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, collected);
  return std::move(out).str();
}

}  // namespace mirror::metrics
