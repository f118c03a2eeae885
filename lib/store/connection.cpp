#include "store/connection.hpp"

#include <sqlite3.h>

#include <charconv>
#include <fmt/format.h>

#include "store/contains_function.hpp"
#include "store/error.hpp"
#include "store/transaction.hpp"
#include "util/embedded.hpp"

namespace mirror::store {
namespace {

// Leading digits of "0001_init.sql".
int migration_number(std::string_view file_name) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(file_name.data(), file_name.data() + file_name.size(), n);
  if (ec != std::errc{} || ptr == file_name.data())
    throw error(fmt::format("embedded migration {} has no leading number", file_name));
  return n;
}

std::string single_text(connection& conn, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(conn.handle(), sql, -1, &raw, nullptr) != SQLITE_OK) throw failure(conn.handle());
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  if (sqlite3_step(raw) != SQLITE_ROW) throw failure(conn.handle());
  auto text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
  return text ? text : "";
}

void migrate(connection& conn, const std::filesystem::path& file) {
  const int have = conn.schema_version();
  const int known = latest_schema_version();
  if (have > known)
    throw error(fmt::format(
        "{}: database schema version {} is newer than this binary supports ({}); "
        "use a newer mcp-mirror or restore a backup made by this version",
        file.string(), have, known));
  for (const auto& m : embedded::migrations()) {
    const int n = migration_number(m.name);
    if (n <= have) continue;
    transaction tx(conn);
    conn.exec(m.content);
    conn.exec(fmt::format("PRAGMA user_version = {}", n));
    tx.commit();
  }
}

// The data directory, created when missing. Fails with one line naming it (e.g. a path under a
// regular file, which fails even for root, unlike a chmod'ed directory).
void make_data_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  if (std::filesystem::exists(dir, ec))
    throw error(fmt::format("{}: cannot use as the data directory: not a directory", dir.string()));
  std::filesystem::create_directories(dir, ec);
  if (ec) throw error(fmt::format("{}: cannot create the data directory: {}", dir.string(), ec.message()));
}

}  // namespace

void connection::closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

connection::~connection() = default;

connection connection::open(const std::filesystem::path& file, open_mode mode) {
  if (mode == open_mode::read_write && file.has_parent_path()) make_data_dir(file.parent_path());
  const int flags = (mode == open_mode::read_write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                   : SQLITE_OPEN_READONLY) |
                    SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  connection conn(raw);
  if (rc != SQLITE_OK) {
    if (!raw) throw error(fmt::format("{}: cannot open database: {}", file.string(), sqlite3_errstr(rc)));
    throw failure(raw, file.string());  // with the system's reason (EACCES, EISDIR...)
  }
  // A writer may hold the lock briefly while committing a page; wait rather than fail.
  sqlite3_busy_timeout(raw, 5000);
  register_contains_function(raw);
  if (mode == open_mode::read_write) {
    // WAL: readers never block the writer or each other. The result is read back because SQLite
    // silently keeps the old mode when it cannot switch (e.g. on some network file systems).
    if (single_text(conn, "PRAGMA journal_mode = WAL") != "wal")
      throw error(fmt::format("{}: could not enable WAL journal mode", file.string()));
    conn.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    // A large transaction (an import, a full re-curation) grows the WAL to everything it wrote
    // (166 MB for 100k curated versions); without a limit the file keeps that size for good.
    // With it, the checkpoint after which the WAL starts over cuts the file back to 64 MiB.
    conn.exec("PRAGMA journal_size_limit = 67108864");
    migrate(conn, file);
  } else {
    const int have = conn.schema_version();
    if (have > latest_schema_version())
      throw error(fmt::format("{}: database schema version {} is newer than this binary supports ({})",
                              file.string(), have, latest_schema_version()));
  }
  return conn;
}

void connection::exec(std::string_view sql) {
  std::string owned(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), owned.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);  // the same text as sqlite3_errmsg, which failure() reads
    throw failure(db_.get());
  }
}

int connection::schema_version() { return std::stoi(single_text(*this, "PRAGMA user_version")); }

int latest_schema_version() {
  int n = 0;
  for (const auto& m : embedded::migrations()) n = std::max(n, migration_number(m.name));
  return n;
}

}  // namespace mirror::store
