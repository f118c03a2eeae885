#include "metrics/registry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>

namespace mirror::metrics {

namespace {

std::string_view type_name(metric_type t) {
  switch (t) {
    case metric_type::counter: return "counter";
    case metric_type::gauge: return "gauge";
    case metric_type::histogram: return "histogram";
  }
  return "untyped";
}

template <class A, class B>
bool lex_less(std::span<A> a, std::span<B> b) noexcept {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](std::string_view x, std::string_view y) { return x < y; });
}

// One sample line: name{labels[,le="bound"]} value. `le` is null for non-bucket samples.
void append_sample(std::string& out, std::string_view name, std::string_view suffix,
                   const std::vector<std::string>& label_names, const std::vector<std::string>& values,
                   const double* le, double value) {
  out += name;
  out += suffix;
  if (!label_names.empty() || le) {
    out += '{';
    for (std::size_t i = 0; i < label_names.size(); ++i) {
      if (i) out += ',';
      out += label_names[i];
      out += "=\"";
      append_escaped_label_value(out, values[i]);
      out += '"';
    }
    if (le) {
      if (!label_names.empty()) out += ',';
      out += "le=\"";
      append_value(out, *le);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  append_value(out, value);
  out += '\n';
}

void append_header(std::string& out, const family_base& f) {
  out += "# HELP ";
  out += f.name();
  out += ' ';
  append_escaped_help(out, f.help());
  out += "\n# TYPE ";
  out += f.name();
  out += ' ';
  out += type_name(f.type());
  out += '\n';
}

void render_child(std::string& out, const family_base& f, const std::vector<std::string>& values, const counter& c) {
  append_sample(out, f.name(), "", f.label_names(), values, nullptr, c.value());
}

void render_child(std::string& out, const family_base& f, const std::vector<std::string>& values, const gauge& g) {
  append_sample(out, f.name(), "", f.label_names(), values, nullptr, g.value());
}

void render_child(std::string& out, const family_base& f, const std::vector<std::string>& values,
                  const histogram& h) {
  const auto snap = h.read();
  const auto bounds = h.bounds();
  static constexpr double inf = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    const double* le = i < bounds.size() ? &bounds[i] : &inf;
    append_sample(out, f.name(), "_bucket", f.label_names(), values, le, static_cast<double>(snap.cumulative[i]));
  }
  append_sample(out, f.name(), "_sum", f.label_names(), values, nullptr, snap.sum);
  append_sample(out, f.name(), "_count", f.label_names(), values, nullptr, static_cast<double>(snap.count));
}

template <class Child>
std::unique_ptr<Child> make_child(std::span<const double> bounds) {
  if constexpr (std::is_same_v<Child, histogram>) {
    return std::make_unique<histogram>(bounds);
  } else {
    return std::make_unique<Child>();
  }
}

void check_arity(const family_base& f, std::size_t n) {
  if (n != f.label_names().size())
    throw std::invalid_argument(fmt::format("metric {}: {} label values for {} label names", f.name(), n,
                                            f.label_names().size()));
}

}  // namespace

// --- family_base / ordering ---------------------------------------------------------------

family_base::family_base(std::string name, std::string help, metric_type type, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), type_(type), label_names_(std::move(label_names)) {
  if (!valid_metric_name(name_)) throw std::invalid_argument(fmt::format("invalid metric name '{}'", name_));
  for (std::size_t i = 0; i < label_names_.size(); ++i) {
    const auto& l = label_names_[i];
    if (!valid_label_name(l))
      throw std::invalid_argument(fmt::format("metric {}: invalid label name '{}'", name_, l));
    if (std::find(label_names_.begin(), label_names_.begin() + static_cast<std::ptrdiff_t>(i), l) !=
        label_names_.begin() + static_cast<std::ptrdiff_t>(i))
      throw std::invalid_argument(fmt::format("metric {}: duplicate label name '{}'", name_, l));
    if (type_ == metric_type::histogram && l == "le")
      throw std::invalid_argument(fmt::format("metric {}: label name 'le' is reserved for buckets", name_));
  }
}

bool label_values_less::operator()(std::span<const std::string> a, std::span<const std::string> b) const noexcept {
  return lex_less(a, b);
}
bool label_values_less::operator()(std::span<const std::string> a,
                                   std::span<const std::string_view> b) const noexcept {
  return lex_less(a, b);
}
bool label_values_less::operator()(std::span<const std::string_view> a,
                                   std::span<const std::string> b) const noexcept {
  return lex_less(a, b);
}

// --- family<Child> ------------------------------------------------------------------------

template <class Child>
family<Child>::family(std::string name, std::string help, metric_type type, std::vector<std::string> label_names,
                      std::vector<double> bounds)
    : family_base(std::move(name), std::move(help), type, std::move(label_names)), bounds_(std::move(bounds)) {}

template <class Child>
Child& family<Child>::with(std::span<const std::string_view> values) {
  check_arity(*this, values.size());
  std::lock_guard lock(mu_);
  auto it = children_.find(values);
  if (it == children_.end())
    it = children_.emplace(key(values.begin(), values.end()), make_child<Child>(bounds_)).first;
  return *it->second;
}

template <class Child>
Child& family<Child>::with(std::span<const std::string> values) {
  std::vector<std::string_view> views(values.begin(), values.end());
  return with(std::span<const std::string_view>(views));
}

template <class Child>
void family<Child>::render(std::string& out) const {
  append_header(out, *this);
  // Holding the lock only blocks creation of new children; updates to existing ones proceed.
  std::lock_guard lock(mu_);
  for (const auto& [values, child] : children_) render_child(out, *this, values, *child);
}

template class family<counter>;
template class family<gauge>;
template class family<histogram>;

// --- registry -----------------------------------------------------------------------------

template <class Family>
Family& registry::add(std::unique_ptr<Family> f) {
  if (f->label_names().empty()) f->with({});
  std::lock_guard lock(mu_);
  for (const auto& existing : families_)
    if (existing->name() == f->name())
      throw std::invalid_argument(fmt::format("metric {} is already registered", f->name()));
  auto& ref = *f;
  families_.push_back(std::move(f));
  return ref;
}

counter_family& registry::add_counter(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<counter_family>(std::move(name), std::move(help), metric_type::counter,
                                              std::move(label_names)));
}

gauge_family& registry::add_gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(
      std::make_unique<gauge_family>(std::move(name), std::move(help), metric_type::gauge, std::move(label_names)));
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
  return add(std::make_unique<histogram_family>(std::move(name), std::move(help), metric_type::histogram,
                                                std::move(label_names), std::move(b)));
}

std::string registry::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& f : families_) f->render(out);
  return out;
}

}  // namespace mirror::metrics
