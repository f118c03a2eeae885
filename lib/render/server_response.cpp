#include "render/server_response.hpp"

#include "model/timestamp.hpp"

namespace mirror::render {

void write_server_response(json::writer& w, const store::row& r, const render_options& options) {
  const auto& d = r.data;
  const auto& o = d.official;
  w.begin_object().key("server").raw(d.server_json).key("_meta").begin_object();
  w.key(official_meta_key).begin_object();
  w.member("status", model::to_string(o.status));
  w.member("statusChangedAt", o.status_changed_at.text);
  if (o.status_message) w.member("statusMessage", *o.status_message);
  w.member("publishedAt", o.published_at.text);
  w.member("updatedAt", o.updated_at.text);
  w.member("isLatest", o.is_latest);
  w.end_object();
  // A row replicated from a parent mcp-mirror carries the parent's own blocks: served verbatim,
  // so the replica's bytes are the parent's, unless a rule here changed the version (then this
  // mirror's own blocks say so).
  if (d.relayed_meta && !r.curation) {
    w.raw_members(*d.relayed_meta);
    w.end_object().end_object();
    return;
  }
  if (!options.mirror_meta_key.empty()) {
    w.key(options.mirror_meta_key).begin_object();
    // Provenance: the configured source a synced row came from ("upstream" is the `upstream:`
    // form's), else how it got here (import, seed, local); and the sources it shadows.
    const bool synced = r.source == model::source::upstream && !r.origin.empty();
    w.member("source", synced ? std::string_view(r.origin) : model::to_string(r.source));
    if (r.shadows) w.key("shadows").raw(*r.shadows);
    w.member("changedAt", model::format_rfc3339(r.last_changed_us));
    w.end_object();
  }
  // Which curation rules changed this version, and the upstream values they replaced.
  if (r.curation && !options.curation_meta_key.empty()) w.key(options.curation_meta_key).raw(*r.curation);
  w.end_object().end_object();
}

std::string render_server_response(const store::row& r, const render_options& options) {
  std::string body;
  body.reserve(r.data.server_json.size() + 400);
  json::writer w(body);
  write_server_response(w, r, options);
  body += '\n';
  return body;
}

std::string render_server_list(std::span<const store::row> rows,
                               const std::optional<std::string>& next_cursor,
                               const render_options& options) {
  std::string body;
  std::size_t estimate = 64;
  for (const auto& r : rows) estimate += r.data.server_json.size() + 400;
  body.reserve(estimate);
  json::writer w(body);
  w.begin_object().key("servers").begin_array();
  for (const auto& r : rows) write_server_response(w, r, options);
  w.end_array().key("metadata").begin_object();
  if (next_cursor) w.member("nextCursor", *next_cursor);
  w.member("count", static_cast<std::int64_t>(rows.size()));
  w.end_object().end_object();
  body += '\n';
  return body;
}

}  // namespace mirror::render
