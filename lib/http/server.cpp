#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/connection_table.hpp"
#include "http/date_header.hpp"
#include "http/responder.hpp"
#include "http/session.hpp"

namespace mirror::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {
constexpr auto token = asio::as_tuple(asio::use_awaitable);
}  // namespace

struct server::impl {
  impl(asio::io_context& ioc, asio::thread_pool& pool, server_options options, const api::service& api,
       generation_source generation, request_observer observer)
      : ioc_(ioc),
        opt_(std::move(options)),
        observer_(std::move(observer)),
        acceptor_(ioc),
        answer_(pool, opt_, api, std::move(generation)),
        connections_(opt_.max_connections, opt_.max_connections_per_client),
        drained_(ioc) {}

  asio::io_context& ioc_;
  const server_options opt_;
  const request_observer observer_;
  tcp::acceptor acceptor_;
  responder answer_;
  connection_table connections_;
  bool stopping_ = false;
  asio::steady_timer drained_;
  date_header date_;
  const session_env env_{opt_, answer_, date_, observer_, stopping_};

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> drain();
  asio::awaitable<void> session(tcp::socket socket, asio::ip::address peer);
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

// The connection's slot in the table lives exactly as long as the session.
asio::awaitable<void> server::impl::session(tcp::socket socket, asio::ip::address peer) {
  beast::tcp_stream stream(std::move(socket));
  const auto slot = connections_.add(stream, peer);
  struct leave {
    impl* self;
    connection_table::handle slot;
    ~leave() {
      self->connections_.remove(slot);
      if (self->stopping_ && self->connections_.empty()) self->drained_.cancel();
    }
  } on_exit{this, slot};
  co_await run_session(stream, env_, *slot);
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
