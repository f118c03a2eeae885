#include "http/conditional.hpp"

#include <optional>
#include <stdexcept>

#include <zlib.h>

namespace mirror::http {
namespace {

constexpr std::string_view whitespace = " \t";

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(whitespace);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(whitespace);
  return s.substr(b, e - b + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view opaque(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

// q-value of one Accept-Encoding element's parameters ("q=0.5"); 1 when absent, 0 when malformed.
double q_value(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    auto p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      const auto v = p.substr(2);
      if (v.empty() || (v[0] != '0' && v[0] != '1')) return 0;
      // "0", "0.", "0.xyz", "1", "1.000": anything with a non-zero digit is > 0.
      return v.find_first_of("123456789") != std::string_view::npos ? 1 : 0;
    }
  }
  return 1;
}

}  // namespace

std::string entity_tag(std::uint64_t generation, std::string_view target, bool gzip) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bits
  for (const char c : target) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  static constexpr char hex[] = "0123456789abcdef";
  char url[16];
  for (int i = 15; i >= 0; --i, h >>= 4) url[i] = hex[h & 0xf];
  std::string t = "\"g" + std::to_string(generation);
  t += '.';
  t.append(url, sizeof url);
  if (gzip) t += "-gz";
  t += '"';
  return t;
}

bool none_match_fails(std::string_view header, std::string_view etag) {
  header = trim(header);
  if (header == "*") return true;
  const auto want = opaque(etag);
  while (!header.empty()) {
    // Entity tags are quoted and may not contain '"', but may contain ',': split on quotes.
    header = trim(header);
    if (header.starts_with(',')) {
      header.remove_prefix(1);
      continue;
    }
    std::size_t start = header.starts_with("W/") ? 2 : 0;
    if (start >= header.size() || header[start] != '"') return false;  // malformed: no match
    const auto close = header.find('"', start + 1);
    if (close == std::string_view::npos) return false;
    if (header.substr(start, close - start + 1) == want) return true;
    header.remove_prefix(close + 1);
  }
  return false;
}

bool accepts_gzip(std::string_view header) {
  std::optional<bool> gzip_entry;
  bool star = false;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto element = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const auto semi = element.find(';');
    const auto coding = trim(element.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1 : q_value(element.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip"))
      gzip_entry = gzip_entry.value_or(false) || q > 0;
    else if (coding == "*")
      star = q > 0;
  }
  return gzip_entry ? *gzip_entry : star;
}

std::string gzip(std::string_view body) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(body.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto produced = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(produced);
  return out;
}

}  // namespace mirror::http
