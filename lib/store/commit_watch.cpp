#include "store/commit_watch.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstring>
#include <string_view>

#include <sqlite3.h>

namespace mirror::store {

namespace {
constexpr std::size_t mapped_bytes = 4096;
}

commit_watch::commit_watch(const std::filesystem::path& file)
    : conn_(connection::open(file, open_mode::read_only)),
      data_version_(conn_.handle(), "PRAGMA data_version"),
      change_seq_(conn_.handle(), "SELECT value FROM mirror_state WHERE key = 'change_seq'") {
  sqlite3_busy_timeout(conn_.handle(), 0);
  // The -shm file exists while any connection (this one included) has the WAL database open.
  const auto shm = file.string() + "-shm";
  if (const int fd = ::open(shm.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    void* p = ::mmap(nullptr, mapped_bytes, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);  // the mapping keeps the file
    if (p != MAP_FAILED) shm_ = static_cast<const unsigned char*>(p);
  }
  (void)poll();  // the baseline: only later commits count
}

commit_watch::~commit_watch() {
  if (shm_) ::munmap(const_cast<unsigned char*>(shm_), mapped_bytes);
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
    auto g = change_seq_.run();
    std::int64_t value = 0;
    if (g.step()) {
      const auto text = g.text(0);
      if (std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc{}) return false;
    }
    last_version_ = version;
    seq = value;
    return true;
  } catch (...) {  // SQLITE_BUSY during a checkpoint or recovery, and the like
    return false;
  }
}

}  // namespace mirror::store
