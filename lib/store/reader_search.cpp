// Ranked search's reads (0010_catalog_search.sql): FTS5 finds the entries that have every word
// (as a prefix) and bm25() ranks them, the name counting most, then the title, then the
// description; the filters are conditions on the entry's facets. The keyset cursor is (score,
// name), so a page is the next `limit` in the same order, with no OFFSET to walk.
#include "store/reader.hpp"

namespace mirror::store {
namespace {

// ?2 status (NULL: not deleted), ?3 registry type, ?4 transport, ?5 shape; each NULL = any.
constexpr std::string_view filters =
    "(CASE WHEN ?2 IS NULL THEN e.status <> 'deleted' ELSE e.status = ?2 END) "
    "AND (?3 IS NULL OR instr(e.registry_types, ' ' || ?3 || ' ') > 0) "
    "AND (?4 IS NULL OR instr(e.transports, ' ' || ?4 || ' ') > 0) "
    "AND (?5 IS NULL OR e.shape = ?5)";

void bind_optional(statement::guard& g, int index, const std::optional<std::string>& value) {
  if (value)
    g.bind(index, std::string_view(*value));
  else
    g.bind_null(index);
}

}  // namespace

std::vector<search_hit> reader::search_names(const search_query& q) {
  const bool ranked = q.words.has_value();
  auto& slot = ranked ? ranked_ : by_name_;
  if (!slot) {
    const std::string sql =
        ranked ? "SELECT name, score FROM (SELECT e.name AS name, bm25(catalog_search, 10.0, 5.0, 1.0) AS score "
                 "FROM catalog_search JOIN catalog_entries e ON e.id = catalog_search.rowid "
                 "WHERE catalog_search MATCH ?1 AND " + std::string(filters) +
                     ") WHERE ?7 IS NULL OR score > ?6 OR (score = ?6 AND name > ?7) ORDER BY score, name LIMIT ?8"
               : "SELECT e.name, NULL FROM catalog_entries e WHERE " + std::string(filters) +
                     " AND (?7 IS NULL OR e.name > ?7) ORDER BY e.name LIMIT ?8";
    slot = std::make_unique<statement>(conn_.handle(), sql);
  }
  auto g = slot->run();
  if (ranked) g.bind(1, std::string_view(*q.words));
  bind_optional(g, 2, q.filter.status);
  bind_optional(g, 3, q.filter.registry_type);
  bind_optional(g, 4, q.filter.transport);
  bind_optional(g, 5, q.filter.shape);
  if (q.after) {
    if (ranked) g.bind_real(6, q.after->score.value_or(0.0));
    g.bind(7, std::string_view(q.after->name));
  }
  g.bind(8, static_cast<std::int64_t>(q.limit));
  std::vector<search_hit> hits;
  while (g.step()) {
    search_hit h{std::string(g.text(0)), std::nullopt};
    if (ranked) h.score = g.real(1);
    hits.push_back(std::move(h));
  }
  return hits;
}

}  // namespace mirror::store
