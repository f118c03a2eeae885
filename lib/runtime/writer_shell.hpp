#pragma once
// The one writer thread and the one read-write connection it owns (docs/design-habits.md H5/H7):
// every write of the daemon (a sync page, a reload, a re-curation, the sync state) is a job run
// here, one after another, so the writer needs no lock and SQL never meets a thread (the store
// knows no threads, this shell knows no SQL).
//
// Every job goes through one completion path: after it, the shell reads the root's and every
// view's change sequence and hands them to `on_commit` (the response cache's generations), so no caller bumps the
// generation by hand; a job that throws is logged with its name and the exception is rethrown to
// whoever waits (a future, a coroutine), or dropped with the future by those who do not.
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string_view>
#include <type_traits>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "store/writer.hpp"
#include "util/run_on.hpp"

namespace mirror::runtime {

class writer_shell {
 public:
  // Takes the writer (opened, migrated) and starts its thread at a lower scheduling priority:
  // serving comes first on small hosts.
  explicit writer_shell(store::writer writer, std::function<void(const store::feed_positions&)> on_commit = {});
  ~writer_shell();  // lets queued jobs finish, then joins
  writer_shell(const writer_shell&) = delete;
  writer_shell& operator=(const writer_shell&) = delete;

  // Runs fn(writer) on the writer thread; the future carries its result or exception. Any thread.
  template <class F>
  auto submit(std::string_view job, F fn) -> std::future<std::invoke_result_t<F&, store::writer&>> {
    using result = std::invoke_result_t<F&, store::writer&>;
    auto task = std::make_shared<std::packaged_task<result()>>(
        [this, job, fn = std::move(fn)]() mutable { return complete(job, fn); });
    auto future = task->get_future();
    boost::asio::post(thread_, [task] { (*task)(); });
    return future;
  }

  // The same from a coroutine: resumes on the caller's executor with the result or exception.
  template <class F>
  auto run(std::string_view job, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&, store::writer&>> {
    co_return co_await util::run_on(thread_.get_executor(), [this, job, &fn] { return complete(job, fn); });
  }

  // Ready once every job queued before the call has run (tests await background writes).
  std::future<void> flush() {
    return submit("flush", [](store::writer&) {});
  }

 private:
  template <class F>
  auto complete(std::string_view job, F& fn) -> std::invoke_result_t<F&, store::writer&> {
    struct publish_after {
      writer_shell& shell;
      ~publish_after() { shell.publish(); }
    } after{*this};
    try {
      return fn(*writer_);
    } catch (const std::exception& e) {
      failed(job, e);
      throw;
    }
  }
  void publish() noexcept;
  static void failed(std::string_view job, const std::exception& e);

  std::unique_ptr<store::writer> writer_;
  std::function<void(const store::feed_positions&)> on_commit_;
  boost::asio::thread_pool thread_{1};
};

}  // namespace mirror::runtime
