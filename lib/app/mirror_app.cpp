#include "app/mirror_app.hpp"

#include <atomic>
#include <csignal>
#include <map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "api/service.hpp"
#include "app/sync_wiring.hpp"
#include "http/server.hpp"
#include "import/importer.hpp"
#include "metrics/catalog.hpp"
#include "snapshot/bootstrap.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "util/embedded.hpp"

namespace mirror::app {

namespace asio = boost::asio;

std::filesystem::path database_path(const std::filesystem::path& data_dir) {
  return data_dir / "mirror.db";
}

namespace {

// One read-only connection per pool thread and database (tests run several apps in a process).
store::reader& thread_reader(const std::filesystem::path& db) {
  thread_local std::map<std::string, std::unique_ptr<store::reader>> readers;
  auto& r = readers[db.string()];
  if (!r) r = std::make_unique<store::reader>(store::reader::open(db));
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
  // Declared before everything that owns sockets or timers: destroyed last.
  asio::io_context ioc{1};
  asio::thread_pool pool;
  std::atomic<std::uint64_t> generation{0};
  metrics::catalog metrics;
  std::function<void(const sync::run_report&)> sync_observer;
  std::unique_ptr<sync_wiring> sync;  // null when sync is off
  std::unique_ptr<api::service> service;
  std::unique_ptr<http::server> server;
};

mirror_app::mirror_app(config::mirror_config cfg, build_info info, util::clock_fn now)
    : impl_(std::make_unique<impl>(std::move(cfg), std::move(info), std::move(now))) {}

mirror_app::~mirror_app() {
  impl_->server.reset();
  impl_->sync.reset();  // joins the writer thread: an in-flight page transaction completes
  impl_->pool.join();   // reader threads exit and close their SQLite connections
}

open_summary mirror_app::open() {
  auto& s = *impl_;
  open_summary summary;
  {
    auto writer = store::writer::open(s.db_path);
    if (!s.cfg.snapshot.bootstrap_url.empty() && writer.empty())
      summary.bootstrapped = bootstrap_from_snapshot(s.cfg, writer, s.now());
    if (s.cfg.seed_when_empty && writer.empty()) {
      const auto seed = embedded::file("seed-2025-09-29.json");
      auto report = import::import_bytes(writer, seed, model::source::seed, s.now());
      if (report.rejected) throw std::runtime_error("bundled seed rejected: " + report.error);
      summary.seeded = true;
    }
  }
  auto reader = store::reader::open(s.db_path);
  summary.versions = reader.count_versions();
  summary.names = reader.count_names();
  s.generation = static_cast<std::uint64_t>(reader.change_seq());

  api::mirror_hooks hooks;
  hooks.now_us = s.now;
  if (s.cfg.upstream.sync) {
    auto on_commit = [&s](std::int64_t seq) {
      s.generation.store(static_cast<std::uint64_t>(seq), std::memory_order_release);
    };
    auto on_run = [&s, &m = s.metrics](const sync::run_report& r) {
      m.sync_runs.inc();
      if (!r.ok) m.sync_failures.inc();
      m.sync_retries.inc(static_cast<double>(r.retries));
      m.upstream_rate_limited.inc(static_cast<double>(r.throttled));
      m.versions_applied.inc(static_cast<double>(r.added + r.changed));
      if (r.ok) m.last_success.set(static_cast<double>(r.finished_us) / 1e6);
      m.sync_duration.observe(static_cast<double>(r.finished_us - r.started_us) / 1e6);
      if (s.sync_observer) s.sync_observer(r);
    };
    s.sync = std::make_unique<sync_wiring>(s.ioc.get_executor(), s.cfg, s.now, on_commit, on_run);
    hooks = s.sync->hooks(s.ioc.get_executor());
  }
  hooks.metrics_text = [&m = s.metrics] { return m.reg.render(); };

  api::service_options options;
  if (!s.cfg.meta_namespace.empty()) options.render.mirror_meta_key = s.cfg.meta_namespace + "/mirror";
  options.version = s.info.version;
  options.git_commit = s.info.git_commit;
  options.build_time = s.info.build_time;
  options.openapi_yaml = std::string(embedded::file("openapi.yaml"));
  const auto db = s.db_path;
  options.extension_namespace = s.cfg.meta_namespace;
  options.cache_max_age = std::chrono::duration_cast<std::chrono::seconds>(s.cfg.http.cache_max_age);
  s.service = std::make_unique<api::service>(
      std::move(options), [db]() -> store::reader& { return thread_reader(db); }, std::move(hooks));
  auto observer = [&m = s.metrics](const http::request_log& r) {
    const auto seconds = std::chrono::duration<double>(r.duration).count();
    const std::string_view route = r.route.empty() ? std::string_view("(unmatched)") : r.route;
    const auto status = std::to_string(r.status);
    m.http_requests.with({r.method, route, std::string_view(status)}).inc();
    m.http_request_duration.with({r.method, route}).observe(seconds);
    spdlog::debug("{} {} {} {}B {:.3f}ms{}", r.method, r.target, r.status, r.body_bytes, seconds * 1e3,
                  r.cache_hit ? " cached" : "");
  };
  auto server_options = http_options(s.cfg);
  server_options.cacheable_route = [svc = s.service.get()](std::string_view t) { return svc->cacheable_route(t); };
  server_options.not_modified = std::make_shared<const api::response>(s.service->not_modified());
  s.server = std::make_unique<http::server>(
      s.ioc, s.pool, std::move(server_options),
      [svc = s.service.get()](const api::request& req) { return svc->handle(req); },
      [&s] { return s.generation.load(std::memory_order_acquire); }, observer);
  return summary;
}

asio::ip::tcp::endpoint mirror_app::listen() { return impl_->server->listen(); }

void mirror_app::run(bool handle_signals) {
  auto& s = *impl_;
  asio::signal_set signals(s.ioc);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](const boost::system::error_code& ec, int signo) {
      if (ec) return;
      spdlog::info("signal {}: stopping (drain up to {} ms)", signo,
                   impl_->cfg.http.drain_timeout.count());
      impl_->server->stop();
    });
  }
  if (s.sync) s.sync->start();
  asio::co_spawn(s.ioc, s.server->run(), [&](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        spdlog::error("server stopped by an exception: {}", x.what());
      }
    }
    signals.cancel();
    // Requests are drained; a sync run still in flight is abandoned between requests (its page
    // transactions are atomic and the watermark only moves at the end, so nothing is lost).
    if (s.sync) s.sync->stop();
    s.ioc.stop();
  });
  s.ioc.run();
}

void mirror_app::on_sync_run(std::function<void(const sync::run_report&)> observer) {
  impl_->sync_observer = std::move(observer);
}

void mirror_app::stop() {
  asio::post(impl_->ioc, [this] { impl_->server->stop(); });
}

}  // namespace mirror::app
