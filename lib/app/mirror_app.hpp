#pragma once
// The daemon as an object: configuration in, a serving mirror out. daemon/main.cpp and the
// integration tests both drive it, so a test runs exactly what production runs, in-process on
// port 0 with a temp data dir (docs/design-habits.md H14 d).
//
// Threads (docs/architecture.md: Threads): run() is the io thread (acceptor, sessions, sync); a
// pool of `http.reader_threads` threads each owns a read-only SQLite connection and decodes sync
// pages; the single read-write connection lives on the writer shell's thread from open() on
// (migrations, first-start seed, then every write).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <future>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/mirror_hooks.hpp"
#include "config/config.hpp"
#include "curation/rules_curator.hpp"
#include "store/writer.hpp"
#include "sync/run_report.hpp"
#include "util/clock.hpp"

namespace mirror::app {

struct build_info {
  std::string version = MIRROR_VERSION;
  std::string git_commit = "unknown";
  std::string build_time = "unknown";
};

struct open_summary {
  std::int64_t versions = 0;
  std::int64_t names = 0;
  bool seeded = false;  // this start loaded the bundled seed into an empty database
  bool bootstrapped = false;  // this start imported snapshot.bootstrap_url into an empty database
};

class mirror_app {
 public:
  mirror_app(config::mirror_config cfg, build_info info, util::clock_fn now = util::system_now_us);
  ~mirror_app();

  // Opens (creating and migrating) the database under data_dir and, when it holds no version
  // yet and seeding is on, loads the bundled seed. Throws store::error / std::exception.
  open_summary open();

  // Binds the listener; returns the bound endpoint (port 0 → the chosen port).
  boost::asio::ip::tcp::endpoint listen();

  // Serves until stop() or, with handle_signals, SIGINT/SIGTERM; then drains and returns.
  // `on_ready` runs on the io thread once the signal handlers are in place: a "ready" printed
  // any earlier would let a SIGHUP sent at once hit the default action (or be lost).
  void run(bool handle_signals, std::function<void()> on_ready = {});

  // Thread-safe; returns at once, run() returns after the drain.
  void stop();

  // Starts a curation reload job (app/curation_reload.hpp): an invalid file is rejected and
  // logged (old rules stay), a valid one re-curates the names it can change on the writer
  // thread, a batch at a time. The future is ready when the job ends. Thread-safe; SIGHUP and
  // POST .../reload start the same jobs.
  std::future<api::reload_outcome> reload_curation();
  // Ready when reload job `id` (a POST .../reload's) has ended.
  std::future<api::reload_outcome> reload_finished(std::uint64_t id);

  // Ready once every job queued on the writer thread before the call has run (a sync page, a
  // reload, the re-curation after a run): lets tests await background writes.
  std::future<void> flush_writer();

  // Called on the io thread after every sync run (set before run(); for tests and embedding).
  void on_sync_run(std::function<void(const sync::run_report&)> observer);

 private:
  void wait_for_hangup(boost::asio::signal_set& hangup);
  void wait_for_age_tick(boost::asio::steady_timer& timer);
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The database file inside a data dir.
std::filesystem::path database_path(const std::filesystem::path& data_dir);

// The read-write connection to cfg's database (created and migrated), with `rules`, the views
// (built or rebuilt when new or changed: store::writer::prepare_views) and the change-feed
// retention set: what every writer shell is built on. Throws store::error.
// The configured sources' names, first wins (config::sources).
std::vector<std::string> source_names(const config::mirror_config& cfg);
store::writer open_writer(const config::mirror_config& cfg, std::shared_ptr<const store::curator> rules,
                          std::vector<store::view_spec> views, std::int64_t now_us,
                          store::writer::unlisted_views unlisted = store::writer::unlisted_views::refuse);
// The same with cfg's rules and views read from their files (commands: import, sync --once).
store::writer open_writer(const config::mirror_config& cfg, std::int64_t now_us);

// cfg's curation rules (curation::load_curator), or config::invalid_config with the loader's
// "file:line:column: key: message": for commands that cannot run without them.
std::shared_ptr<const curation::rules_curator> require_curator(const config::mirror_config& cfg, std::int64_t now_us);

}  // namespace mirror::app
