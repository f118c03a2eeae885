#include "app/mirror_app.hpp"

#include <atomic>
#include <csignal>
#include <map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "api/service.hpp"
#include "app/admin_token.hpp"
#include "app/curation_reload.hpp"
#include "app/sync_wiring.hpp"
#include "app/view_set.hpp"
#include "config/invalid_config.hpp"
#include "curation/rules_curator.hpp"
#include "http/server.hpp"
#include "import/importer.hpp"
#include "metrics/catalog.hpp"
#include "runtime/writer_shell.hpp"
#include "snapshot/bootstrap.hpp"
#include "store/commit_watch.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "util/embedded.hpp"

namespace mirror::app {

namespace asio = boost::asio;

std::filesystem::path database_path(const std::filesystem::path& data_dir) {
  return data_dir / "mirror.db";
}

std::shared_ptr<const curation::rules_curator> require_curator(const config::mirror_config& cfg, std::int64_t now_us) {
  auto c = curation::load_curator(cfg.curation_file, now_us);
  if (auto* e = std::get_if<std::string>(&c)) throw config::invalid_config("curation error: " + *e);
  return std::get<std::shared_ptr<const curation::rules_curator>>(c);
}

std::vector<std::string> source_names(const config::mirror_config& cfg) {
  std::vector<std::string> order;
  for (const auto& s : config::sources(cfg)) order.push_back(s.name);
  return order;
}

store::writer open_writer(const config::mirror_config& cfg, std::shared_ptr<const store::curator> rules,
                          std::vector<store::view_spec> views, std::int64_t now_us,
                          store::writer::unlisted_views unlisted) {
  auto w = store::writer::open(database_path(cfg.data_dir));
  w.set_change_retention(cfg.changes.retention);
  w.set_curator(std::move(rules));
  w.set_sources(source_names(cfg));
  w.set_views(std::move(views));
  (void)w.instance_id();  // made at first start, and again if the row was deleted (0007)
  if (const auto n = w.prepare_views(now_us, unlisted)) spdlog::info("views: {} names rebuilt for new or changed rules", n);
  return w;
}

store::writer open_writer(const config::mirror_config& cfg, std::int64_t now_us) {
  return open_writer(cfg, require_curator(cfg, now_us), view_set(cfg, now_us).specs(), now_us);
}

namespace {

// One read-only connection per pool thread and database (tests run several apps in a process).
store::reader& thread_reader(const std::filesystem::path& db, std::uint64_t mmap_bytes) {
  thread_local std::map<std::string, std::unique_ptr<store::reader>> readers;
  auto& r = readers[db.string()];
  if (!r) r = std::make_unique<store::reader>(store::reader::open(db, store::view::served, mmap_bytes));
  return *r;
}

http::server_options http_options(const config::mirror_config& c) {
  http::server_options o;
  o.host = c.listen_host;
  o.port = c.listen_port;
  o.read_timeout = c.http.read_timeout;
  o.idle_timeout = c.http.idle_timeout;
  o.write_timeout = c.http.write_timeout;
  o.drain_timeout = c.http.drain_timeout;
  o.header_limit = static_cast<std::uint32_t>(c.http.max_header_bytes);
  o.body_limit = c.http.max_body_bytes;
  o.max_connections = c.http.max_connections;
  o.max_connections_per_client = c.http.max_connections_per_client;
  o.max_queued_requests = c.http.max_queued_requests;
  o.cache_bytes = c.http.cache_bytes;
  return o;
}

// First start from `snapshot.bootstrap_url`; false (logged) when it fails: the seed follows.
bool bootstrap_from_snapshot(const config::mirror_config& c, store::writer& writer, std::int64_t now) {
  upstream::client_options o;
  o.base_url = c.snapshot.bootstrap_url;
  o.connect_timeout = c.upstream.connect_timeout;
  o.read_timeout = std::max<std::chrono::milliseconds>(c.upstream.read_timeout, std::chrono::minutes(10));
  o.max_response_bytes = std::max<std::size_t>(c.upstream.max_response_bytes, std::size_t{1} << 30);
  const auto r = snapshot::bootstrap(writer, o, {.min_share_percent = 0, .force = true, .now_us = now});
  if (r.rejected) {
    spdlog::warn("bootstrap from snapshot {} failed, nothing imported: {}", o.base_url, r.error);
    return false;
  }
  spdlog::info("first start: imported snapshot {} ({} versions, watermark {})", o.base_url,
               r.info.counts.total, r.info.watermark_us ? std::to_string(*r.info.watermark_us) : "none");
  return true;
}

}  // namespace

// An io_context whose shutdown() ~mirror_app can call early: it destroys the handlers and
// coroutine frames still queued (what stop() abandoned: a sync run between requests, its HTTP
// exchange), whose destructors point into sync and server objects, while those still exist.
// Sockets and timers may be destroyed after it, as in ~io_context itself (shutdown, then destroy).
struct app_io_context : asio::io_context {
  using asio::io_context::io_context;
  using asio::io_context::shutdown;
};

struct mirror_app::impl {
  impl(config::mirror_config c, build_info b, util::clock_fn n)
      : cfg(std::move(c)),
        info(std::move(b)),
        now(std::move(n)),
        db_path(database_path(cfg.data_dir)),
        pool(cfg.http.reader_threads) {}

  config::mirror_config cfg;
  build_info info;
  util::clock_fn now;
  std::filesystem::path db_path;
  std::vector<std::string> source_order = source_names(cfg);  // the configured sources, first wins
  // Declared before everything that owns sockets or timers: destroyed last.
  app_io_context ioc{1};
  asio::thread_pool pool;
  std::atomic<std::uint64_t> generation{0};
  std::unique_ptr<store::commit_watch> commits;  // io thread only
  metrics::catalog metrics;
  std::function<void(const sync::run_report&)> sync_observer;
  std::unique_ptr<curation::curation_state> curation;
  std::unique_ptr<view_set> views;
  std::vector<std::string> view_names;  // in configured order
  std::unique_ptr<runtime::writer_shell> writer;
  std::unique_ptr<curation_reload> reloads;
  std::unique_ptr<sync_wiring> sync;  // null when sync is off
  std::unique_ptr<api::service> service;
  std::unique_ptr<http::server> server;

  // The change sequence only grows; whoever saw a commit first (the writer shell after each of
  // its jobs, the io thread's commit_watch after anyone's) publishes it.
  void publish_generation(std::int64_t seq) {
    const auto value = static_cast<std::uint64_t>(seq);
    auto current = generation.load(std::memory_order_relaxed);
    while (current < value && !generation.compare_exchange_weak(current, value, std::memory_order_release)) {
    }
  }

  // Rules on publishedAt age change their verdict with time alone: the view is rebuilt after
  // every sync run, or every upstream.interval when sync is off. Nobody waits: the shell logs a
  // failure (the view stays as it was).
  void recurate_if_time_dependent() {
    bool any = curation->get()->time_dependent();
    for (std::size_t i = 0; i < views->size(); ++i) any |= views->rules(i).get()->time_dependent();
    if (!any) return;
    (void)writer->submit("re-curation of age rules", [this](store::writer& w) { (void)w.recurate(now()); });
  }
};

mirror_app::mirror_app(config::mirror_config cfg, build_info info, util::clock_fn now)
    : impl_(std::make_unique<impl>(std::move(cfg), std::move(info), std::move(now))) {}

mirror_app::~mirror_app() {
  // Threads first, then the work stop() abandoned, then the objects that work points into: a
  // sync run cut off between requests still has a page or state read on the writer thread, a
  // page being decoded on the reader pool, and suspended frames on the io_context (in the
  // upstream client).
  if (impl_->reloads) impl_->reloads->stop();  // no new reload batch: the writer drains quickly
  // The read-only connections close first (the reader threads' as the pool's threads end, the
  // io thread's commit watch, unused since run() returned), so that the writer's is the last
  // one: only then does SQLite checkpoint and remove the WAL, leaving mirror.db whole.
  impl_->pool.join();     // reader threads (and a page decode) finish
  impl_->commits.reset();
  impl_->writer.reset();  // joins the writer thread: an in-flight transaction completes
  impl_->ioc.shutdown();  // destroys the abandoned frames while sync and server exist
  impl_->server.reset();
  impl_->sync.reset();
}

open_summary mirror_app::open() {
  auto& s = *impl_;
  open_summary summary;
  auto curator = require_curator(s.cfg, s.now());
  s.curation = std::make_unique<curation::curation_state>(curator);
  s.views = std::make_unique<view_set>(s.cfg, s.now());
  s.writer = std::make_unique<runtime::writer_shell>(open_writer(s.cfg, curator, s.views->specs(), s.now(),
                                                                  store::writer::unlisted_views::drop),
                                                      [&s](const store::feed_positions& p) {
                                                        s.publish_generation(p.root);
                                                        s.views->publish(p.views);
                                                      });
  s.writer->submit("first-start data", [&s, &summary](store::writer& writer) {
    if (!s.cfg.snapshot.bootstrap_url.empty() && writer.empty())
      summary.bootstrapped = bootstrap_from_snapshot(s.cfg, writer, s.now());
    if (s.cfg.seed_when_empty && writer.empty()) {
      const auto seed = embedded::file("seed-2025-09-29.json");
      auto report = import::import_bytes(writer, seed, model::source::seed, s.now());
      if (report.rejected) throw std::runtime_error("bundled seed rejected: " + report.error);
      summary.seeded = true;
    }
    // Rules edited while the daemon was down: rebuild the served view before serving it.
    if (writer.needs_recurate()) {
      const auto r = writer.recurate(s.now());
      spdlog::info("curation rules changed since the last run: {} names re-curated, {} shown, {} hidden, "
                   "{} curated, latest moved for {}",
                   r.names, r.shown, r.hidden, r.curated, r.latest_moved);
    }
  }).get();
  auto reader = store::reader::open(s.db_path);
  summary.versions = reader.count_versions();
  summary.names = reader.count_names();
  s.generation = static_cast<std::uint64_t>(reader.change_seq());
  s.view_names = {};
  for (std::size_t i = 0; i < s.views->size(); ++i) s.view_names.push_back(s.views->config_of(i).name);
  s.commits = std::make_unique<store::commit_watch>(s.db_path);
  if (!s.commits->has_mapping())
    spdlog::warn("{}: no shared WAL index to watch; every cached request asks SQLite for new commits",
                 s.db_path.string());

  api::mirror_hooks hooks;
  hooks.now_us = s.now;
  if (config::any_sync(s.cfg)) {
    for (const auto& source : config::sources(s.cfg))
      if (source.upstream.sync) s.metrics.add_source(source.name);  // every series from the start, at 0
    auto on_run = [&s, &m = s.metrics](const sync::run_report& r) {
      const std::string_view source = r.source;
      m.sync_runs.with({source}).inc();
      if (!r.ok) m.sync_failures.with({source}).inc();
      m.sync_retries.with({source}).inc(static_cast<double>(r.retries));
      m.upstream_rate_limited.with({source}).inc(static_cast<double>(r.throttled));
      m.versions_applied.with({source}).inc(static_cast<double>(r.added + r.changed));
      if (r.ok) m.last_success.with({source}).set(static_cast<double>(r.finished_us) / 1e6);
      m.sync_duration.with({source}).observe(static_cast<double>(r.finished_us - r.started_us) / 1e6);
      s.recurate_if_time_dependent();
      if (!s.view_names.empty())
        (void)s.writer->submit("view storage", [](store::writer& w) { w.choose_views_storage(); });
      if (s.sync_observer) s.sync_observer(r);
    };
    s.sync = std::make_unique<sync_wiring>(s.ioc.get_executor(), s.pool.get_executor(), s.cfg, *s.writer, s.now,
                                           on_run);
    hooks = s.sync->hooks(s.ioc.get_executor());
  }
  if (!s.cfg.admin_token_file.empty()) hooks.admin_token = read_admin_token(s.cfg.admin_token_file);
  s.reloads = std::make_unique<curation_reload>(
      curation_reload::deps{*s.writer, *s.curation, s.metrics, s.cfg.curation_file, s.now, 256, s.views.get()},
      curator);
  hooks.start_reload = [&r = *s.reloads] { return r.start(); };
  hooks.reload_status = [&r = *s.reloads](std::uint64_t id) { return r.status(id); };
  const std::uint64_t mmap_bytes = s.cfg.http.reader_mmap_bytes;
  auto explain_under = [&s, mmap_bytes](const curation::rules_curator& rules, std::string_view name,
                                        std::optional<std::string_view> version) {
    return rules.explain(thread_reader(s.db_path, mmap_bytes), name, version, s.now(), s.source_order);
  };
  hooks.explain = [&s, explain_under](std::string_view name, std::optional<std::string_view> version) {
    return explain_under(*s.curation->get(), name, version);
  };
  hooks.metrics_text = [&m = s.metrics] { return m.reg.render(); };

  api::service_options options;
  if (!s.cfg.meta_namespace.empty()) {
    options.render.mirror_meta_key = s.cfg.meta_namespace + "/mirror";
    options.render.curation_meta_key = s.cfg.meta_namespace + "/curation";
  }
  options.version = s.info.version;
  for (const auto& source : config::sources(s.cfg)) options.sources.emplace_back(source.name, source.upstream.url);
  options.git_commit = s.info.git_commit;
  options.build_time = s.info.build_time;
  options.openapi_yaml = std::string(embedded::file("openapi.yaml"));
  const auto db = s.db_path;
  options.extension_namespace = s.cfg.meta_namespace;
  options.cache_max_age = std::chrono::duration_cast<std::chrono::seconds>(s.cfg.http.cache_max_age);
  options.views = s.views->api_options(explain_under);
  s.service = std::make_unique<api::service>(
      std::move(options), [db, mmap_bytes]() -> store::reader& { return thread_reader(db, mmap_bytes); },
      std::move(hooks));
  auto observer = [&m = s.metrics](const http::request_log& r) {
    const auto seconds = std::chrono::duration<double>(r.duration).count();
    const std::string_view route = r.route.empty() ? std::string_view("(unmatched)") : r.route;
    const auto status = std::to_string(r.status);
    const auto method = metrics::method_label(r.method);
    m.http_requests.with({method, route, std::string_view(status)}).inc();
    m.http_request_duration.with({method, route}).observe(seconds);
    spdlog::debug("{} {} {} {}B {:.3f}ms{}", r.method, r.target, r.status, r.body_bytes, seconds * 1e3,
                  r.cache_hit ? " cached" : "");
  };
  s.server = std::make_unique<http::server>(
      s.ioc, s.pool, http_options(s.cfg), *s.service,
      [&s](std::string_view target) {
        // Before any cached page is trusted: a commit by another process (an `import` into
        // this data dir) moves the generations like one of ours.
        if (const auto seq = s.commits->poll()) {
          s.publish_generation(*seq);
          if (!s.view_names.empty()) s.views->publish(s.commits->view_seqs(s.view_names));
        }
        if (auto* view = s.views->generation_of(target)) return view->load(std::memory_order_acquire);
        return s.generation.load(std::memory_order_acquire);
      },
      observer);
  return summary;
}

asio::ip::tcp::endpoint mirror_app::listen() { return impl_->server->listen(); }

void mirror_app::run(bool handle_signals, std::function<void()> on_ready) {
  auto& s = *impl_;
  asio::signal_set signals(s.ioc);
  asio::signal_set hangup(s.ioc);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](const boost::system::error_code& ec, int signo) {
      if (ec) return;
      spdlog::info("signal {}: stopping (drain up to {} ms)", signo,
                   impl_->cfg.http.drain_timeout.count());
      impl_->server->stop();
    });
    // SIGHUP (systemctl reload): re-read the curation file. The writer thread does the work and
    // logs the outcome; the io thread does not wait for it.
    hangup.add(SIGHUP);
    wait_for_hangup(hangup);
  }
  if (on_ready) asio::post(s.ioc, std::move(on_ready));
  if (s.sync) s.sync->start();
  asio::steady_timer age_timer(s.ioc);
  if (!s.sync) wait_for_age_tick(age_timer);
  asio::co_spawn(s.ioc, s.server->run(), [&](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        spdlog::error("server stopped by an exception: {}", x.what());
      }
    }
    signals.cancel();
    hangup.cancel();
    age_timer.cancel();
    // Requests are drained; a sync run still in flight is abandoned between requests (its page
    // transactions are atomic and the watermark only moves at the end, so nothing is lost).
    if (s.sync) s.sync->stop();
    s.ioc.stop();
  });
  s.ioc.run();
}

std::future<api::reload_outcome> mirror_app::reload_curation() {
  auto& r = *impl_->reloads;
  return r.outcome(r.start());
}

std::future<api::reload_outcome> mirror_app::reload_finished(std::uint64_t id) {
  return impl_->reloads->outcome(id);
}

std::future<void> mirror_app::flush_writer() { return impl_->writer->flush(); }

void mirror_app::on_sync_run(std::function<void(const sync::run_report&)> observer) {
  impl_->sync_observer = std::move(observer);
}

void mirror_app::wait_for_hangup(asio::signal_set& hangup) {
  hangup.async_wait([this, &hangup](const boost::system::error_code& ec, int) {
    if (ec) return;
    spdlog::info("SIGHUP: reloading the curation rules from {}", impl_->cfg.curation_file.string());
    (void)reload_curation();  // dropping the future neither waits nor cancels the work
    wait_for_hangup(hangup);
  });
}

void mirror_app::wait_for_age_tick(asio::steady_timer& timer) {
  timer.expires_after(config::sources(impl_->cfg).front().upstream.interval);
  timer.async_wait([this, &timer](const boost::system::error_code& ec) {
    if (ec) return;
    impl_->recurate_if_time_dependent();
    wait_for_age_tick(timer);
  });
}

void mirror_app::stop() {
  asio::post(impl_->ioc, [this] { impl_->server->stop(); });
}

}  // namespace mirror::app
