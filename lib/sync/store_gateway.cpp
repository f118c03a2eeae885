#include "sync/store_gateway.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace mirror::sync {

namespace asio = boost::asio;

store_gateway::store_gateway(store::writer& writer, asio::thread_pool& writer_thread,
                             std::function<void(std::int64_t)> on_commit)
    : writer_(writer), thread_(writer_thread), on_commit_(std::move(on_commit)) {}

asio::awaitable<std::optional<std::string>> store_gateway::state(std::string key) {
  co_return co_await asio::co_spawn(
      thread_, [&]() -> asio::awaitable<std::optional<std::string>> { co_return writer_.state(key); },
      asio::use_awaitable);
}

asio::awaitable<store::apply_result> store_gateway::apply(std::vector<store::incoming> rows,
                                                          store::apply_options options,
                                                          std::int64_t now_us) {
  co_return co_await asio::co_spawn(
      thread_,
      [&]() -> asio::awaitable<store::apply_result> {
        auto result = writer_.apply(rows, model::source::upstream, now_us, options);
        if (on_commit_) on_commit_(result.change_seq);
        co_return result;
      },
      asio::use_awaitable);
}

}  // namespace mirror::sync
