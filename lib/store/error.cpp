#include "store/error.hpp"

#include <sqlite3.h>

#include <cstring>

#include <fmt/format.h>

namespace mirror::store {

namespace {

std::string_view advice(int primary_code) {
  switch (primary_code) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      // Never "repaired" by starting afresh: an empty mirror seeded over a damaged one would
      // silently serve far less than before.
      return " (the file is damaged or not an mcp-mirror database: restore a backup, or move it "
             "away to start from an empty mirror)";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return " (another process holds the write lock)";
    default:
      return "";
  }
}

}  // namespace

error failure(sqlite3* db) {
  const char* file = sqlite3_db_filename(db, "main");
  return failure(db, file ? file : "");
}

error failure(sqlite3* db, std::string_view file) {
  const int code = sqlite3_extended_errcode(db) & 0xff;
  std::string message = sqlite3_errmsg(db);
  // "disk I/O error" alone hides the cause; the system's errno names it (EFBIG, EROFS, EIO...).
  if (const int sys = sqlite3_system_errno(db); sys != 0 && (code == SQLITE_IOERR || code == SQLITE_CANTOPEN))
    message += fmt::format(" ({})", std::strerror(sys));
  message += advice(code);
  if (file.empty()) return error(message);
  return error(fmt::format("{}: {}", file, message));
}

}  // namespace mirror::store
