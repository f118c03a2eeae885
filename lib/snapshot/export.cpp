#include "snapshot/export.hpp"

#include <sqlite3.h>

#include <fstream>
#include <stdexcept>

#include "api/render.hpp"
#include "json/writer.hpp"
#include "model/timestamp.hpp"
#include "store/connection.hpp"
#include "store/error.hpp"
#include "store/reader.hpp"
#include "store/statement.hpp"
#include "sync/store_gateway.hpp"
#include "util/sha256.hpp"

namespace mirror::snapshot {

namespace {

void write_file(const std::filesystem::path& file, std::string_view bytes) {
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, file);
}

struct read_transaction {
  sqlite3* db;
  explicit read_transaction(sqlite3* d) : db(d) { exec("BEGIN"); }
  ~read_transaction() { sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); }
  void exec(const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      throw store::failure(db);
  }
};

}  // namespace

manifest export_snapshot(const std::filesystem::path& database, const std::filesystem::path& out_dir,
                         const export_options& options) {
  if (!std::filesystem::exists(database))
    throw std::runtime_error("export: no mirror database at " + database.string());
  auto conn = store::connection::open(database, store::open_mode::read_only);
  sqlite3* handle = conn.handle();
  store::reader reader(std::move(conn), options.curated ? store::view::served : store::view::mirrored);
  store::statement state(handle, "SELECT value FROM mirror_state WHERE key = ?1");
  read_transaction tx(handle);

  manifest m;
  m.created_at = model::format_rfc3339(options.now_us);
  m.curated = options.curated;
  auto read_state = [&](const char* key) -> std::optional<std::string> {
    auto g = state.run();
    g.bind(1, std::string_view(key));
    if (!g.step()) return std::nullopt;
    return std::string(g.text(0));
  };
  const auto watermark = read_state(sync::state_key::watermark_us);
  const auto upstream = read_state(sync::state_key::upstream);
  if (watermark && upstream) {
    m.upstream = upstream;
    m.watermark_us = std::stoll(*watermark);
  }

  api::render_options render;
  if (options.curated) {
    render.mirror_meta_key = options.mirror_meta_key;
    render.curation_meta_key = options.curation_meta_key;
  }
  std::string data;
  model::list_query q;
  q.limit = 100;
  q.include_deleted = true;
  for (;;) {
    auto page = reader.list(q);
    for (const auto& r : page) {
      std::string line;
      json::writer lw(line);
      api::write_server_response(lw, r, render);
      data += line;
      data += '\n';
      m.counts.add(r.data.official.status);
    }
    if (page.size() < static_cast<std::size_t>(q.limit)) break;
    q.after = model::cursor{page.back().data.name, page.back().data.version};
  }
  m.data_bytes = data.size();
  m.data_sha256 = util::sha256_hex(data);

  std::filesystem::create_directories(out_dir);
  // The manifest is what makes a directory a snapshot, so it goes first and comes back last: an
  // export killed in between (over an older export, too) leaves no manifest, and `import`
  // refuses the directory instead of pairing an old manifest with new data.
  std::filesystem::remove(out_dir / std::string(manifest_file));
  write_file(out_dir / std::string(data_file), data);
  write_file(out_dir / std::string(manifest_file), render_manifest(m));
  return m;
}

}  // namespace mirror::snapshot
