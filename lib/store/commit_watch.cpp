#include "store/commit_watch.hpp"

#include <charconv>
#include <string_view>

#include <sqlite3.h>

namespace mirror::store {

commit_watch::commit_watch(const std::filesystem::path& file)
    : conn_(connection::open(file, open_mode::read_only)),
      data_version_(conn_.handle(), "PRAGMA data_version"),
      change_seq_(conn_.handle(), "SELECT value FROM mirror_state WHERE key = 'change_seq'") {
  sqlite3_busy_timeout(conn_.handle(), 0);
  (void)poll();  // the baseline: only later commits count
}

std::optional<std::int64_t> commit_watch::poll() noexcept {
  try {
    std::int64_t version = 0;
    {
      auto g = data_version_.run();
      if (!g.step()) return std::nullopt;
      version = g.integer(0);
    }
    if (version == last_version_) return std::nullopt;
    auto g = change_seq_.run();
    std::int64_t seq = 0;
    if (g.step()) {
      const auto text = g.text(0);
      if (std::from_chars(text.data(), text.data() + text.size(), seq).ec != std::errc{}) return std::nullopt;
    }
    last_version_ = version;
    return seq;
  } catch (...) {  // SQLITE_BUSY during a checkpoint or recovery, and the like
    return std::nullopt;
  }
}

}  // namespace mirror::store
