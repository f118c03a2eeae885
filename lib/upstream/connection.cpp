#include "upstream/connection.hpp"

#include <optional>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "upstream/errors.hpp"

namespace mirror::upstream::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {

constexpr auto token = asio::as_tuple(asio::use_awaitable);

// Upstream headers are small; Beast's response default (8 KiB) is tight for a CDN in front.
constexpr std::uint32_t header_limit = 64 * 1024;

struct resolve_state {
  explicit resolve_state(const asio::any_io_executor& ex) : resolver(ex), timer(ex) {}
  tcp::resolver resolver;
  asio::steady_timer timer;
  std::optional<std::tuple<error_code, tcp::resolver::results_type>> result;
};

// A resolve bounded by `deadline`. Asio runs getaddrinfo on a helper thread and cannot
// interrupt it (cancel only takes effect once it returns), so racing the operation against a
// timer with `||` would still wait for a hung resolver. Instead the resolve completes into
// shared state and the timer alone decides: on timeout we walk away and the late result is
// dropped (the io_context stays busy until getaddrinfo returns on its own).
asio::awaitable<std::tuple<error_code, tcp::resolver::results_type>> resolve(
    const std::string& host, const std::string& port, std::chrono::steady_clock::time_point deadline) {
  auto state = std::make_shared<resolve_state>(co_await asio::this_coro::executor);
  state->timer.expires_at(deadline);
  state->resolver.async_resolve(host, port, [state](error_code ec, tcp::resolver::results_type r) {
    state->result.emplace(ec, std::move(r));
    state->timer.cancel();
  });
  auto [ec] = co_await state->timer.async_wait(token);
  if (state->result) co_return std::move(*state->result);
  state->resolver.cancel();
  // Timer expired: our deadline. Aborted without a result: the caller cancelled us.
  co_return std::tuple{ec ? ec : make_error_code(errc::connect_timeout), tcp::resolver::results_type{}};
}

error_code map_timeout(const error_code& ec, errc timeout) {
  return ec == beast::error::timeout ? make_error_code(timeout) : ec;
}

// Errors by which a kept connection that the server already closed shows itself.
bool closed_by_peer(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe || ec == ssl::error::stream_truncated;
}

}  // namespace

connection::connection(asio::any_io_executor executor, ssl::context* tls, const base_url& base,
                       const client_options& options)
    : base_(base), options_(options) {
  if (tls)
    tls_ = std::make_unique<ssl::stream<beast::tcp_stream>>(executor, *tls);
  else
    plain_ = std::make_unique<beast::tcp_stream>(executor);
}

beast::tcp_stream& connection::transport() { return tls_ ? tls_->next_layer() : *plain_; }

asio::awaitable<error_code> connection::open() {
  const auto deadline = std::chrono::steady_clock::now() + options_.connect_timeout;
  auto [rec, endpoints] = co_await resolve(base_.host, base_.port, deadline);
  if (rec) co_return rec;
  transport().expires_at(deadline);
  auto [cec, endpoint] = co_await transport().async_connect(endpoints, token);
  if (cec) co_return map_timeout(cec, errc::connect_timeout);
  error_code ignored;
  transport().socket().set_option(tcp::no_delay(true), ignored);
  if (tls_) {
    // SNI: the upstream sits behind a shared ingress that picks the certificate by name.
    if (!base_.ip_literal && !SSL_set_tlsext_host_name(tls_->native_handle(), base_.host.c_str()))
      co_return error_code(static_cast<int>(ERR_get_error()), asio::error::get_ssl_category());
    // verify_peer (set on the context) checks the chain; this checks the name (or IP) in it.
    tls_->set_verify_callback(ssl::host_name_verification(base_.host));
    transport().expires_after(options_.handshake_timeout);
    auto [hec] = co_await tls_->async_handshake(ssl::stream_base::client, token);
    if (hec) co_return map_timeout(hec, errc::handshake_timeout);
  }
  transport().expires_never();
  co_return error_code{};
}

asio::awaitable<exchange_result> connection::exchange(const request& req) {
  if (tls_) co_return co_await exchange_on(*tls_, req);
  co_return co_await exchange_on(*plain_, req);
}

template <class Stream>
asio::awaitable<exchange_result> connection::exchange_on(Stream& stream, const request& req) {
  exchange_result out;
  transport().expires_after(options_.write_timeout);
  auto [wec, written] = co_await bhttp::async_write(stream, req, token);
  if (wec) {
    out.error = map_timeout(wec, errc::write_timeout);
    out.stale = closed_by_peer(wec);
    co_return out;
  }

  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(header_limit);
  parser.body_limit(options_.max_response_bytes);
  // One deadline for the whole response: tcp_stream's expiry is a point in time, shared by
  // every read_some that async_read issues, so a slow trickle cannot stretch it.
  transport().expires_after(options_.read_timeout);
  // The parser drains the buffer as it goes, so an empty flat_buffer would read 512 bytes per
  // syscall; a page of 100 versions is ~120 KB. Room for 64 KiB cuts the syscalls ~100×.
  buffer_.reserve(64 * 1024);
  auto [rec, read] = co_await bhttp::async_read(stream, buffer_, parser, token);
  transport().expires_never();

  if (parser.is_header_done()) {
    const auto& head = parser.get();
    out.status = head.result_int();
    out.retry_after = std::string(head[bhttp::field::retry_after]);
    out.location = std::string(head[bhttp::field::location]);
    out.content_encoding = std::string(head[bhttp::field::content_encoding]);
  }
  if (rec) {
    out.stale = !parser.got_some() && closed_by_peer(rec);
    if (rec == bhttp::error::body_limit)
      out.error = errc::response_too_large;
    else
      out.error = map_timeout(rec, errc::read_timeout);
    co_return out;
  }
  out.keep_alive = parser.get().keep_alive() && !parser.need_eof();
  out.body = std::move(parser.get().body());
  co_return out;
}

asio::awaitable<void> connection::close() {
  if (tls_) {
    transport().expires_after(options_.handshake_timeout);
    // Sends our close_notify and waits for the server's. A server that just drops the TCP
    // connection makes this end with ssl::error::stream_truncated (or eof): normal for HTTPS,
    // as Beast's http_client_awaitable_ssl.cpp notes, and harmless since the body is complete.
    co_await tls_->async_shutdown(token);
  }
  error_code ignored;
  transport().socket().shutdown(tcp::socket::shutdown_both, ignored);
  transport().close();
}

}  // namespace mirror::upstream::detail
