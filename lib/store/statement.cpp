#include "store/statement.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include "store/error.hpp"

namespace mirror::store {

void statement::finalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

namespace {

// failure(db), plus the statement when SQLite blames the SQL itself (a bug here, not the disk
// or the file: those messages stay one short line for the operator).
error with_sql(sqlite3* db, std::string_view sql) {
  auto e = failure(db);
  if ((sqlite3_extended_errcode(db) & 0xff) != SQLITE_ERROR) return e;
  return error(fmt::format("{} in: {}", e.what(), sql));
}

}  // namespace

statement::statement(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &raw, nullptr) != SQLITE_OK)
    throw with_sql(db, sql);
  stmt_.reset(raw);
}

statement::guard::~guard() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

namespace {
void check_bind(sqlite3_stmt* stmt, int rc) {
  if (rc != SQLITE_OK)
    throw error(fmt::format("bind failed: {}", sqlite3_errmsg(sqlite3_db_handle(stmt))));
}
}  // namespace

statement::guard& statement::guard::bind(int index, std::string_view text) {
  check_bind(stmt_, sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                      SQLITE_STATIC));
  return *this;
}

statement::guard& statement::guard::bind(int index, std::int64_t value) {
  check_bind(stmt_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

statement::guard& statement::guard::bind_real(int index, double value) {
  check_bind(stmt_, sqlite3_bind_double(stmt_, index, value));
  return *this;
}

statement::guard& statement::guard::bind_null(int index) {
  check_bind(stmt_, sqlite3_bind_null(stmt_, index));
  return *this;
}

statement::guard& statement::guard::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

bool statement::guard::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw with_sql(sqlite3_db_handle(stmt_), sqlite3_sql(stmt_));
}

void statement::guard::exec() {
  while (step()) {
  }
}

std::string_view statement::guard::text(int column) const {
  auto data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return data ? std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string_view();
}

std::int64_t statement::guard::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

double statement::guard::real(int column) const { return sqlite3_column_double(stmt_, column); }

bool statement::guard::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int statement::guard::columns() const { return sqlite3_column_count(stmt_); }

}  // namespace mirror::store
