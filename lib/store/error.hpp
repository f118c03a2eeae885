#pragma once
// SQLite failures are not part of any normal flow (disk full, corruption, a locked file held past
// busy_timeout): they surface as store::error and are caught at a task boundary (a request → 500,
// an import → exit 1, a sync run → its error in sync-status), never swallowed. Expected outcomes
// (not found, unchanged) are values.
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;

namespace mirror::store {

class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The last failure on `db` as one line that names the database file, so an operator reading
// "mcp-mirror: import: ..." knows which file is full, locked or damaged:
//   "/var/lib/mcp-mirror/mirror.db: database or disk is full"
// Failures an operator must act on get what to do appended (corrupt or not a database: restore
// a backup or move the file away; locked: another process holds the write lock).
error failure(sqlite3* db);
// The same for a handle whose open failed, which knows no file name yet.
error failure(sqlite3* db, std::string_view file);

}  // namespace mirror::store
