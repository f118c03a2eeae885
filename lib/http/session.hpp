#pragma once
// One HTTP/1.1 connection, from its first byte to its close: keep-alive, pipelining, the read,
// idle and write deadlines, the header checks, and writing each reply. Generic over the stream
// so the protocol tests can run it over boost::beast::test::stream with a fail_count (every
// read and write failure point of a request) while the server runs it over a tcp_stream.
// io thread only.
#include <chrono>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/connection_table.hpp"
#include "http/date_header.hpp"
#include "http/options.hpp"
#include "http/reply.hpp"
#include "http/request_checks.hpp"
#include "http/responder.hpp"

namespace mirror::http {

// What every session of one server shares.
struct session_env {
  const server_options& opt;
  responder& answer;
  date_header& date;
  const request_observer& observer;
  const bool& stopping;  // server::stop() was called: finish the request in hand, then close
};

namespace session_detail {

inline constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);

// Deadlines belong to the stream (beast::tcp_stream's timer). A stream without one (the test
// stream) has none to arm; the deadline tests run over real sockets.
template <class Stream>
void arm(Stream& stream, std::chrono::milliseconds d) {
  if constexpr (requires { stream.expires_after(d); }) stream.expires_after(d);
}

// The end of a session: half-close the socket, so the peer reads the rest and then EOF.
template <class Stream>
void end_send(Stream& stream) {
  boost::beast::error_code ignored;
  if constexpr (requires { stream.socket(); })
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  else
    stream.close();
}

template <class Body>
void fill_headers(boost::beast::http::response<Body>& out, const reply& rp, date_header& date,
                  bool keep_alive) {
  namespace bhttp = boost::beast::http;
  const api::response& r = *rp.res;
  const unsigned status = rp.status();
  out.set(bhttp::field::date, date.now());
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
template <class Stream>
boost::asio::awaitable<bool> write(Stream& stream, const session_env& env, const reply& r,
                                   unsigned version, bool head, bool keep_alive) {
  namespace bhttp = boost::beast::http;
  arm(stream, env.opt.write_timeout);
  boost::beast::error_code ec;
  const unsigned status = r.status();
  if (head || status == 204 || status == 304) {
    bhttp::response<bhttp::empty_body> out{static_cast<bhttp::status>(status), version};
    fill_headers(out, r, env.date, keep_alive);
    std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, out, token);
  } else {
    bhttp::response<bhttp::span_body<const char>> out{static_cast<bhttp::status>(status), version};
    fill_headers(out, r, env.date, keep_alive);
    const auto body = r.body();
    out.body() = {body.data(), body.size()};
    std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, out, token);
  }
  co_return !ec && keep_alive;
}

// A 400/413/431 for a request that cannot be served; the connection closes after it, since
// whatever follows on it cannot be trusted to start a new request.
template <class Stream>
boost::asio::awaitable<void> refuse(Stream& stream, const session_env& env, api::response answer) {
  // A named local, not a temporary: GCC 12 mishandles temporaries with non-trivial
  // destructors inside a co_await expression.
  reply error_reply;
  error_reply.res = std::make_shared<const api::response>(std::move(answer));
  co_await write(stream, env, error_reply, 11, false, false);
}

}  // namespace session_detail

// Serves requests on `stream` until the peer leaves, a deadline passes, a request cannot be
// read, a response cannot be written, the request asks to close, or the server stops. `slot`
// tells the connection table what the session is doing; `slot.shed` ends it after the current
// request. Never throws for anything the peer does.
template <class Stream>
boost::asio::awaitable<void> run_session(Stream& stream, const session_env& env, connection_table::slot& slot) {
  namespace bhttp = boost::beast::http;
  using namespace session_detail;
  using phase = connection_table::phase;
  boost::beast::flat_buffer buffer;
  for (bool first = true; !env.stopping && !slot.shed; first = false) {
    // Wait for the first byte of the next request under the idle deadline, then read the whole
    // request under the (shorter) read deadline, so a trickling client cannot hold a slot.
    slot.state = phase::idle;
    if (buffer.size() == 0) {
      arm(stream, first ? env.opt.read_timeout : env.opt.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), token);
      if (ec) break;
      buffer.commit(n);
    }
    slot.state = phase::reading;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(env.opt.header_limit);
    parser.body_limit(env.opt.body_limit);
    arm(stream, env.opt.read_timeout);
    // The header first: its framing is checked before a byte of body is read.
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, token);
    if (!ec) {
      const bool has_body = parser.chunked() || parser.content_length().value_or(0) > 0;
      if (auto answer = refuse_header(parser.get().base(), has_body)) {
        co_await refuse(stream, env, std::move(*answer));
        break;
      }
      if (!parser.is_done()) std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, token);
    }
    if (ec) {
      if (auto answer = read_error_response(ec)) co_await refuse(stream, env, std::move(*answer));
      break;
    }
    slot.state = phase::handling;
    const auto started = std::chrono::steady_clock::now();
    const auto& req = parser.get();
    std::string rewritten;  // only for the rare absolute-form target that needs one
    const std::string_view target = origin_form(req.target(), rewritten);
    bool cache_hit = false;
    auto res = co_await env.answer.respond(req, target, cache_hit);
    const bool keep_alive = req.keep_alive() && !env.stopping;
    const bool head = req.method() == bhttp::verb::head;
    const bool open = co_await write(stream, env, res, req.version(), head, keep_alive);
    ++slot.requests;
    if (env.observer)
      env.observer({req.method_string(), target, res.res->route, res.status(),
                    head || res.not_modified ? 0 : res.body().size(),
                    std::chrono::steady_clock::now() - started, cache_hit});
    if (!open) break;
  }
  end_send(stream);
}

}  // namespace mirror::http
