#pragma once
// A prepared statement held for the connection's lifetime (prepared once with
// SQLITE_PREPARE_PERSISTENT, docs/design-habits.md H6). `run()` hands out a guard that resets the
// statement and clears its bindings on every exit path, so a thrown error never leaves a
// statement half-stepped (Bitcoin's wallet/sqlite.cpp does the same by hand).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mirror::store {

class statement {
 public:
  statement(sqlite3* db, std::string_view sql);
  statement(statement&&) noexcept = default;
  statement& operator=(statement&&) noexcept = default;

  class guard {
   public:
    explicit guard(sqlite3_stmt* stmt) : stmt_(stmt) {}
    guard(const guard&) = delete;
    guard& operator=(const guard&) = delete;
    ~guard();

    // Parameters are 1-based, as in SQL text `?1`. Text is bound SQLITE_STATIC: the caller keeps
    // it alive until the guard ends.
    guard& bind(int index, std::string_view text);
    guard& bind(int index, std::int64_t value);
    guard& bind_real(int index, double value);
    guard& bind_null(int index);
    guard& bind(int index, const std::optional<std::string>& text);

    // Steps once: true when a row is available, false when done. Throws store::error.
    [[nodiscard]] bool step();
    // Steps to completion, for statements without rows.
    void exec();

    std::string_view text(int column) const;  // valid until the next step()
    std::int64_t integer(int column) const;
    double real(int column) const;
    bool is_null(int column) const;
    int columns() const;  // columns of the result

   private:
    sqlite3_stmt* stmt_;
  };

  [[nodiscard]] guard run() { return guard(stmt_.get()); }

 private:
  struct finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };
  std::unique_ptr<sqlite3_stmt, finalizer> stmt_;
};

}  // namespace mirror::store
