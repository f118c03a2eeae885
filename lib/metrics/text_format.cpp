#include "metrics/text_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace mirror::metrics {

namespace {

// Shortest round-trip text in the requested notation. 64 bytes hold every case append_value
// asks for: scientific is at most ~24 chars, and fixed is only requested below 1e21.
void append_chars(std::string& out, double v, std::chars_format fmt) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, fmt);
  if (ec != std::errc{}) {  // unreachable given the caps above; keep output parseable anyway
    out += "NaN";
    return;
  }
  out.append(buf, end);
}

// Decimal exponent of the shortest representation (the "e" part of 1.5e-07), read back from
// to_chars so it agrees with the digits we print, including values that round across a
// power of ten.
int decimal_exponent(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view s(buf, static_cast<std::size_t>(end - buf));
  auto e = s.find('e');
  int exp = 0;
  if (ec == std::errc{} && e != std::string_view::npos) {
    std::string_view digits = s.substr(e + 1);
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    std::from_chars(digits.data(), digits.data() + digits.size(), exp);
  }
  return exp;
}

bool name_char(char c, bool first, bool allow_colon) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (alpha || (allow_colon && c == ':')) return true;
  return !first && c >= '0' && c <= '9';
}

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, allow_colon)) return false;
  return true;
}

}  // namespace

void append_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (v == 0) {  // also folds -0 into "0": a sign on zero means nothing to a scraper
    out += '0';
    return;
  }
  const double mag = std::fabs(v);
  if (mag < 1e21 && std::trunc(v) == v) {
    append_chars(out, v, std::chars_format::fixed);  // integral: digits, no point
    return;
  }
  const int exp = decimal_exponent(v);
  append_chars(out, v, exp < -4 || exp >= 21 ? std::chars_format::scientific : std::chars_format::fixed);
}

std::string format_value(double v) {
  std::string s;
  append_value(s, v);
  return s;
}

void append_escaped_label_value(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

void append_escaped_help(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

bool valid_metric_name(std::string_view name) { return valid_name(name, true); }

bool valid_label_name(std::string_view name) {
  return valid_name(name, false) && !name.starts_with("__");
}

}  // namespace mirror::metrics
