#include "store/commit_watch.hpp"

#include <atomic>
#include <cstring>

#include <sqlite3.h>

#include "store/change_seq.hpp"
#include "store/error.hpp"

namespace mirror::store {

namespace {

constexpr int wal_index_region_bytes = 32768;  // the unit xShmMap maps (walformat.html)

// The first region of the WAL index as this connection's VFS mapped it, or null. Only once the
// WAL is open (one read on the connection first): then xShmMap with bExtend=0 hands back the
// region SQLite already holds, with no change to any lock, valid until the connection closes.
// Without an open WAL (not WAL mode) the call would open the -shm file and take its locks for
// the rest of the process instead, so it is not made.
const unsigned char* wal_index(sqlite3* db) noexcept {
  sqlite3_file* wal = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK || !wal ||
      !wal->pMethods)
    return nullptr;
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file ||
      !file->pMethods || file->pMethods->iVersion < 2 || !file->pMethods->xShmMap)
    return nullptr;
  volatile void* region = nullptr;
  if (file->pMethods->xShmMap(file, 0, wal_index_region_bytes, 0, &region) != SQLITE_OK) return nullptr;
  return static_cast<const unsigned char*>(const_cast<void*>(region));
}

}  // namespace

commit_watch::commit_watch(const std::filesystem::path& file)
    : conn_(connection::open(file, open_mode::read_only)),
      data_version_(conn_.handle(), "PRAGMA data_version"),
      change_seq_(conn_.handle(), change_seq_sql),
      state_(conn_.handle(), "SELECT value FROM mirror_state WHERE key = ?1") {
  // One read (waiting out a writer's checkpoint, like any reader) opens the WAL and maps its
  // index. The value is not kept as a baseline: the first poll reports the sequence.
  try {
    auto g = data_version_.run();
    (void)g.step();
    shm_ = wal_index(conn_.handle());
  } catch (const error&) {  // no mapping, for good: every poll asks SQLite instead
  }
  sqlite3_busy_timeout(conn_.handle(), 0);
}

std::optional<std::int64_t> commit_watch::poll() noexcept {
  std::optional<std::int64_t> seq;
  if (!shm_) {
    (void)ask_sqlite(seq);
    return seq;
  }
  std::array<unsigned char, header_bytes> now;
  std::atomic_thread_fence(std::memory_order_acquire);
  std::memcpy(now.data(), shm_, header_bytes);
  if (now == last_header_) return std::nullopt;
  // The header moved (a commit or a checkpoint): SQLite says whether the data changed. A torn
  // read only costs one extra check; the header is remembered only once SQLite answered.
  if (ask_sqlite(seq)) last_header_ = now;
  return seq;
}

bool commit_watch::ask_sqlite(std::optional<std::int64_t>& seq) noexcept {
  try {
    std::int64_t version = 0;
    {
      auto g = data_version_.run();
      if (!g.step()) return false;
      version = g.integer(0);
    }
    if (version == last_version_) return true;
    seq = read_change_seq(change_seq_);
    last_version_ = version;
    return true;
  } catch (...) {  // SQLITE_BUSY during a checkpoint or recovery, a damaged value, and the like
    seq.reset();
    return false;
  }
}

std::vector<std::int64_t> commit_watch::view_seqs(const std::vector<std::string>& views) noexcept {
  std::vector<std::int64_t> out(views.size(), 0);
  for (std::size_t i = 0; i < views.size(); ++i) {
    try {
      const auto key = "view." + views[i] + ".seq";
      auto g = state_.run();
      g.bind(1, std::string_view(key));
      if (g.step()) out[i] = stored_integer(key, g.text(0));
    } catch (...) {  // busy or damaged: this poll reports 0, which never lowers a generation
    }
  }
  return out;
}

}  // namespace mirror::store
