#pragma once
// Notices commits to the database made through any other connection: the daemon's own writer,
// or another process (`mcp-mirror import` into the data dir of a running daemon). The response
// cache and ETags are keyed by the change sequence, so a commit the daemon did not make itself
// must still move that sequence before a cached page is trusted again.
//
// `PRAGMA data_version` changes exactly when another connection committed; in WAL mode it reads
// the shared-memory index header (no disk I/O, two fcntl locks), a couple of microseconds, which
// is why this one check may run on the io thread before every cache lookup. Its connection has no
// busy timeout: a check that would wait is skipped (the next request checks again).
#include <cstdint>
#include <filesystem>
#include <optional>

#include "store/connection.hpp"
#include "store/statement.hpp"

namespace mirror::store {

class commit_watch {
 public:
  explicit commit_watch(const std::filesystem::path& file);

  // The change sequence when some connection committed since the last call, else nullopt.
  // Never throws: a failed check is reported as "nothing new".
  std::optional<std::int64_t> poll() noexcept;

 private:
  connection conn_;
  statement data_version_, change_seq_;
  std::int64_t last_version_ = -1;
};

}  // namespace mirror::store
