#pragma once
// The one read-write connection and the thread it lives on (docs/design-habits.md H5/H7). Sync
// pages, curation reloads and time-driven re-curation all run here, one after another, so the
// writer never needs a lock.
#include <future>
#include <memory>
#include <type_traits>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "config/config.hpp"
#include "store/curator.hpp"
#include "store/writer.hpp"

namespace mirror::app {

class writer_host {
 public:
  // Opens the writer on the database of cfg.data_dir with the given curator. Throws.
  writer_host(const config::mirror_config& cfg, std::shared_ptr<const store::curator> curator);
  ~writer_host();  // lets queued work finish, then joins

  store::writer& writer() { return *writer_; }
  boost::asio::thread_pool& thread() { return thread_; }

  // Runs fn(writer) on the writer thread; the future carries its result or exception.
  template <class F>
  auto submit(F fn) -> std::future<std::invoke_result_t<F, store::writer&>> {
    using result = std::invoke_result_t<F, store::writer&>;
    auto task = std::make_shared<std::packaged_task<result()>>([this, fn = std::move(fn)]() mutable {
      return fn(*writer_);
    });
    auto future = task->get_future();
    boost::asio::post(thread_, [task] { (*task)(); });
    return future;
  }

 private:
  boost::asio::thread_pool thread_{1};
  std::unique_ptr<store::writer> writer_;
};

}  // namespace mirror::app
