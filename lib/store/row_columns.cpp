#include "store/row_columns.hpp"

#include "store/error.hpp"

namespace mirror::store::detail {

model::source parse_source(std::string_view text) {
  if (text == "upstream") return model::source::upstream;
  if (text == "import") return model::source::import;
  if (text == "seed") return model::source::seed;
  if (text == "local") return model::source::local;
  throw error("unknown source in database: " + std::string(text));
}

row decode_row(const statement::guard& g, int first) {
  const int n = g.columns() - first;
  row r;
  auto& d = r.data;
  d.name = g.text(first + 0);
  d.version = g.text(first + 1);
  d.server_json = g.text(first + 2);
  auto st = model::parse_status(g.text(first + 3));
  if (!st) throw error("unknown status in database: " + std::string(g.text(first + 3)));
  d.official.status = *st;
  if (!g.is_null(first + 4)) d.official.status_message = std::string(g.text(first + 4));
  d.official.status_changed_at = {std::string(g.text(first + 5)), g.integer(first + 6)};
  d.official.published_at = {std::string(g.text(first + 7)), g.integer(first + 8)};
  d.official.updated_at = {std::string(g.text(first + 9)), g.integer(first + 10)};
  d.official.is_latest = g.integer(first + 11) != 0;
  r.source = parse_source(g.text(first + 12));
  r.first_seen_us = g.integer(first + 13);
  r.last_changed_us = g.integer(first + 14);
  r.change_seq = g.integer(first + 15);
  if (!g.is_null(first + 16)) d.relayed_meta = std::string(g.text(first + 16));
  if (!g.is_null(first + 17)) r.origin = std::string(g.text(first + 17));
  if (n > 18 && !g.is_null(first + 18)) r.curation = std::string(g.text(first + 18));
  if (n > 19 && !g.is_null(first + 19)) r.shadows = std::string(g.text(first + 19));
  return r;
}

statement::guard& bind_version(statement::guard& g, const model::server_version& d, const model::official_meta& o) {
  return g.bind(1, std::string_view(d.name))
      .bind(2, std::string_view(d.version))
      .bind(3, std::string_view(d.server_json))
      .bind(4, model::to_string(o.status))
      .bind(5, o.status_message)
      .bind(6, std::string_view(o.status_changed_at.text))
      .bind(7, o.status_changed_at.us)
      .bind(8, std::string_view(o.published_at.text))
      .bind(9, o.published_at.us)
      .bind(10, std::string_view(o.updated_at.text))
      .bind(11, o.updated_at.us);
}

std::string select_columns(std::string_view prefix, bool has_curation, std::string_view table) {
  std::string out;
  std::string_view rest = row_columns;
  while (!rest.empty()) {
    const auto comma = rest.find(", ");
    const auto column = rest.substr(0, comma);
    if (!out.empty()) out += ", ";
    if (has_curation && column == "server_json") {
      // A served row's NULL bytes are the mirrored row's (0006_served_bytes_shared.sql). SQLite
      // evaluates COALESCE's arguments lazily: the subquery runs only for shared rows, one seek
      // of server_versions' (name, origin, version) key each.
      const std::string outer = prefix.empty() ? std::string(table) + "." : std::string(prefix);
      out += "COALESCE(" + outer + "server_json, (SELECT m.server_json FROM server_versions m WHERE m.name = " +
             outer + "name AND m.origin = " + outer + "origin AND m.version = " + outer + "version))";
    } else {
      out += prefix;
      out += column;
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  if (has_curation) {
    out += ", ";
    out += prefix;
    out += "curation, ";
    out += prefix;
    out += "shadows";
  } else {
    out += ", NULL, NULL";
  }
  return out;
}

}  // namespace mirror::store::detail
