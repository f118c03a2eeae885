#pragma once
// The sync job's door to the store: every call runs on the writer thread (the one read-write
// connection, docs/design-habits.md H5/H7) and resumes the caller on its own executor.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "store/writer.hpp"

namespace mirror::sync {

class store_gateway {
 public:
  // `on_commit` runs after every successful apply (on the writer thread) with the new change
  // sequence: the app uses it to invalidate cached responses.
  store_gateway(store::writer& writer, boost::asio::thread_pool& writer_thread,
                std::function<void(std::int64_t)> on_commit = {});

  boost::asio::awaitable<std::optional<std::string>> state(std::string key);
  boost::asio::awaitable<store::apply_result> apply(std::vector<store::incoming> rows,
                                                    store::apply_options options, std::int64_t now_us);

 private:
  store::writer& writer_;
  boost::asio::thread_pool& thread_;
  std::function<void(std::int64_t)> on_commit_;
};

// mirror_state keys the sync job owns.
namespace state_key {
inline constexpr const char* watermark_us = "sync.watermark_us";      // start of last success
inline constexpr const char* upstream = "sync.upstream";              // URL the watermark is for
inline constexpr const char* last_success_us = "sync.last_success_us";  // end of last success
inline constexpr const char* last_attempt_us = "sync.last_attempt_us";
inline constexpr const char* last_error = "sync.last_error";          // "" after a success
}  // namespace state_key

}  // namespace mirror::sync
