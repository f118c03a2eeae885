#pragma once
// One SQLite connection (docs/design-habits.md H6–H8). The writer owns the only read-write
// connection; every reader thread owns a read-only one. WAL lets readers run while the writer
// commits.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;

namespace mirror::store {

enum class open_mode { read_write, read_only };

class connection {
 public:
  // Opens (creating the file and its directory in read_write mode), sets WAL, synchronous=NORMAL,
  // busy_timeout and foreign_keys, and checks journal_mode really is `wal`. In read_write mode it
  // applies pending embedded migrations (each in one BEGIN IMMEDIATE transaction that also sets
  // user_version) and refuses a database newer than this binary. Throws store::error.
  static connection open(const std::filesystem::path& file, open_mode mode);

  connection(connection&&) noexcept = default;
  connection& operator=(connection&&) noexcept = default;
  ~connection();

  sqlite3* handle() const { return db_.get(); }

  // Runs SQL without results (several statements allowed). Throws store::error.
  void exec(std::string_view sql);

  // PRAGMA user_version.
  int schema_version();

 private:
  struct closer {
    void operator()(sqlite3* db) const;
  };
  explicit connection(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, closer> db_;
};

// Highest migration number embedded in this binary.
int latest_schema_version();

}  // namespace mirror::store
