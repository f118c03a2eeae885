#include "snapshot/manifest.hpp"

#include <simdjson.h>

#include <memory>
#include <stdexcept>

#include "json/writer.hpp"
#include "model/timestamp.hpp"

namespace mirror::snapshot {

void status_counts::add(model::status s) {
  switch (s) {
    case model::status::active: ++active; break;
    case model::status::deprecated: ++deprecated; break;
    case model::status::deleted: ++deleted; break;
  }
  ++total;
}

std::string render_manifest(const manifest& m) {
  std::string out;
  json::writer w(out);
  w.begin_object();
  w.member("format", m.format);
  w.member("createdAt", m.created_at);
  w.key("upstream");
  if (m.upstream) w.string(*m.upstream);
  else w.null();
  w.key("watermark");
  if (m.watermark_us) w.string(model::format_rfc3339(*m.watermark_us));
  else w.null();
  w.member("curated", m.curated);
  w.key("counts").begin_object();
  w.member("active", m.counts.active);
  w.member("deprecated", m.counts.deprecated);
  w.member("deleted", m.counts.deleted);
  w.member("total", m.counts.total);
  w.end_object();
  w.key("data").begin_object();
  w.member("file", m.data_file);
  w.member("bytes", static_cast<std::int64_t>(m.data_bytes));
  w.member("sha256", m.data_sha256);
  w.end_object();
  w.end_object();
  out += '\n';
  return out;
}

namespace {

struct bad : std::runtime_error {
  using std::runtime_error::runtime_error;
};

simdjson::dom::element member(simdjson::dom::object o, std::string_view key, std::string_view path) {
  simdjson::dom::element e;
  if (o[key].get(e)) throw bad(std::string(path) + std::string(key) + ": missing");
  return e;
}

std::string text(simdjson::dom::object o, std::string_view key, std::string_view path = "") {
  std::string_view v;
  if (member(o, key, path).get_string().get(v))
    throw bad(std::string(path) + std::string(key) + ": expected a string");
  return std::string(v);
}

std::optional<std::string> text_or_null(simdjson::dom::object o, std::string_view key) {
  auto e = member(o, key, "");
  if (e.is_null()) return std::nullopt;
  std::string_view v;
  if (e.get_string().get(v)) throw bad(std::string(key) + ": expected a string or null");
  return std::string(v);
}

std::int64_t count(simdjson::dom::object o, std::string_view key, std::string_view path) {
  std::int64_t v = 0;
  if (member(o, key, path).get_int64().get(v) || v < 0)
    throw bad(std::string(path) + std::string(key) + ": expected a non-negative integer");
  return v;
}

simdjson::dom::object object(simdjson::dom::element e, std::string_view what) {
  simdjson::dom::object o;
  if (e.get_object().get(o)) throw bad(std::string(what) + ": expected an object");
  return o;
}

}  // namespace

std::variant<manifest, std::string> parse_manifest(std::string_view bytes) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(bytes);
  simdjson::dom::element root;
  if (auto ec = parser.parse(padded).get(root)) return std::string("not JSON: ") + simdjson::error_message(ec);
  try {
    manifest m;
    auto top = object(root, "manifest");
    m.format = text(top, "format");
    if (m.format != format_id)
      return "format: \"" + m.format + "\" is not " + std::string(format_id);
    m.created_at = text(top, "createdAt");
    if (!model::parse_rfc3339_us(m.created_at)) return std::string("createdAt: not an RFC 3339 time");
    m.upstream = text_or_null(top, "upstream");
    if (auto w = text_or_null(top, "watermark")) {
      m.watermark_us = model::parse_rfc3339_us(*w);
      if (!m.watermark_us) return std::string("watermark: not an RFC 3339 time");
    }
    if (member(top, "curated", "").get_bool().get(m.curated)) return std::string("curated: expected a boolean");
    auto counts = object(member(top, "counts", ""), "counts");
    m.counts.active = count(counts, "active", "counts.");
    m.counts.deprecated = count(counts, "deprecated", "counts.");
    m.counts.deleted = count(counts, "deleted", "counts.");
    m.counts.total = count(counts, "total", "counts.");
    // Checked by subtraction: every count is a non-negative int64, so their sum could overflow.
    const auto& c = m.counts;
    if (c.active > c.total || c.deprecated > c.total - c.active ||
        c.deleted != c.total - c.active - c.deprecated)
      return std::string("counts: total is not active + deprecated + deleted");
    auto data = object(member(top, "data", ""), "data");
    m.data_file = text(data, "file", "data.");
    if (m.data_file.empty() || m.data_file.find_first_of("/\\") != std::string::npos ||
        m.data_file == "." || m.data_file == "..")
      return std::string("data.file: expected a plain file name");
    m.data_bytes = static_cast<std::uint64_t>(count(data, "bytes", "data."));
    m.data_sha256 = text(data, "sha256", "data.");
    if (m.data_sha256.size() != 64 ||
        m.data_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
      return std::string("data.sha256: expected 64 lower-case hex digits");
    return m;
  } catch (const bad& e) {
    return std::string(e.what());
  }
}

}  // namespace mirror::snapshot
