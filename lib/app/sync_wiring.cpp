#include "app/sync_wiring.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "app/mirror_app.hpp"
#include "config/invalid_config.hpp"

namespace mirror::app {

namespace asio = boost::asio;

struct sync_wiring::unit {
  config::source_config source;
  std::unique_ptr<upstream::client> client;
  std::unique_ptr<sync::syncer> syncer;
  std::unique_ptr<sync::scheduler> scheduler;
  sync::status_board board;
  std::int64_t started_us = 0;  // when this daemon started following the source
};

namespace {

sync::sync_options sync_options_from(const config::source_config& s, const config::mirror_config& cfg) {
  const auto& u = s.upstream;
  sync::sync_options o;
  o.source = s.name;
  o.upstream_url = u.url;
  o.page_limit = static_cast<int>(u.page_limit);
  o.margin = u.margin;
  o.max_requests_per_second = u.requests_per_second;
  o.max_attempts = static_cast<int>(u.max_attempts);
  o.max_pages = u.max_pages;
  o.run_deadline = u.run_deadline;
  o.parent_namespace = cfg.meta_namespace;  // a parent is looked for under our own extensions
  o.replicate = u.replicate && !cfg.meta_namespace.empty();
  return o;
}

}  // namespace

sync::environment real_environment(asio::any_io_executor io, util::clock_fn now) {
  sync::environment env;
  env.now = std::move(now);
  env.wait = [io](std::chrono::microseconds d) -> asio::awaitable<void> {
    asio::steady_timer timer(io, d);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  };
  env.seed = std::random_device{}();
  return env;
}

sync_wiring::sync_wiring(asio::any_io_executor io, asio::any_io_executor decoder, const config::mirror_config& cfg,
                         runtime::writer_shell& writer, util::clock_fn now,
                         std::function<void(const sync::run_report&)> on_run, const std::string& only)
    : io_(io), now_(now) {
  for (const auto& source : config::sources(cfg)) {
    if (!source.upstream.sync || (!only.empty() && source.name != only)) continue;
    auto u = std::make_unique<unit>();
    u->source = source;
    u->started_us = now();
    const auto& up = source.upstream;
    upstream::client_options co;
    co.base_url = up.url;
    co.connect_timeout = up.connect_timeout;
    co.handshake_timeout = up.connect_timeout;
    co.read_timeout = up.read_timeout;
    co.max_response_bytes = up.max_response_bytes;
    u->client = upstream::make_http_client(io, co);
    auto env = real_environment(io, now);
    env.decoder = decoder;
    u->syncer = std::make_unique<sync::syncer>(*u->client, writer, sync_options_from(source, cfg), std::move(env),
                                               [](const std::string& line) { spdlog::info("{}", line); });
    sync::schedule_options so;
    so.interval = up.interval;
    so.jitter = up.jitter_percent / 100.0;
    u->scheduler = std::make_unique<sync::scheduler>(io, *u->syncer, u->board, so, now, on_run);

    const auto state = writer
                           .submit("read the sync state",
                                   [name = source.name](store::writer& w) { return w.sync_state(name); })
                           .get();
    u->board.update([&](sync::status_snapshot& s) {
      s.enabled = true;
      s.source = source.name;
      s.upstream = up.url;
      s.staleness_limit_us = up.staleness_limit.count() * 1000;
      s.last_attempt_us = state.last_attempt_us;
      // A success against another upstream does not count: the next run walks everything.
      if (state.upstream == up.url) {
        s.last_success_us = state.last_success_us;
        s.watermark_us = state.watermark_us;
        if (state.parent_id && !state.parent_id->empty()) s.parent_id = *state.parent_id;
      }
      s.last_error = state.last_error.value_or("");
    });
    units_.push_back(std::move(u));
  }
  if (!only.empty() && units_.empty())
    throw config::invalid_config("no source named \"" + only + "\" with sync on in the config");
}

sync_wiring::~sync_wiring() = default;

void sync_wiring::start() {
  for (auto& u : units_)
    asio::co_spawn(io_, u->scheduler->run(), [name = u->source.name](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        spdlog::critical("sync scheduler of source {} stopped by an exception: {}", name, x.what());
      }
    });
}

void sync_wiring::stop() {
  for (auto& u : units_) u->scheduler->stop();
}

asio::awaitable<std::vector<sync::run_report>> sync_wiring::run_once() {
  std::vector<sync::run_report> reports;
  for (auto& u : units_) reports.push_back(co_await u->syncer->run_once());
  co_return reports;
}

api::mirror_hooks sync_wiring::hooks(asio::any_io_executor io) {
  api::mirror_hooks h;
  h.now_us = now_;
  if (units_.empty()) return h;
  h.sync_status = [this] {
    std::vector<model::sync_status> all;
    for (auto& u : units_) all.push_back(u->board.get());
    return all;
  };
  h.trigger_sync = [this, io] {
    asio::post(io, [this] {
      for (auto& u : units_) u->scheduler->trigger();
    });
  };
  // Until every source has completed a sync: a name may still arrive from one of them. Bounded by
  // the source's staleness limit, so a source that never answers (gone, or a refused loop) does
  // not turn every unknown name into a 503 for good; /health says "stale" from then on.
  h.first_sync_pending = [this] {
    const auto now = now_();
    for (auto& u : units_) {
      const auto& up = u->source.upstream;
      if (!up.hold_404_until_synced || now - u->started_us > up.staleness_limit.count() * 1000) continue;
      if (!u->board.get().last_success_us) return true;
    }
    return false;
  };
  return h;
}

}  // namespace mirror::app
