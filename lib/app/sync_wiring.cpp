#include "app/sync_wiring.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "app/mirror_app.hpp"

namespace mirror::app {

namespace asio = boost::asio;

namespace {

sync::sync_options sync_options_from(const config::upstream_config& u) {
  sync::sync_options o;
  o.upstream_url = u.url;
  o.page_limit = static_cast<int>(u.page_limit);
  o.margin = u.margin;
  o.max_requests_per_second = u.requests_per_second;
  o.max_attempts = static_cast<int>(u.max_attempts);
  o.max_pages = u.max_pages;
  o.run_deadline = u.run_deadline;
  o.replicate = u.replicate;
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
                         std::function<void(const sync::run_report&)> on_run)
    : io_(io),
      staleness_limit_(cfg.upstream.staleness_limit),
      hold_404_until_synced_(cfg.upstream.hold_404_until_synced),
      now_(now) {
  upstream::client_options co;
  co.base_url = cfg.upstream.url;
  co.connect_timeout = cfg.upstream.connect_timeout;
  co.handshake_timeout = cfg.upstream.connect_timeout;
  co.read_timeout = cfg.upstream.read_timeout;
  co.max_response_bytes = cfg.upstream.max_response_bytes;
  client_ = upstream::make_http_client(io, co);
  auto env = real_environment(io, now);
  env.decoder = std::move(decoder);
  auto options = sync_options_from(cfg.upstream);
  options.parent_namespace = cfg.meta_namespace;  // a parent is looked for under our own extensions
  options.replicate = options.replicate && !cfg.meta_namespace.empty();
  syncer_ = std::make_unique<sync::syncer>(*client_, writer, std::move(options),
                                           std::move(env),
                                           [](const std::string& line) { spdlog::info("{}", line); });
  sync::schedule_options so;
  so.interval = cfg.upstream.interval;
  so.jitter = cfg.upstream.jitter_percent / 100.0;
  scheduler_ = std::make_unique<sync::scheduler>(io, *syncer_, board_, so, now, std::move(on_run));

  const auto state = writer.submit("read the sync state", [](store::writer& w) { return w.sync_state(); }).get();
  board_.update([&](sync::status_snapshot& s) {
    s.enabled = true;
    s.upstream = cfg.upstream.url;
    s.last_attempt_us = state.last_attempt_us;
    // A success against another upstream does not count: the next run walks everything.
    if (state.upstream == cfg.upstream.url) {
      s.last_success_us = state.last_success_us;
      s.watermark_us = state.watermark_us;
    }
    s.last_error = state.last_error.value_or("");
  });
}

void sync_wiring::start() {
  asio::co_spawn(io_, scheduler_->run(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      spdlog::critical("sync scheduler stopped by an exception: {}", x.what());
    }
  });
}

void sync_wiring::stop() { scheduler_->stop(); }

api::mirror_hooks sync_wiring::hooks(asio::any_io_executor io) {
  api::mirror_hooks h;
  h.now_us = now_;
  h.staleness_limit = staleness_limit_;
  h.sync_status = [this] { return board_.get(); };
  h.trigger_sync = [this, io] { asio::post(io, [this] { scheduler_->trigger(); }); };
  if (hold_404_until_synced_) h.first_sync_pending = [this] { return !board_.get().last_success_us; };
  return h;
}

}  // namespace mirror::app
