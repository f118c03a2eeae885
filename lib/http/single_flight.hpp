#pragma once
// Concurrent identical computations run once. The first caller for a key runs it; callers that
// arrive with the same key while it runs wait for its result instead of running it again. After
// a commit every cached page is a miss at once, and 32 clients asking for the first list page
// would otherwise each run the same query on the reader pool. io thread only: the map needs no
// lock, and a waiter joins (or not) without suspending between its check and its wait.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace mirror::http {

template <class Result>
class single_flight {
 public:
  // `compute` is called with no arguments and returns an awaitable<Result>. The key must name
  // everything the result depends on (here: the target and the data generation). A waiter
  // whose leader failed (threw) computes on its own.
  template <class Compute>
  boost::asio::awaitable<Result> run(std::string_view key, Compute compute) {
    if (const auto it = flights_.find(std::string(key)); it != flights_.end()) {
      const std::shared_ptr<flight> f = it->second;
      ++joined_;
      co_await f->done.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      if (f->result) co_return *f->result;
      co_return co_await compute();
    }
    const auto f = std::make_shared<flight>(co_await boost::asio::this_coro::executor);
    flights_.emplace(std::string(key), f);
    // Whatever happens to the leader (a result, an exception, its frame destroyed at shutdown),
    // the key is free again and the waiters wake. By key: other flights may have rehashed the
    // map since, which invalidates iterators.
    struct land {
      single_flight* self;
      std::string key;
      flight* f;
      ~land() {
        self->flights_.erase(key);
        f->done.cancel();
      }
    } on_exit{this, std::string(key), f.get()};
    f->result = co_await compute();
    co_return *f->result;
  }

  std::size_t joined() const { return joined_; }     // callers served by another's computation
  std::size_t in_flight() const { return flights_.size(); }

 private:
  struct flight {
    template <class Executor>
    explicit flight(Executor ex) : done(ex, std::chrono::steady_clock::time_point::max()) {}
    boost::asio::steady_timer done;  // cancelled when the leader lands: wakes every waiter
    std::optional<Result> result;
  };
  using map = std::unordered_map<std::string, std::shared_ptr<flight>>;
  map flights_;
  std::size_t joined_ = 0;
};

}  // namespace mirror::http
