#include "json/writer.hpp"

#include <charconv>
#include <cstddef>

namespace mirror::json {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_u_escape(std::string& out, unsigned code) {
  out += "\\u";
  out += hex_digits[(code >> 12) & 0xf];
  out += hex_digits[(code >> 8) & 0xf];
  out += hex_digits[(code >> 4) & 0xf];
  out += hex_digits[code & 0xf];
}

// Length of the valid UTF-8 sequence starting at s[i] (2–4), or 0 when the bytes there do not
// form one. Same acceptance as Go's utf8.DecodeRune: no overlong forms, no surrogates
// (U+D800–U+DFFF), nothing above U+10FFFF. `code` receives the code point.
std::size_t utf8_sequence(std::string_view s, std::size_t i, unsigned& code) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const auto cont = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xc0) == 0x80; };
  const unsigned b0 = byte(i);
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    if (!cont(i + 1)) return 0;
    code = ((b0 & 0x1f) << 6) | (byte(i + 1) & 0x3f);
    return 2;
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    code = ((b0 & 0x0f) << 12) | ((byte(i + 1) & 0x3f) << 6) | (byte(i + 2) & 0x3f);
    if (code < 0x800 || (code >= 0xd800 && code <= 0xdfff)) return 0;
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    code = ((b0 & 0x07) << 18) | ((byte(i + 1) & 0x3f) << 12) | ((byte(i + 2) & 0x3f) << 6) |
           (byte(i + 3) & 0x3f);
    if (code < 0x10000 || code > 0x10ffff) return 0;
    return 4;
  }
  return 0;  // a stray continuation byte, 0xc0/0xc1, 0xf5–0xff
}

}  // namespace

// Mirrors Go's encoding/json appendString (Go 1.22+, escapeHTML=false): short escapes for
// \" \\ \b \f \n \r \t, \u00XX (lower-case hex) for the other C0 controls, DEL and '<' '>' '&'
// kept raw, U+2028/U+2029 escaped, every byte that does not start a valid UTF-8 sequence
// replaced by \ufffd (one per byte, as Go does).
void append_escaped(std::string& out, std::string_view value) {
  out.reserve(out.size() + value.size() + 2);
  out += '"';
  std::size_t i = 0;
  while (i < value.size()) {
    // Copy the longest run that needs no escaping in one go.
    std::size_t run = i;
    while (run < value.size()) {
      const auto c = static_cast<unsigned char>(value[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out.append(value.data() + i, run - i);
    i = run;
    if (i == value.size()) break;

    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: append_u_escape(out, c); break;
      }
      ++i;
      continue;
    }
    unsigned code = 0;
    const std::size_t len = utf8_sequence(value, i, code);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
    } else if (code == 0x2028 || code == 0x2029) {
      append_u_escape(out, code);
      i += len;
    } else {
      out.append(value.data() + i, len);
      i += len;
    }
  }
  out += '"';
}

void writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;  // a top-level value
  if (!first_.back()) out_ += ',';
  first_.back() = false;
}

writer& writer::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

writer& writer::end_object() {
  first_.pop_back();
  out_ += '}';
  return *this;
}

writer& writer::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

writer& writer::end_array() {
  first_.pop_back();
  out_ += ']';
  return *this;
}

writer& writer::key(std::string_view name) {
  separate();
  append_escaped(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

writer& writer::string(std::string_view value) {
  separate();
  append_escaped(out_, value);
  return *this;
}

writer& writer::number(std::int64_t value) {
  separate();
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
  return *this;
}

writer& writer::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

writer& writer::null() {
  separate();
  out_ += "null";
  return *this;
}

writer& writer::raw(std::string_view json_value) {
  separate();
  out_ += json_value;
  return *this;
}

writer& writer::raw_members(std::string_view members) {
  if (members.empty()) return *this;
  separate();
  out_ += members;
  return *this;
}

}  // namespace mirror::json
