#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/problem.hpp"
#include "http/conditional.hpp"
#include "http/connection_table.hpp"
#include "http/date_header.hpp"
#include "http/reply.hpp"
#include "http/request_checks.hpp"
#include "http/response_cache.hpp"
#include "util/run_on.hpp"

namespace mirror::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto token = asio::as_tuple(asio::use_awaitable);

// Counts a request on the reader pool for as long as it lives (io thread only).
struct pool_job {
  explicit pool_job(std::size_t& n) : count(n) { ++count; }
  ~pool_job() { --count; }
  pool_job(const pool_job&) = delete;
  pool_job& operator=(const pool_job&) = delete;
  std::size_t& count;
};

api::response overloaded_response() {
  auto r = api::problem(503, "Service Unavailable: too many requests are waiting; retry shortly");
  r.headers.emplace_back("Retry-After", "1");
  r.route = "(overloaded)";
  return r;
}

}  // namespace

struct server::impl {
  impl(asio::io_context& ioc, asio::thread_pool& pool, server_options options, const api::service& api,
       generation_source generation, request_observer observer)
      : ioc_(ioc),
        pool_(pool),
        opt_(std::move(options)),
        api_(api),
        generation_(std::move(generation)),
        observer_(std::move(observer)),
        acceptor_(ioc),
        cache_(opt_.cache_bytes),
        connections_(opt_.max_connections, opt_.max_connections_per_client),
        drained_(ioc) {}

  asio::io_context& ioc_;
  asio::thread_pool& pool_;
  server_options opt_;
  const api::service& api_;
  generation_source generation_;
  request_observer observer_;
  tcp::acceptor acceptor_;
  response_cache cache_;
  connection_table connections_;
  std::size_t pool_jobs_ = 0;     // requests waiting for or running on the reader pool
  bool stopping_ = false;
  asio::steady_timer drained_;
  date_header date_;
  const std::shared_ptr<const api::response> overloaded_ =
      std::make_shared<const api::response>(overloaded_response());
  const std::shared_ptr<const api::response> not_modified_ =
      std::make_shared<const api::response>(api_.not_modified());

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> drain();
  asio::awaitable<void> session(tcp::socket socket, asio::ip::address peer);
  asio::awaitable<reply> respond(const bhttp::request<bhttp::string_body>& req, std::string_view target,
                                 bool& cache_hit);
  template <class Body>
  void fill_headers(bhttp::response<Body>& out, const reply& r, bool keep_alive);
  asio::awaitable<bool> write(beast::tcp_stream& stream, const reply& r, unsigned version,
                              bool head, bool keep_alive);
  asio::awaitable<void> refuse(beast::tcp_stream& stream, api::response answer);
};

asio::awaitable<void> server::impl::accept_loop() {
  asio::steady_timer pause(ioc_);
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(token);
    if (stopping_ || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // e.g. EMFILE: pause instead of spinning on a failing accept (Asio's throttling_proxy).
      spdlog::warn("accept failed: {}", ec.message());
      pause.expires_after(std::chrono::milliseconds(100));
      co_await pause.async_wait(token);
      continue;
    }
    beast::error_code peer_ec;
    const auto peer = socket.remote_endpoint(peer_ec).address();
    if (peer_ec || !connections_.admit(peer)) {
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    socket.set_option(tcp::no_delay(true), peer_ec);
    asio::co_spawn(ioc_, session(std::move(socket), peer), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        spdlog::error("session ended by an exception: {}", x.what());
      }
    });
  }
}

asio::awaitable<void> server::impl::drain() {
  auto deadline = std::chrono::steady_clock::now() + opt_.drain_timeout;
  bool forced = false;
  while (!connections_.empty()) {
    drained_.expires_at(deadline);
    co_await drained_.async_wait(token);
    if (!forced && std::chrono::steady_clock::now() >= deadline) {
      spdlog::warn("drain deadline passed, closing {} connection(s)", connections_.size());
      connections_.close_all();
      forced = true;
      deadline = std::chrono::steady_clock::now() + opt_.drain_timeout;
    }
  }
}

// Cacheable 200s (api::response::cacheable) get a strong ETag from the generation read here,
// before the handler runs: a body can only be newer than its tag, never older, so a matching
// If-None-Match is always safe to answer 304. On a cache hit that answer is given right here on
// the io thread, without touching the reader pool or the body.
asio::awaitable<reply> server::impl::respond(const bhttp::request<bhttp::string_body>& req,
                                             std::string_view target, bool& cache_hit) {
  const bool cacheable_method = req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
  const bool use_cache = opt_.cache_bytes > 0 && cacheable_method;
  const std::uint64_t generation = generation_();
  const bool want_gzip = cacheable_method && accepts_gzip(req[bhttp::field::accept_encoding]);
  const std::string_view if_none_match = req[bhttp::field::if_none_match];
  reply out;
  if (use_cache) {
    if (const cached_response* hit = cache_.find(target, generation)) {
      cache_hit = true;
      out.res = hit->response;
      const bool gz = want_gzip && out.res->body.size() >= gzip_min_bytes;
      out.etag = entity_tag(generation, gz);
      if (!if_none_match.empty() && none_match_fails(if_none_match, out.etag)) {
        out.not_modified = true;
        co_return out;
      }
      if (gz) {
        out.gzip_body = hit->gzip;  // `hit` is not used after the co_await below
        if (!out.gzip_body && pool_jobs_ >= opt_.max_queued_requests) {
          out.etag = entity_tag(generation, false);  // overloaded: identity now, gzip later
        } else if (!out.gzip_body) {
          const pool_job job(pool_jobs_);
          // First gzip request for this entry: compress once on the pool, keep it in the entry.
          // (Captures only a raw pointer, kept alive by out.res: GCC 12 mishandles temporaries
          // with non-trivial destructors inside a co_await expression.)
          const api::response* res = out.res.get();
          out.gzip_body = co_await util::run_on(
              pool_.get_executor(), [res] { return std::make_shared<const std::string>(gzip(res->body)); });
          cache_.attach_gzip(target, generation, out.gzip_body);
        }
      }
      co_return out;
    }
  }
  const bool conditional = cacheable_method && if_none_match.find('"') != std::string_view::npos;
  const api::request areq{req.method_string(), target, req[bhttp::field::origin],
                          req[bhttp::field::access_control_request_method],
                          req[bhttp::field::access_control_request_headers],
                          req[bhttp::field::authorization]};
  const api::routed routed = api_.route(areq);  // parsed once, here; the pool gets the match
  // A miss (evicted, cache off) with a matching tag: the URL's body is a pure function of
  // (target, generation), so the client's copy is current; no handler, no pool hop. Only the
  // exact tag of the representation we would pick (gzip or not) qualifies, and not `*`, which
  // needs to know that a representation exists.
  if (conditional && routed.cacheable()) {
    const auto tag = entity_tag(generation, want_gzip);
    if (none_match_fails(if_none_match, tag)) {
      out.res = not_modified_;
      out.etag = tag;
      out.not_modified = true;
      co_return out;
    }
  }
  // Redirects, bad targets, preflights and 404s run no handler: answered here, they never take
  // a place in the pool's queue (a flood of junk paths cannot crowd out real reads).
  if (!routed.needs_handler()) {
    out.res = std::make_shared<const api::response>(api_.respond(routed));
    co_return out;
  }
  if (pool_jobs_ >= opt_.max_queued_requests) {
    // Shed load instead of queueing without bound: every request already waiting would wait
    // longer still. Clients and balancers retry elsewhere or after Retry-After.
    out.res = overloaded_;
    co_return out;
  }
  const pool_job job(pool_jobs_);
  struct computed {
    api::response r;
    std::shared_ptr<const std::string> gz;
  };
  // The handler blocks on SQLite: run it on a pool thread, resume here on the io thread. A
  // cacheable body a client wants gzipped is compressed there too.
  computed c = co_await util::run_on(pool_.get_executor(), [this, &routed, want_gzip] {
    computed c{api_.respond(routed), nullptr};
    if (want_gzip && c.r.cacheable && c.r.status == 200 && c.r.body.size() >= gzip_min_bytes)
      c.gz = std::make_shared<const std::string>(gzip(c.r.body));
    return c;
  });
  out.res = std::make_shared<const api::response>(std::move(c.r));
  if (out.res->cacheable && out.res->status == 200) {
    if (use_cache) cache_.insert(target, generation, cached_response{out.res, c.gz});
    out.gzip_body = std::move(c.gz);
    out.etag = entity_tag(generation, out.gzip_body != nullptr);
    if (cacheable_method && !if_none_match.empty() && none_match_fails(if_none_match, out.etag))
      out.not_modified = true;
  }
  co_return out;
}

template <class Body>
void server::impl::fill_headers(bhttp::response<Body>& out, const reply& rp, bool keep_alive) {
  const api::response& r = *rp.res;
  const unsigned status = rp.status();
  out.set(bhttp::field::date, date_.now());
  // A 304 carries the 200's caching headers (ETag, Cache-Control, Vary) and CORS, but no
  // representation metadata (RFC 9110 §15.4.5).
  if (!r.content_type.empty() && status != 304) out.set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) out.insert(name, value);
  if (!rp.etag.empty()) out.set(bhttp::field::etag, rp.etag);
  if (rp.gzip_body && status != 304) out.set(bhttp::field::content_encoding, "gzip");
  if (status != 204 && status != 304) out.content_length(rp.body().size());
  out.keep_alive(keep_alive);
}

// Returns false when the connection must close.
asio::awaitable<bool> server::impl::write(beast::tcp_stream& stream, const reply& r,
                                          unsigned version, bool head, bool keep_alive) {
  stream.expires_after(opt_.write_timeout);
  beast::error_code ec;
  const unsigned status = r.status();
  if (head || status == 204 || status == 304) {
    bhttp::response<bhttp::empty_body> out{static_cast<bhttp::status>(status), version};
    fill_headers(out, r, keep_alive);
    std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, out, token);
  } else {
    bhttp::response<bhttp::span_body<const char>> out{static_cast<bhttp::status>(status), version};
    fill_headers(out, r, keep_alive);
    const auto body = r.body();
    out.body() = {body.data(), body.size()};
    std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, out, token);
  }
  co_return !ec && keep_alive;
}

// A 400/413/431 for a request that cannot be served; the connection closes after it, since
// whatever follows on it cannot be trusted to start a new request.
asio::awaitable<void> server::impl::refuse(beast::tcp_stream& stream, api::response answer) {
  // A named local, not a temporary: GCC 12 mishandles temporaries with non-trivial
  // destructors inside a co_await expression.
  reply error_reply;
  error_reply.res = std::make_shared<const api::response>(std::move(answer));
  co_await write(stream, error_reply, 11, false, false);
}

asio::awaitable<void> server::impl::session(tcp::socket socket, asio::ip::address peer) {
  beast::tcp_stream stream(std::move(socket));
  using phase = connection_table::phase;
  const auto slot = connections_.add(stream, peer);
  struct leave {
    impl* self;
    connection_table::handle slot;
    ~leave() {
      self->connections_.remove(slot);
      if (self->stopping_ && self->connections_.empty()) self->drained_.cancel();
    }
  } on_exit{this, slot};

  beast::flat_buffer buffer;
  for (bool first = true; !stopping_ && !slot->shed; first = false) {
    // Wait for the first byte of the next request under the idle deadline, then read the whole
    // request under the (shorter) read deadline, so a trickling client cannot hold a slot.
    slot->state = phase::idle;
    if (buffer.size() == 0) {
      stream.expires_after(first ? opt_.read_timeout : opt_.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), token);
      if (ec) break;
      buffer.commit(n);
    }
    slot->state = phase::reading;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(opt_.header_limit);
    parser.body_limit(opt_.body_limit);
    stream.expires_after(opt_.read_timeout);
    // The header first: its framing is checked before a byte of body is read.
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, token);
    if (!ec) {
      const bool has_body = parser.chunked() || parser.content_length().value_or(0) > 0;
      if (auto answer = refuse_header(parser.get().base(), has_body)) {
        co_await refuse(stream, std::move(*answer));
        break;
      }
      if (!parser.is_done()) std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, token);
    }
    if (ec) {
      if (auto answer = read_error_response(ec)) co_await refuse(stream, std::move(*answer));
      break;
    }
    slot->state = phase::handling;
    const auto started = std::chrono::steady_clock::now();
    const auto& req = parser.get();
    std::string rewritten;  // only for the rare absolute-form target that needs one
    const std::string_view target = origin_form(req.target(), rewritten);
    bool cache_hit = false;
    auto res = co_await respond(req, target, cache_hit);
    const bool keep_alive = req.keep_alive() && !stopping_;
    const bool head = req.method() == bhttp::verb::head;
    const bool open = co_await write(stream, res, req.version(), head, keep_alive);
    ++slot->requests;
    if (observer_)
      observer_({req.method_string(), target, res.res->route, res.status(),
                 head || res.not_modified ? 0 : res.body().size(),
                 std::chrono::steady_clock::now() - started, cache_hit});
    if (!open) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

server::server(asio::io_context& ioc, asio::thread_pool& pool, server_options options,
               const api::service& api, generation_source generation, request_observer observer)
    : impl_(std::make_unique<impl>(ioc, pool, std::move(options), api,
                                   std::move(generation), std::move(observer))) {}

server::~server() = default;

tcp::endpoint server::listen() {
  auto& a = impl_->acceptor_;
  const auto& o = impl_->opt_;
  beast::error_code ec;
  const auto address = asio::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot listen on {}: not an IP address", o.host));
  const tcp::endpoint ep(address, o.port);
  // One line naming the address and the system's reason, without library source locations.
  const auto where = address.is_v6() ? fmt::format("[{}]:{}", o.host, o.port) : fmt::format("{}:{}", o.host, o.port);
  auto check = [&](std::string_view step) {
    if (ec) throw std::runtime_error(fmt::format("cannot listen on {}: {} failed: {}", where, step, ec.message()));
  };
  a.open(ep.protocol(), ec);
  check("socket");
  a.set_option(asio::socket_base::reuse_address(true), ec);
  check("SO_REUSEADDR");
  a.bind(ep, ec);
  check("bind");
  a.listen(asio::socket_base::max_listen_connections, ec);
  check("listen");
  return a.local_endpoint();
}

asio::awaitable<void> server::run() {
  co_await impl_->accept_loop();
  co_await impl_->drain();
}

void server::stop() {
  if (impl_->stopping_) return;
  impl_->stopping_ = true;
  beast::error_code ignored;
  impl_->acceptor_.close(ignored);
  impl_->connections_.close_idle();  // idle keep-alive connections: close now
}

std::size_t server::active_connections() const { return impl_->connections_.size(); }

}  // namespace mirror::http
