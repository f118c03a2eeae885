#pragma once
// The whole daemon (app::mirror_app) running in-process on 127.0.0.1:0 with a temp data dir,
// its io loop on a background thread. Rows are written before it starts; stop() drains.
#include <span>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "app/mirror_app.hpp"
#include "store/writer.hpp"
#include "support/temp_dir.hpp"

namespace mirror::test {

class running_mirror {
 public:
  // Sync stays off unless `with_sync` (tests never reach outside loopback; a sync test points
  // cfg.upstream.url at a fake upstream).
  // `data_dir`: serve an existing data dir (another writer fills it) instead of a fresh one.
  // `clock`: the daemon's clock instead of the constant now_us (tests that move time).
  explicit running_mirror(std::span<const store::incoming> rows, config::mirror_config cfg = {},
                          std::int64_t now_us = 1'760'000'000'000'000, bool with_sync = false,
                          const std::filesystem::path* data_dir = nullptr, util::clock_fn clock = {}) {
    cfg.data_dir = data_dir ? *data_dir : dir_.path();
    cfg.upstream.sync = with_sync;
    for (auto& s : cfg.source_list) s.upstream.sync = with_sync;
    cfg.listen_host = "127.0.0.1";
    cfg.listen_port = 0;
    cfg.seed_when_empty = rows.empty();
    if (!rows.empty()) {
      auto w = store::writer::open(app::database_path(cfg.data_dir));
      w.apply(rows, model::source::upstream, now_us);
    }
    app_ = std::make_unique<app::mirror_app>(cfg, app::build_info{"9.9.9", "abc1234", "2026-01-01T00:00:00Z"},
                                             clock ? clock : [now_us] { return now_us; });
    summary_ = app_->open();
    app_->on_sync_run([this](const sync::run_report& r) {
      std::lock_guard lock(runs_mutex_);
      runs_.push_back(r);
      runs_changed_.notify_all();
    });
    port_ = app_->listen().port();
    thread_ = std::thread([this] { app_->run(false); });
  }
  ~running_mirror() { stop(); }

  void stop() {
    if (!thread_.joinable()) return;
    app_->stop();
    thread_.join();
  }

  unsigned short port() const { return port_; }
  app::mirror_app& app() { return *app_; }

  // Blocks until `count` sync runs have finished (or 30 s pass: then fails the test by throwing).
  sync::run_report await_sync_runs(std::size_t count) {
    std::unique_lock lock(runs_mutex_);
    if (!runs_changed_.wait_for(lock, std::chrono::seconds(30), [&] { return runs_.size() >= count; }))
      throw std::runtime_error("sync run did not finish within 30 s");
    return runs_[count - 1];
  }
  const app::open_summary& summary() const { return summary_; }
  const std::filesystem::path& data_dir() const { return dir_.path(); }

 private:
  temp_dir dir_;
  std::unique_ptr<app::mirror_app> app_;
  app::open_summary summary_;
  unsigned short port_ = 0;
  std::thread thread_;
  std::mutex runs_mutex_;
  std::condition_variable runs_changed_;
  std::vector<sync::run_report> runs_;
};

}  // namespace mirror::test
