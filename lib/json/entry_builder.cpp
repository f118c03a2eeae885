#include "json/entry_builder.hpp"

#include <optional>
#include <string>
#include <utility>

#include "json/writer.hpp"
#include "model/status.hpp"
#include "model/timestamp.hpp"

namespace mirror::json {
namespace {

using detail::official_capture;
using detail::scalar_capture;
using kind = scalar_capture::kind;

const std::string official_path = "_meta[\"io.modelcontextprotocol.registry/official\"]";

// A value quoted for a reason: JSON-escaped (no raw control bytes in logs), cut at 64 bytes.
std::string quote(std::string_view value) {
  std::string out;
  if (value.size() <= 64) {
    append_escaped(out, value);
  } else {
    append_escaped(out, value.substr(0, 64));
    out.insert(out.size() - 1, "...");
  }
  return out;
}

bool present(const scalar_capture& c) { return c.k != kind::missing && c.k != kind::null; }

// Reads captured members; the first problem is kept in `reason` and later reads do nothing.
// JSON null counts as absent, as it does for Go's pointer/omitempty fields.
struct reader {
  std::string reason;

  bool ok() const { return reason.empty(); }

  bool fail(const std::string& path, const std::string& what) {
    if (ok()) reason = path + ": " + what;
    return false;
  }

  bool expect(const scalar_capture& c, const std::string& path, kind k, const char* type_word,
              bool required) {
    if (!ok()) return false;
    if (!present(c)) return required ? fail(path, "missing") : false;
    if (c.k != k) {
      return fail(path, std::string("expected ") + type_word + ", got " + std::string(c.type));
    }
    return true;
  }

  std::optional<std::string> text(const scalar_capture& c, const std::string& path, bool required) {
    if (!expect(c, path, kind::string, "string", required)) return std::nullopt;
    return c.text;
  }

  std::optional<model::timestamp> time(const scalar_capture& c, const std::string& path,
                                       bool required) {
    if (!expect(c, path, kind::string, "string", required)) return std::nullopt;
    auto parsed = model::make_timestamp(c.text);
    if (!parsed) fail(path, "not an RFC 3339 timestamp: " + quote(c.text));
    return parsed;
  }

  std::optional<model::status> status(const scalar_capture& c, const std::string& path,
                                      bool required) {
    if (!expect(c, path, kind::string, "string", required)) return std::nullopt;
    auto parsed = model::parse_status(c.text);
    if (!parsed) fail(path, "unknown value " + quote(c.text));
    return parsed;
  }

  bool flag(const scalar_capture& c, const std::string& path) {
    if (!expect(c, path, kind::boolean, "boolean", false)) return false;
    return c.flag;
  }

  bool object(const official_capture& block, const std::string& path) {
    if (block.type == "object") return true;
    return fail(path, "expected object, got " + std::string(block.type));
  }
};

// Shape 2/3: the block beside `server`. status and publishedAt are required; updatedAt and
// statusChangedAt default to publishedAt.
// The fields both block shapes share; publishedAt required, updatedAt defaulting to it.
// statusChangedAt stays unset when absent: each shape has its own default.
struct common_fields {
  std::optional<model::timestamp> published, updated, changed;
};

common_fields read_common(reader& r, const official_capture& block, const std::string& p,
                          model::official_meta& meta) {
  common_fields c;
  c.published = r.time(block.published_at, p + ".publishedAt", true);
  c.updated = r.time(block.updated_at, p + ".updatedAt", false);
  c.changed = r.time(block.status_changed_at, p + ".statusChangedAt", false);
  meta.status_message = r.text(block.status_message, p + ".statusMessage", false);
  meta.is_latest = r.flag(block.is_latest, p + ".isLatest");
  if (r.ok()) {
    meta.published_at = *c.published;
    meta.updated_at = c.updated.value_or(*c.published);
  }
  return c;
}

model::official_meta from_envelope(reader& r, const official_capture& block) {
  model::official_meta meta;
  const std::string& p = official_path;
  if (!r.object(block, p)) return meta;
  const auto status = r.status(block.status, p + ".status", true);
  const auto c = read_common(r, block, p, meta);
  if (!r.ok()) return meta;
  meta.status = *status;
  meta.status_changed_at = c.changed.value_or(meta.published_at);
  return meta;
}

// Old shapes: the block inside `server._meta`, the status at `server.status` (or, failing that,
// in the block). The old blocks had no statusChangedAt: publishedAt while active, else updatedAt.
model::official_meta from_embedded(reader& r, const official_capture& block,
                                   const scalar_capture& server_status) {
  model::official_meta meta;
  const std::string p = "server." + official_path;
  if (!r.object(block, p)) return meta;
  std::optional<model::status> status = model::status::active;
  if (present(server_status)) {
    status = r.status(server_status, "server.status", true);
  } else if (present(block.status)) {
    status = r.status(block.status, p + ".status", true);
  }
  const auto c = read_common(r, block, p, meta);
  if (!r.ok()) return meta;
  meta.status = *status;
  meta.status_changed_at =
      c.changed.value_or(*status == model::status::active ? meta.published_at : meta.updated_at);
  return meta;
}

model::official_meta made_up(reader& r, const scalar_capture& server_status, std::int64_t now_us) {
  model::official_meta meta;
  if (present(server_status)) {
    if (auto status = r.status(server_status, "server.status", true)) meta.status = *status;
  }
  const model::timestamp now = model::make_timestamp(now_us);
  meta.published_at = meta.updated_at = meta.status_changed_at = now;
  return meta;
}

bool name_char(char c, bool allow_underscore) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || (allow_underscore && c == '_');
}

}  // namespace

std::string validate_identity(std::string_view name, std::string_view version) {
  if (name.size() > 200) return "server.name: longer than 200 bytes";
  // ^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$ — exactly one '/', both sides non-empty.
  const std::size_t slash = name.find('/');
  bool ok = slash != std::string_view::npos && slash > 0 && slash + 1 < name.size();
  for (std::size_t i = 0; ok && i < name.size(); ++i) {
    if (i != slash) ok = name_char(name[i], i > slash);
  }
  if (!ok) return "server.name: must match ^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$, got " + quote(name);

  if (version.empty()) return "server.version: empty";
  if (version.size() > 255) return "server.version: longer than 255 bytes";
  if (version == "latest") return "server.version: \"latest\" is reserved";
  for (const char c : version) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return "server.version: contains a control character";
    }
  }
  return {};
}

namespace detail {

std::variant<decoded_entry, entry_error> build_entry(std::size_t index, element_capture&& element,
                                                     bool require_envelope,
                                                     const decode_options& options) {
  const auto bad = [&](std::string reason) { return entry_error{index, std::move(reason)}; };
  if (element.type != "object") return bad("expected an object, got " + std::string(element.type));
  if (require_envelope && !element.envelope) {
    if (element.server_member_type.empty()) return bad("server: missing");
    return bad("server: expected object, got " + std::string(element.server_member_type));
  }
  server_capture& server = element.envelope ? element.inner : element.outer;
  std::string& bytes = element.envelope ? element.inner_bytes : element.outer_bytes;
  if (bytes.size() > options.max_entry_bytes) {
    return bad("server: " + std::to_string(bytes.size()) + " bytes, over the " +
               std::to_string(options.max_entry_bytes) + "-byte limit");
  }

  reader r;
  auto name = r.text(server.name, "server.name", true);
  auto version = r.text(server.version, "server.version", true);
  r.text(server.description, "server.description", true);
  if (!r.ok()) return bad(std::move(r.reason));
  if (std::string reason = validate_identity(*name, *version); !reason.empty()) {
    return bad(std::move(reason));
  }

  decoded_entry entry;
  entry.index = index;
  if (element.envelope && element.outer.official.present) {
    entry.version.official = from_envelope(r, element.outer.official);
    entry.has_official = true;
  } else if (server.official.present) {
    entry.version.official = from_embedded(r, server.official, server.status);
    entry.has_official = true;
  } else {
    entry.version.official = made_up(r, server.status, options.now_us);
  }
  if (!r.ok()) return bad(std::move(r.reason));
  entry.version.name = std::move(*name);
  entry.version.version = std::move(*version);
  entry.version.server_json = std::move(bytes);
  if (options.keep_relayed_meta && element.envelope && !element.outer_meta_members.empty()) {
    if (element.outer_meta_members.size() > options.max_entry_bytes)
      return bad("_meta: " + std::to_string(element.outer_meta_members.size()) + " bytes, over the " +
                 std::to_string(options.max_entry_bytes) + "-byte limit");
    entry.version.relayed_meta = std::move(element.outer_meta_members);
  }
  return entry;
}

}  // namespace detail
}  // namespace mirror::json
