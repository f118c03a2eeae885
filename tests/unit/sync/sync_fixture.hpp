#pragma once
// The sync job (syncer) against fake_client, with the real writer thread on a temp SQLite file
// and a manual clock: waits (pacing, backoff, Retry-After) complete at once, are recorded and
// advance the clock, so tests see every delay without sleeping and without sockets. Mirrors
// tests/integration/sync_harness.hpp, minus the HTTP client and the fake server.
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>

#include "runtime/writer_shell.hpp"
#include "store/writer.hpp"
#include "support/fake_client.hpp"
#include "support/manual_sync_clock.hpp"
#include "support/fake_upstream_model.hpp"
#include "support/stored_versions.hpp"
#include "support/temp_dir.hpp"
#include "sync/syncer.hpp"
#include "upstream/targets.hpp"

namespace mirror::test {

// fake_registry whose list pages can end in an endless cursor (fake_upstream has the same
// switch, on its socket server).
class registry_model : public fake_registry {
 public:
  void endless_cursor(endless mode) {
    std::lock_guard lock(mutex_);
    endless_ = mode;
  }
};

// Publishes `count` versions of io.github.user<n>/server (one version each) at `at_us`.
inline void publish_names(fake_registry& r, int count, std::int64_t at_us) {
  for (int n = 0; n < count; ++n) r.publish("io.github.user" + std::to_string(n) + "/server", "1.0.0", at_us + n);
}

class sync_fixture : public manual_sync_clock {
  temp_dir dir_;
  runtime::writer_shell db_;

 public:
  static constexpr std::int64_t start_us = 1'770'000'000'000'000;
  static constexpr const char* upstream_url = "https://registry.test";

  sync_fixture() : db_(store::writer::open(dir_.path() / "m.db")), client(registry) {
    client.set_clock([this] { return clock_us; });
    options.upstream_url = upstream_url;
    options.page_limit = 2;
    options.max_requests_per_second = 1000;  // 1 ms apart: pacing shows in waits, briefly
    options.max_attempts = 4;
  }

  // The target of list page request (cursor absent for the first page).
  std::string page_target(std::optional<std::string> cursor = std::nullopt,
                          std::optional<std::int64_t> since_us = std::nullopt) const {
    upstream::page_request p;
    p.limit = options.page_limit;
    p.cursor = std::move(cursor);
    p.updated_since_us = since_us;
    return upstream::servers_page_target(p);
  }

  // A fresh syncer from `options`, on the fake clock and instant, recorded waits.
  sync::syncer& make_syncer() {
    job = std::make_unique<sync::syncer>(client, db_, options, environment(ioc, seed));
    return *job;
  }

  // One run_once on a fresh syncer, run to completion on this thread.
  sync::run_report run() {
    make_syncer();
    bool done = false;
    std::exception_ptr error;
    sync::run_report report;
    boost::asio::co_spawn(ioc, job->run_once(), [&](std::exception_ptr e, sync::run_report r) {
      done = true;
      error = e;
      report = std::move(r);
    });
    ioc.restart();
    ioc.run();
    REQUIRE(done);
    if (error) std::rethrow_exception(error);
    CHECK(client.concurrent == 0);
    CHECK(client.unscripted == 0);
    return report;
  }

  store::sync_state state() {
    return db_.submit("test: sync state", [](store::writer& w) { return w.sync_state(); }).get();
  }
  std::vector<model::server_version> stored() {
    db_.flush().get();
    return stored_versions(dir_.path() / "m.db");
  }
  runtime::writer_shell& db() { return db_; }

  std::uint64_t seed = 1;
  sync::sync_options options;
  boost::asio::io_context ioc{1};
  std::unique_ptr<sync::syncer> job;  // the last make_syncer()
  registry_model registry;
  fake_client client;
};

}  // namespace mirror::test
