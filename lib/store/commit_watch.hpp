#pragma once
// Notices commits to the database made through any other connection: the daemon's own writer,
// or another process (`mcp-mirror import` into the data dir of a running daemon). The response
// cache and ETags are keyed by the change sequence, so a commit the daemon did not make itself
// must still move that sequence before a cached page is trusted again.
//
// poll() runs on the io thread before every cache lookup, so its common case must cost next to
// nothing. In WAL mode every commit rewrites the WAL-index header at the start of the `-shm`
// file, which every connection maps (sqlite.org/walformat.html): comparing those 48 bytes with
// the last ones seen is a memory read. Only when they differ does poll() ask SQLite itself
// (`PRAGMA data_version`, which changes exactly when another connection committed, then the
// change sequence): a few microseconds of two fcntl locks, paid once per commit instead of once
// per request. The mapping is SQLite's own (the VFS's xShmMap on this connection's file):
// opening the `-shm` file a second time and closing it would drop this process's POSIX locks on
// it, which tell other processes the WAL index is in use. Without a mapping (not WAL, or a VFS
// without shared memory) every poll asks SQLite; has_mapping() lets the caller say so.
// The SQL connection has no busy timeout: a check that would wait is retried on the next poll.
// The first poll reports the current sequence: a commit between the caller's own read of the
// sequence and this watch's construction is not lost (the caller's generation only grows).
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "store/statement.hpp"

namespace mirror::store {

class commit_watch {
 public:
  explicit commit_watch(const std::filesystem::path& file);
  commit_watch(const commit_watch&) = delete;
  commit_watch& operator=(const commit_watch&) = delete;

  // The change sequence when some connection committed since the last call, else nullopt.
  // Never throws: a failed check is reported as "nothing new" and repeated next time.
  std::optional<std::int64_t> poll() noexcept;

  // The change sequences of these views (0009_views.sql), read after poll() saw a commit: each
  // view's pages have their own generation. 0 for one that cannot be read now.
  std::vector<std::int64_t> view_seqs(const std::vector<std::string>& views) noexcept;

  // False when every poll must ask SQLite (about two microseconds instead of a memory read).
  bool has_mapping() const noexcept { return shm_ != nullptr; }

 private:
  static constexpr std::size_t header_bytes = 48;  // one copy of the WAL-index header
  // False when SQLite could not answer; `seq` is set when the data changed since the last answer.
  bool ask_sqlite(std::optional<std::int64_t>& seq) noexcept;

  connection conn_;
  statement data_version_, change_seq_, state_;
  std::int64_t last_version_ = -1;
  const unsigned char* shm_ = nullptr;  // SQLite's mapping of the WAL index's first region
  std::array<unsigned char, header_bytes> last_header_{};
};

}  // namespace mirror::store
