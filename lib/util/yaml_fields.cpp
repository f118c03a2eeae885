#include "util/yaml_fields.hpp"

#include <charconv>
#include <map>

#include <fmt/format.h>

namespace mirror::util {

[[noreturn]] void fail(const YAML::Node& node, const std::string& key, std::string message) {
  const auto mark = node.Mark();
  throw yaml_failure{{"", mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1, key,
                 std::move(message)}};
}

std::string scalar(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) fail(node, key, "expected a scalar value");
  return node.Scalar();
}

std::uint64_t unsigned_value(const YAML::Node& node, const std::string& key) {
  const auto text = scalar(node, key);
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range)
    fail(node, key, fmt::format("\"{}\" is too large", text));
  if (ec != std::errc{} || p != text.data() + text.size())
    fail(node, key, fmt::format("expected a non-negative integer, got \"{}\"", text));
  return v;
}

std::uint64_t ranged_value(const YAML::Node& node, const std::string& key, std::uint64_t min,
                           std::uint64_t max) {
  const auto v = unsigned_value(node, key);  // checked in 64 bits, before any narrowing cast
  if (v < min || v > max) fail(node, key, fmt::format("must be between {} and {}", min, max));
  return v;
}

// "250ms", "30s", "5m", "1h", "7d". The count is checked against the cap before it is
// multiplied, so no value can wrap: Asio converts timeouts to nanoseconds, and a duration that
// wrapped there (18446744073709551s became -616 ms) would expire at once or never.
std::chrono::milliseconds duration_value(const YAML::Node& node, const std::string& key) {
  const auto text = scalar(node, key);
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  const std::string_view unit(p, text.data() + text.size() - p);
  static const std::map<std::string_view, std::uint64_t> ms_per{
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  auto it = ms_per.find(unit);
  if ((ec != std::errc{} && ec != std::errc::result_out_of_range) || p == text.data() ||
      it == ms_per.end())
    fail(node, key, fmt::format("expected a duration like 30s, 500ms, 5m or 1h, got \"{}\"", text));
  if (ec == std::errc::result_out_of_range || n > max_duration.count() / it->second)
    fail(node, key, fmt::format("\"{}\" is longer than the maximum of 3650d", text));
  return std::chrono::milliseconds(n * it->second);
}

bool bool_value(const YAML::Node& node, const std::string& key) {
  const auto text = scalar(node, key);
  if (text == "true") return true;
  if (text == "false") return false;
  fail(node, key, fmt::format("expected true or false, got \"{}\"", text));
}

void refuse_repeated_keys(const YAML::Node& map, const std::string& prefix) {
  std::map<std::string, int, std::less<>> first_line;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) continue;  // not a key a caller can name; it reports those itself
    const auto [first, fresh] = first_line.emplace(kv.first.Scalar(), kv.first.Mark().line + 1);
    if (!fresh)
      fail(kv.first, join_key(prefix, kv.first.Scalar()),
                   fmt::format("repeated key (first at line {})", first->second));
  }
}

void walk(const YAML::Node& map, const std::string& prefix, const field_map& fields) {
  if (!map.IsMap()) fail(map, prefix.empty() ? "(top level)" : prefix, "expected a mapping");
  // Three checks yaml-cpp leaves to us: a key that is not a string (as<> would throw a bare
  // "bad conversion"), a repeated key (yaml-cpp keeps both; the last would silently win), and a
  // known key without a value (yaml-cpp marks an empty value at the next token, often on the
  // next line, so it is reported at the key).
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) fail(kv.first, prefix.empty() ? "(top level)" : prefix, "a key must be a string");
    if (kv.second.IsNull() && fields.contains(kv.first.Scalar()))
      fail(kv.first, join_key(prefix, kv.first.Scalar()), "has no value");
  }
  refuse_repeated_keys(map, prefix);
  for (const auto& kv : map) {
    const auto name = kv.first.as<std::string>();
    const auto path = prefix.empty() ? name : prefix + "." + name;
    auto it = fields.find(name);
    if (it == fields.end()) fail(kv.first, path, "unknown key");
    it->second(kv.second, path);
  }
}

std::optional<file_error> guarded(std::string_view file_name, const std::function<void()>& body) {
  try {
    body();
  } catch (const yaml_failure& f) {
    file_error e = f.e;
    e.file = file_name;
    return e;
  } catch (const YAML::Exception& x) {
    // yaml-cpp reports 0:0 for some syntax errors; keep its message, which says more.
    return file_error{std::string(file_name), x.mark.is_null() ? 0 : x.mark.line + 1,
                 x.mark.is_null() ? 0 : x.mark.column + 1, "(syntax)", x.msg};
  }
  return std::nullopt;
}

}  // namespace mirror::util
