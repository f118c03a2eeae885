#include "store/catalog_index.hpp"

#include <fmt/format.h>

#include "store/catalog_doc.hpp"
#include "store/row_columns.hpp"

namespace mirror::store {

using detail::decode_row;
using detail::select_columns;

namespace {

// A list facet as stored: each value between spaces, so instr(' npm ') finds whole values.
std::string spaced(const std::vector<std::string>& values) {
  std::string out = " ";
  for (const auto& v : values) out += v + " ";
  return out;
}

}  // namespace

catalog_index::catalog_index(sqlite3* db)
    : db_(db),
      upsert_entry_(db, "INSERT INTO catalog_entries (name, status, registry_types, transports, shape) "
                        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET status = excluded.status, "
                        "registry_types = excluded.registry_types, transports = excluded.transports, "
                        "shape = excluded.shape"),
      entry_id_(db, "SELECT id FROM catalog_entries WHERE name = ?1"),
      remove_entry_(db, "DELETE FROM catalog_entries WHERE name = ?1"),
      remove_words_(db, "DELETE FROM catalog_search WHERE rowid = ?1"),
      add_words_(db, "INSERT INTO catalog_search (rowid, name, title, description) VALUES (?1, ?2, ?3, ?4)") {}

void catalog_index::put(std::string_view name, const row* latest) {
  std::optional<std::int64_t> id;
  {
    auto g = entry_id_.run();
    g.bind(1, name);
    if (g.step()) id = g.integer(0);
  }
  if (id) remove_words_.run().bind(1, *id).exec();
  if (!latest) {
    remove_entry_.run().bind(1, name).exec();
    return;
  }
  const auto d = catalog_doc_of(*latest);
  const std::string types = spaced(d.registry_types), transports = spaced(d.transports);
  upsert_entry_.run()
      .bind(1, name)
      .bind(2, std::string_view(d.status))
      .bind(3, std::string_view(types))
      .bind(4, std::string_view(transports))
      .bind(5, std::string_view(d.shape))
      .exec();
  if (!id) {
    auto g = entry_id_.run();
    g.bind(1, name);
    if (!g.step()) return;
    id = g.integer(0);
  }
  add_words_.run()
      .bind(1, *id)
      .bind(2, name)
      .bind(3, std::string_view(d.title))
      .bind(4, std::string_view(d.description))
      .exec();
}

bool catalog_index::rebuild_asked() {
  statement asked(db_, "SELECT 1 FROM mirror_state WHERE key = 'catalog.rebuild'");
  auto g = asked.run();
  return g.step();
}

void catalog_index::rebuild() {
  statement(db_, "DELETE FROM catalog_search").run().exec();
  statement(db_, "DELETE FROM catalog_entries").run().exec();
  statement latest(db_, fmt::format("SELECT {} FROM served_versions WHERE is_latest = 1 ORDER BY name",
                                    select_columns({}, true)));
  auto g = latest.run();
  while (g.step()) {
    const row r = decode_row(g);
    put(r.data.name, &r);
  }
  statement(db_, "DELETE FROM mirror_state WHERE key = 'catalog.rebuild'").run().exec();
}

}  // namespace mirror::store
