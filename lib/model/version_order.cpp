#include "model/version_order.hpp"

#include <array>
#include <optional>

namespace mirror::model {
namespace {

// A valid SemVer split into views of the original string (no copies, no integer parsing:
// numeric identifiers may be longer than any integer type).
struct semver_parts {
  std::array<std::string_view, 3> core;  // major, minor, patch
  std::optional<std::string_view> prerelease;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_identifier_char(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

// semver.org: a numeric identifier is "0" or has no leading zero ("2021.03.05" is not SemVer).
bool is_numeric_without_leading_zero(std::string_view s) {
  return all_digits(s) && (s.size() == 1 || s[0] != '0');
}

// Dot-separated, non-empty identifiers of [0-9A-Za-z-]. Prerelease identifiers that are all
// digits must not have a leading zero; build identifiers may ("+001" is fine).
bool valid_identifiers(std::string_view s, bool is_prerelease) {
  while (true) {
    const auto dot = s.find('.');
    const std::string_view id = s.substr(0, dot);
    if (id.empty()) return false;
    for (char c : id)
      if (!is_identifier_char(c)) return false;
    if (is_prerelease && all_digits(id) && !is_numeric_without_leading_zero(id)) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

std::optional<semver_parts> parse_semver(std::string_view v) {
  if (!v.empty() && v.front() == 'v') v.remove_prefix(1);  // upstream adds a 'v' if missing

  // '+' starts build metadata; identifiers cannot contain '+', so the first one decides.
  if (const auto plus = v.find('+'); plus != std::string_view::npos) {
    if (!valid_identifiers(v.substr(plus + 1), false)) return std::nullopt;
    v = v.substr(0, plus);
  }

  semver_parts parts;
  // The core has no '-', so the first '-' starts the prerelease (which may contain more).
  if (const auto dash = v.find('-'); dash != std::string_view::npos) {
    const std::string_view pre = v.substr(dash + 1);
    if (!valid_identifiers(pre, true)) return std::nullopt;
    parts.prerelease = pre;
    v = v.substr(0, dash);
  }

  // Exactly MAJOR.MINOR.PATCH: "1.0" and "1.0.0.0" are not SemVer here.
  for (std::size_t i = 0; i < 3; ++i) {
    const auto dot = v.find('.');
    if ((i < 2) == (dot == std::string_view::npos)) return std::nullopt;
    const std::string_view number = v.substr(0, dot);
    if (!is_numeric_without_leading_zero(number)) return std::nullopt;
    parts.core[i] = number;
    if (i < 2) v.remove_prefix(dot + 1);
  }
  return parts;
}

int sign(int x) { return (x > 0) - (x < 0); }

// Numeric identifiers without leading zeros: the longer one is larger, equal lengths compare
// digit by digit. Never overflows, whatever the length.
int compare_numeric(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return sign(a.compare(b));
}

// semver.org §11.4: identifier by identifier; numeric < alphanumeric; alphanumerics in ASCII
// order; when all shared identifiers are equal, the longer list is larger.
int compare_prerelease(std::string_view a, std::string_view b) {
  while (true) {
    const auto a_dot = a.find('.');
    const auto b_dot = b.find('.');
    const std::string_view a_id = a.substr(0, a_dot);
    const std::string_view b_id = b.substr(0, b_dot);
    const bool a_num = all_digits(a_id);
    const bool b_num = all_digits(b_id);
    int c = 0;
    if (a_num && b_num) {
      c = compare_numeric(a_id, b_id);
    } else if (a_num != b_num) {
      c = a_num ? -1 : 1;
    } else {
      c = sign(a_id.compare(b_id));
    }
    if (c != 0) return c;
    const bool a_more = a_dot != std::string_view::npos;
    const bool b_more = b_dot != std::string_view::npos;
    if (!a_more || !b_more) return (a_more == b_more) ? 0 : (a_more ? 1 : -1);
    a.remove_prefix(a_dot + 1);
    b.remove_prefix(b_dot + 1);
  }
}

}  // namespace

bool is_semver(std::string_view version) { return parse_semver(version).has_value(); }

int compare_semver(std::string_view a, std::string_view b) {
  const auto pa = parse_semver(a);
  const auto pb = parse_semver(b);
  // Outside the contract (an argument is not SemVer): rank invalid below valid so callers
  // that slip still get a consistent total order instead of undefined behaviour.
  if (!pa || !pb) return (pa.has_value() == pb.has_value()) ? 0 : (pa ? 1 : -1);

  for (std::size_t i = 0; i < 3; ++i)
    if (const int c = compare_numeric(pa->core[i], pb->core[i]); c != 0) return c;

  // A release outranks any of its prereleases (1.0.0-alpha < 1.0.0).
  if (pa->prerelease.has_value() != pb->prerelease.has_value()) return pa->prerelease ? -1 : 1;
  if (!pa->prerelease) return 0;
  return compare_prerelease(*pa->prerelease, *pb->prerelease);
}

int compare_versions(std::string_view a, std::int64_t a_published_us,
                     std::string_view b, std::int64_t b_published_us) {
  const bool a_semver = is_semver(a);
  const bool b_semver = is_semver(b);
  if (a_semver && b_semver) return compare_semver(a, b);
  if (a_semver != b_semver) return a_semver ? 1 : -1;  // SemVer always beats non-SemVer
  if (a_published_us != b_published_us) return a_published_us < b_published_us ? -1 : 1;
  return 0;
}

}  // namespace mirror::model
