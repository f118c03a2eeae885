#pragma once
// The real sync stack (HTTP client, syncer, writer thread, SQLite) against a fake upstream, with
// a manual clock: waits (pacing, backoff, Retry-After) complete at once and advance the clock, so
// tests see the delays without sleeping.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/mirror_app.hpp"
#include "store/reader.hpp"
#include "support/fake_upstream.hpp"
#include "support/manual_sync_clock.hpp"
#include "support/stored_versions.hpp"
#include "support/temp_dir.hpp"
#include "sync/syncer.hpp"

namespace mirror::test {

class sync_harness : public manual_sync_clock {
 public:
  explicit sync_harness(fake_upstream& upstream, sync::sync_options options = fast_options())
      : writer_(store::writer::open(app::database_path(dir_.path()))) {
    options.upstream_url = upstream.base_url();
    upstream::client_options co;
    co.base_url = upstream.base_url();
    co.read_timeout = std::chrono::milliseconds(2000);
    client_ = upstream::make_http_client(ioc_.get_executor(), co);
    syncer_ = std::make_unique<sync::syncer>(*client_, writer_, options, environment(ioc_));
  }

  static sync::sync_options fast_options() {
    sync::sync_options o;
    o.max_requests_per_second = 1000;
    o.page_limit = 7;
    o.max_attempts = 4;
    return o;
  }

  sync::run_report run() {
    sync::run_report report;
    boost::asio::co_spawn(ioc_, syncer_->run_once(), [&](std::exception_ptr e, sync::run_report r) {
      if (e) std::rethrow_exception(e);
      report = std::move(r);
    });
    ioc_.restart();
    ioc_.run();
    return report;
  }

  std::vector<model::server_version> stored() {
    return stored_versions(app::database_path(dir_.path()));
  }

  store::sync_state state() {
    return writer_.submit("test: read the sync state", [](store::writer& w) { return w.sync_state(); }).get();
  }
  // Fault tests fill the "disk" between runs (store::writer::set_page_limit).
  void set_page_limit(std::int64_t pages) {
    writer_.submit("test: page limit", [pages](store::writer& w) { w.set_page_limit(pages); }).get();
  }
  const std::filesystem::path& data_dir() const { return dir_.path(); }

 private:
  temp_dir dir_;
  boost::asio::io_context ioc_{1};
  runtime::writer_shell writer_;
  std::unique_ptr<upstream::client> client_;
  std::unique_ptr<sync::syncer> syncer_;
};

}  // namespace mirror::test
