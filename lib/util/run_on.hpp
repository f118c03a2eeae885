#pragma once
// The one way a coroutine hands blocking work to another thread: `co_await run_on(ex, fn)` runs
// fn() on `ex` (the reader pool, the writer thread) and resumes the caller on its own executor
// with fn's result, or rethrows fn's exception there. The only Asio in util; nothing below the
// threaded modules (http, sync, runtime, app) includes it.
#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace mirror::util {

template <class Executor, class F>
boost::asio::awaitable<std::invoke_result_t<F&>> run_on(Executor ex, F fn) {
  using result = std::invoke_result_t<F&>;
  // fn lives in this frame until the hop returns, so the spawned coroutine may hold a reference.
  co_return co_await boost::asio::co_spawn(
      std::move(ex), [&fn]() -> boost::asio::awaitable<result> { co_return fn(); },
      boost::asio::use_awaitable);
}

}  // namespace mirror::util
