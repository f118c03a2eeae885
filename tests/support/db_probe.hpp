#pragma once
// Looking at a mirror database from outside, as a fault test must after a kill or a failure:
// does it pass `PRAGMA integrity_check`, and which state does it hold (a digest of every row a
// client could ever see, so "old state or new state, never a mix" is one comparison). Plus the
// import files those tests feed the binary.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "util/sha256.hpp"

namespace mirror::test {

inline void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class db_probe {
 public:
  // Read-write, so a WAL left by a killed process is recovered the way the daemon would.
  explicit db_probe(const std::filesystem::path& db) {
    if (sqlite3_open_v2(db.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      const std::string why = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw std::runtime_error(db.string() + ": " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~db_probe() { sqlite3_close(db_); }
  db_probe(const db_probe&) = delete;
  db_probe& operator=(const db_probe&) = delete;

  std::string integrity() { return rows("PRAGMA integrity_check"); }

  std::int64_t count(const std::string& table) { return std::stoll(rows("SELECT count(*) FROM " + table)); }

  // SHA-256 over the mirrored rows, the served view, the sync/curation state and the change
  // feed, each in key order: everything the API or the next sync can see. Left out: the wall
  // clock of the run that wrote them (first_seen_us, last_changed_us, changes.at_us), so two
  // complete runs of the same operation give the same digest.
  std::string digest() {
    const std::string columns =
        "name, version, server_json, status, status_message, status_changed_at, published_at, updated_at, "
        "is_latest, source";
    std::string all = rows("SELECT " + columns + " FROM server_versions ORDER BY name, version");
    all += rows("SELECT " + columns + ", curation FROM served_versions ORDER BY name, version");
    all += rows("SELECT key, value FROM mirror_state ORDER BY key");
    all += rows("SELECT seq, name, version, kind FROM changes ORDER BY seq");
    return util::sha256_hex(all);
  }

  // The mirrored and served rows alone: what a client sees now, whatever the change feed says.
  std::string view_digest() {
    const std::string columns =
        "name, version, server_json, status, status_message, status_changed_at, published_at, updated_at, "
        "is_latest, source";
    return util::sha256_hex(rows("SELECT " + columns + " FROM server_versions ORDER BY name, version") +
                            rows("SELECT " + columns + ", curation FROM served_versions ORDER BY name, version"));
  }

  // Every column of every row, '|' between columns and '\n' after rows (a compact dump).
  std::string rows(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    std::string out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        if (i) out += '|';
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        out += text ? text : "NULL";
      }
      out += '\n';
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    if (!out.empty() && out.find('\n') == out.size() - 1) out.pop_back();  // one value: no newline
    return out;
  }

  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// `count` versions as JSON lines of {server, _meta} with the upstream's official block (what
// `import` and snapshots take): names <prefix>0..n-1, each at `version`, padded with a
// description of about `bytes` bytes so a large file takes a while to import.
inline std::string versions_jsonl(const std::string& prefix, int count, const std::string& version,
                                  std::size_t bytes = 200) {
  std::string out;
  const std::string pad(bytes, 'x');
  for (int i = 0; i < count; ++i) {
    out += R"({"server":{"$schema":"https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json","name":")" +
           prefix + std::to_string(i) + R"(","description":"Fault test server )" + pad + R"(","version":")" + version +
           R"(","packages":[{"registryType":"npm","registryBaseUrl":"https://npm.registry.example","identifier":"@acme/t)" +
           std::to_string(i) + R"(","version":")" + version +
           R"(","transport":{"type":"stdio"}}]},"_meta":{"io.modelcontextprotocol.registry/official":{"status":"active","statusChangedAt":"2025-07-15T21:16:07.824834Z","publishedAt":"2025-07-15T21:16:07.824834Z","updatedAt":"2025-07-15T21:16:07.824834Z","isLatest":true}}})";
    out += '\n';
  }
  return out;
}

}  // namespace mirror::test
