#include "json/token.hpp"

#include <cstdint>

namespace mirror::json::token {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_hex4(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) return false;
  for (std::size_t k = at; k < at + 4; ++k) {
    if (hex_value(s[k]) < 0) return false;
  }
  return true;
}

std::uint32_t hex4(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t k = at; k < at + 4; ++k) {
    v = (v << 4) | static_cast<std::uint32_t>(hex_value(s[k]));
  }
  return v;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

}  // namespace

std::string_view trim_right(std::string_view text) {
  while (!text.empty()) {
    const char c = text.back();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    text.remove_suffix(1);
  }
  return text;
}

bool is_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0') {
    ++i;
  } else if (is_digit(s[i])) {
    while (i < s.size() && is_digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return i == s.size();
}

bool is_string(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
  const std::size_t end = s.size() - 1;
  for (std::size_t i = 1; i < end; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20) return false;
    if (c == '"') return false;  // an unescaped quote before the end
    if (c != '\\') continue;
    if (++i >= end) return false;  // the closing quote was escaped
    switch (s[i]) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        break;
      case 'u':
        if (!is_hex4(s, i + 1) || i + 4 >= end) return false;
        i += 4;
        break;
      default:
        return false;
    }
  }
  return true;
}

std::string unescape(std::string_view s) {
  std::string out;
  if (s.size() < 2) return out;
  const std::string_view body = s.substr(1, s.size() - 2);
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    const char e = body[++i];
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        std::uint32_t cp = hex4(body, i + 1);
        i += 4;
        const bool high = cp >= 0xd800 && cp <= 0xdbff;
        if (high && i + 6 < body.size() && body[i + 1] == '\\' && body[i + 2] == 'u') {
          const std::uint32_t low = hex4(body, i + 3);
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            i += 6;
          }
        }
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;  // lone surrogate, as Go decodes it
        append_utf8(out, cp);
        break;
      }
      default: out += e; break;  // \" \\ \/
    }
  }
  return out;
}

std::size_t escaped_key_length(const char* raw) {
  std::size_t n = 0;
  while (raw[n] != '"') {
    if (raw[n] == '\\') ++n;
    ++n;
  }
  return n;
}

}  // namespace mirror::json::token
