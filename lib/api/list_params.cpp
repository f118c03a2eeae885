#include "api/list_params.hpp"

#include <charconv>
#include <limits>

#include "api/problem.hpp"
#include "json/writer.hpp"
#include "model/timestamp.hpp"

namespace mirror::api {
namespace {

std::string json_string(std::string_view s) {
  std::string out;
  json::append_escaped(out, s);
  return out;
}

}  // namespace

std::optional<bool> parse_go_bool(std::string_view t) {
  if (t == "1" || t == "t" || t == "T" || t == "TRUE" || t == "true" || t == "True") return true;
  if (t == "0" || t == "f" || t == "F" || t == "FALSE" || t == "false" || t == "False") return false;
  return std::nullopt;
}

std::optional<std::int64_t> parse_go_int(std::string_view t) {
  bool negative = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.empty()) return std::nullopt;
  std::uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), magnitude);
  if (ec != std::errc{} || ptr != t.data() + t.size()) return std::nullopt;
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!negative && magnitude > max) return std::nullopt;
  if (negative && magnitude > max + 1) return std::nullopt;
  return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
}

std::optional<std::int64_t> int_param(const target& t, std::string_view name, std::int64_t min,
                                      std::int64_t max, std::vector<error_detail>& invalid) {
  auto v = t.param(name);
  if (!v || v->empty()) return std::nullopt;
  const std::string location = "query." + std::string(name);
  auto n = parse_go_int(*v);
  if (!n)
    invalid.push_back({"invalid integer", location, json_string(*v)});
  else if (*n < min)
    invalid.push_back({"expected number >= " + std::to_string(min), location, std::to_string(*n)});
  else if (*n > max)
    invalid.push_back({"expected number <= " + std::to_string(max), location, std::to_string(*n)});
  else
    return n;
  return std::nullopt;
}

std::optional<bool> bool_param(const target& t, std::string_view name, std::vector<error_detail>& invalid) {
  auto v = t.param(name);
  if (!v || v->empty()) return std::nullopt;
  auto b = parse_go_bool(*v);
  if (!b) invalid.push_back({"invalid boolean", "query." + std::string(name), json_string(*v)});
  return b;
}

model::cursor parse_request_cursor(std::string_view text) {
  std::string fixed(text);
  for (char& c : fixed)
    if (c == ' ') c = '+';
  return model::parse_cursor(fixed);
}

std::variant<model::list_query, response> parse_list_params(const target& t) {
  model::list_query q;
  std::vector<error_detail> invalid;
  auto non_empty = [&](std::string_view name) -> std::optional<std::string_view> {
    auto v = t.param(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };

  // Huma's pass, in the order of the upstream's ListServersInput fields.
  if (auto n = int_param(t, "limit", 1, 100, invalid)) q.limit = static_cast<int>(*n);
  const auto include_deleted = bool_param(t, "include_deleted", invalid);
  if (!invalid.empty()) return problem(422, "validation failed", invalid);

  // The handler's pass.
  if (auto v = non_empty("updated_since")) {
    auto us = model::parse_rfc3339_us(*v);
    if (!us)
      return problem(400,
                     "Invalid updated_since format: expected RFC3339 timestamp (e.g., "
                     "2025-08-07T13:15:04.280Z)");
    q.updated_since_us = *us;
  }
  if (auto v = non_empty("search")) q.search = *v;
  if (auto v = non_empty("version")) {
    if (*v == "latest")
      q.latest_only = true;
    else
      q.exact_version = std::string(*v);
  }
  if (q.updated_since_us) {
    if (include_deleted && !*include_deleted)
      return problem(400,
                     "Cannot set include_deleted=false when using updated_since (incremental sync "
                     "requires deleted servers)");
    q.include_deleted = true;
  } else {
    q.include_deleted = include_deleted.value_or(false);
  }
  if (auto v = non_empty("cursor")) q.after = parse_request_cursor(*v);
  return q;
}

}  // namespace mirror::api
