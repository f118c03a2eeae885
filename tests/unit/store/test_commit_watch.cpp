// store::commit_watch: every commit through another connection is seen by the next poll, with
// the change sequence it left; polls without a commit in between see nothing; watching leaves
// SQLite's locks on the WAL index as they were.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/commit_watch.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

// Whether another process sees a lock on byte `offset` of `file`. Asked from a forked child
// (F_GETLK): a process never conflicts with its own POSIX locks.
bool locked_for_others(const std::filesystem::path& file, off_t offset) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open(file.c_str(), O_RDWR);
    struct flock l {};
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    l.l_start = offset;
    l.l_len = 1;
    const bool locked = fd >= 0 && ::fcntl(fd, F_GETLK, &l) == 0 && l.l_type != F_UNLCK;
    ::_exit(locked ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_CASE("commit_watch sees each commit of another connection once, with its change sequence") {
  temp_dir dir;
  const auto db = dir.path() / "m.db";
  auto w = store::writer::open(db);
  store::commit_watch watch(db);
  CHECK(watch.has_mapping());
  CHECK(watch.poll() == std::optional<std::int64_t>(0));  // the first poll reports the sequence
  CHECK_FALSE(watch.poll().has_value());
  auto reader = store::reader::open(db);
  for (int i = 0; i < 50; ++i) {
    const std::vector<store::incoming> rows{upstream_row("com.example/s" + std::to_string(i), "1.0.0", t0, true)};
    w.apply(rows, model::source::upstream, t0);
    const auto seen = watch.poll();
    REQUIRE(seen.has_value());
    CHECK(*seen == reader.change_seq());
    CHECK_FALSE(watch.poll().has_value());  // nothing new since
  }
  // A transaction that changes nothing still commits: it may be seen, but the sequence stays.
  const auto before = reader.change_seq();
  const std::vector<store::incoming> same{upstream_row("com.example/s0", "1.0.0", t0, true)};
  w.apply(same, model::source::upstream, t0);
  if (const auto seen = watch.poll()) CHECK(*seen == before);
  CHECK_FALSE(watch.poll().has_value());
}

TEST_CASE("commit_watch keeps this process's shared lock on the WAL index (other processes see it in use)") {
  temp_dir dir;
  const auto db = dir.path() / "m.db";
  auto w = store::writer::open(db);
  auto reader = store::reader::open(db);
  (void)reader.change_seq();  // a read: the reader maps the WAL index too
  // SQLite's unix VFS: every connection holds a shared lock on the "DMS" byte of the -shm file
  // (byte 128: 120 bytes of header, 8 lock bytes) so that no process rebuilds the index in use.
  const auto shm = std::filesystem::path(db.string() + "-shm");
  constexpr off_t dms_byte = 128;
  REQUIRE(locked_for_others(shm, dms_byte));
  {
    store::commit_watch watch(db);
    (void)watch.poll();
    CHECK(locked_for_others(shm, dms_byte));  // a second open()+close() of -shm would drop it
  }
  CHECK(locked_for_others(shm, dms_byte));
}
