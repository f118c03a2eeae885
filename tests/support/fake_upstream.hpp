#pragma once
// fake_upstream: the official MCP Registry as an in-process HTTP/1.1 server for sync tests.
// The data and the read API are fake_registry's (fake_upstream_model.hpp; its mutations are
// inherited, so `fake.publish(...)` works). On top of that: scripted faults (429 + Retry-After,
// 5xx, truncated or garbage bodies, slow answers, dropped connections), endless cursors, gzip,
// and a hook that runs before each request is answered, to change the data mid-walk.
//
// One io thread runs the acceptor and every connection (keep-alive, concurrent connections);
// the hook and the model are called on it. Everything public is thread-safe.
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/fake_upstream_model.hpp"
#include "support/gzip.hpp"
#include "support/loopback_server.hpp"

namespace mirror::test {

// One scripted misbehaviour, consumed by the next request whose target contains `match`.
struct fault {
  enum class kind {
    status, truncated, garbage, slow, close,
    // Hostile upstreams (the client's deadlines and caps must end these):
    trickle,          // the real answer, one byte every `delay`
    endless_length,   // Content-Length of 1 TB, then bytes as fast as the client reads
    endless_chunked,  // chunked, chunks forever
    endless_close,    // no length (read until close), bytes forever
    bad_gzip,         // 200, Content-Encoding: gzip, a body that is not gzip
    reset,            // half the real body, then a TCP reset (RST, not FIN)
    redirect,         // `status` (3xx) with Location: `location`
  };
  kind what = kind::status;
  unsigned status = 500;                // kind::status and redirect: the HTTP status
  std::optional<int> retry_after_s;     // kind::status: sends `Retry-After: <seconds>`
  std::chrono::milliseconds delay{0};   // kind::slow: wait this long, then answer normally
  std::string location;                 // kind::redirect
  std::string match;                    // substring of the request-target; "" = any request

  static fault http_status(unsigned code, std::optional<int> retry_after_s = std::nullopt) {
    fault f = of(kind::status);
    f.status = code;
    f.retry_after_s = retry_after_s;
    return f;
  }
  static fault truncated() { return of(kind::truncated); }  // Content-Length > bytes sent, close
  static fault garbage() { return of(kind::garbage); }      // 200 with a body that is not JSON
  static fault slow(std::chrono::milliseconds d) {
    fault f = of(kind::slow);
    f.delay = d;
    return f;
  }
  static fault close() { return of(kind::close); }  // close without answering
  static fault trickle(std::chrono::milliseconds per_byte) {
    fault f = of(kind::trickle);
    f.delay = per_byte;
    return f;
  }
  static fault redirect(unsigned code, std::string to) {
    fault f = of(kind::redirect);
    f.status = code;
    f.location = std::move(to);
    return f;
  }
  static fault of(kind k) {
    fault f;
    f.what = k;
    return f;
  }
  fault only_for(std::string target_part) && {
    match = std::move(target_part);
    return std::move(*this);
  }
};

class fake_upstream : public fake_registry {
 public:
  using hook = std::function<void(std::size_t index, std::string_view target)>;

  fake_upstream() = default;
  // Stops the io thread first (it uses the members below); open connections are dropped.
  ~fake_upstream() { io_.stop(); }
  fake_upstream(const fake_upstream&) = delete;
  fake_upstream& operator=(const fake_upstream&) = delete;

  std::string base_url() const { return listener_.url(); }
  unsigned short port() const { return listener_.port(); }

  // Queues `f` for the next `times` requests matching f.match (queued faults apply in order).
  void script(fault f, int times = 1) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < times; ++i) faults_.push_back(f);
  }
  void endless_cursor(endless mode) {
    std::lock_guard lock(mutex_);
    endless_ = mode;
  }
  void endless_cursor(bool on) { endless_cursor(on ? endless::fresh : endless::off); }
  // Compress bodies for requests that send `Accept-Encoding: gzip`.
  void gzip(bool on) {
    std::lock_guard lock(mutex_);
    gzip_ = on;
  }
  // Called on the io thread, outside the model lock, before each request (faulted or not) is
  // answered, with its 0-based index and raw target. May mutate the model or script faults
  // (a fault scripted here applies to this very request). If it throws, the connection drops.
  void on_request(hook h) {
    std::lock_guard lock(mutex_);
    hook_ = std::move(h);
  }

  // Drops every scripted fault not yet consumed.
  void clear_faults() {
    std::lock_guard lock(mutex_);
    faults_.clear();
  }

  std::size_t requests() const { return targets().size(); }
  std::size_t probes() const { return probes_; }  // GET /v0.1/x/... (answered 404)
  std::vector<std::string> targets() const {  // raw request-targets, in arrival order
    std::lock_guard lock(mutex_);
    return targets_;
  }
  std::size_t connections_accepted() const { return listener_.accepted(); }

 private:
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket) {
    namespace bhttp = boost::beast::http;
    boost::beast::tcp_stream stream(std::move(socket));
    boost::beast::flat_buffer buffer;
    boost::asio::steady_timer timer(io_.context());
    for (;;) {  // keep-alive: one request after the other
      bhttp::request<bhttp::string_body> req;
      stream.expires_after(std::chrono::seconds(60));
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, req, token);
      if (ec) co_return;
      const std::string target(req.target());
      if (target.starts_with("/v0.1/x/")) {
        // A registry has no mcp-mirror extensions: the replica probe (GET .../info) gets the
        // upstream's 404, outside the scripted faults and the target log, which are about the
        // registry's own endpoints.
        ++probes_;
        bhttp::response<bhttp::string_body> res{bhttp::status::not_found, req.version()};
        res.set(bhttp::field::content_type, "application/problem+json");
        res.body() = R"({"title":"Not Found","status":404,"detail":"Endpoint not found"})";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto [wec, wn] = co_await bhttp::async_write(stream, res, token);
        if (wec) co_return;
        continue;
      }
      std::size_t index;
      hook h;
      {
        std::lock_guard lock(mutex_);
        index = targets_.size();
        targets_.push_back(target);
        h = hook_;
      }
      if (h) h(index, target);
      std::optional<fault> f;
      bool gz;
      {
        std::lock_guard lock(mutex_);
        auto it = std::find_if(faults_.begin(), faults_.end(),
                               [&](const fault& x) { return target.find(x.match) != std::string::npos; });
        if (it != faults_.end()) {
          f = *it;
          faults_.erase(it);
        }
        gz = gzip_;
      }
      using k = fault::kind;
      boost::system::error_code ignored;
      if (f && f->what == k::close) {  // FIN first, so the client sees a clean end of stream
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
        co_return;
      }
      if (f && f->what == k::slow) {  // a timer, so other connections keep going
        timer.expires_after(f->delay);
        co_await timer.async_wait(token);
      }
      if (f && f->what >= k::trickle && f->what != k::bad_gzip) {
        co_await hostile(stream, *f, answer(target));
        co_return;
      }
      fake_reply r;
      if (f && f->what == k::status) r = fault_reply(f->status);
      else if (f && f->what == k::garbage) r = {200, "application/json", "<html>Bad gateway</html>"};
      else r = answer(target);
      stream.expires_after(std::chrono::seconds(60));
      if (f && f->what == k::truncated) {  // promise the whole body, send half, hang up
        std::string raw = "HTTP/1.1 200 OK\r\nContent-Type: " + r.content_type +
                          "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" +
                          r.body.substr(0, r.body.size() / 2);
        co_await boost::asio::async_write(stream, boost::asio::buffer(raw), token);
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
        co_return;
      }
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), req.version()};
      res.set(bhttp::field::content_type, r.content_type);
      if (f && f->retry_after_s) res.set(bhttp::field::retry_after, std::to_string(*f->retry_after_s));
      if (f && f->what == k::bad_gzip) {
        r.body = "this is not a gzip stream";
        res.set(bhttp::field::content_encoding, "gzip");
      } else if (gz && req[bhttp::field::accept_encoding].find("gzip") != std::string_view::npos) {
        r.body = gzip_compress(r.body);
        res.set(bhttp::field::content_encoding, "gzip");
      }
      res.body() = std::move(r.body);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [wec, wn] = co_await bhttp::async_write(stream, res, token);
      if (wec || !req.keep_alive()) co_return;
    }
  }

  // The hostile kinds, as raw bytes; each ends the connection (the client gives up first).
  boost::asio::awaitable<void> hostile(boost::beast::tcp_stream& stream, fault f, fake_reply r) {
    using k = fault::kind;
    auto send = [&](const std::string& bytes) -> boost::asio::awaitable<bool> {
      stream.expires_after(std::chrono::seconds(30));
      auto [ec, n] = co_await boost::asio::async_write(stream, boost::asio::buffer(bytes), token);
      co_return !ec;
    };
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: " + r.content_type + "\r\n";
    const std::string filler(16 * 1024, ' ');
    boost::asio::steady_timer timer(io_.context());
    switch (f.what) {
      case k::trickle: {
        const std::string all = head + "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
        for (char c : all) {
          if (!co_await send(std::string(1, c))) co_return;
          timer.expires_after(f.delay);
          co_await timer.async_wait(token);
        }
        co_return;
      }
      case k::endless_length:
        if (!co_await send(head + "Content-Length: 1000000000000\r\n\r\n")) co_return;
        while (co_await send(filler)) {
        }
        co_return;
      case k::endless_chunked: {
        if (!co_await send(head + "Transfer-Encoding: chunked\r\n\r\n")) co_return;
        const std::string chunk = "4000\r\n" + filler + "\r\n";  // 0x4000 = 16 KiB
        while (co_await send(chunk)) {
        }
        co_return;
      }
      case k::endless_close:
        if (!co_await send(head + "Connection: close\r\n\r\n")) co_return;
        while (co_await send(filler)) {
        }
        co_return;
      case k::reset: {
        const auto half = head + "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" +
                          r.body.substr(0, r.body.size() / 2);
        if (!co_await send(half)) co_return;
        boost::system::error_code ignored;
        stream.socket().set_option(boost::asio::socket_base::linger(true, 0), ignored);
        stream.socket().close(ignored);  // linger 0: RST instead of FIN
        co_return;
      }
      case k::redirect:
        co_await send("HTTP/1.1 " + std::to_string(f.status) + " Found\r\nLocation: " + f.location +
                      "\r\nContent-Length: 0\r\n\r\n");
        co_return;
      default:
        co_return;
    }
  }

  static fake_reply fault_reply(unsigned status) {
    fake_reply r{status, "application/problem+json", {}};
    json::writer(r.body).begin_object()
        .member("title", boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status)))
        .member("status", static_cast<std::int64_t>(status)).end_object();
    r.body += '\n';
    return r;
  }

  static constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
  // Guarded by fake_registry::mutex_:
  std::deque<fault> faults_;
  std::vector<std::string> targets_;
  std::atomic<std::size_t> probes_{0};
  hook hook_;
  bool gzip_ = false;
  // Last: the io thread starts accepting once everything above exists.
  io_thread io_;
  loopback_listener listener_{io_.context(), [this](boost::asio::ip::tcp::socket s) { return session(std::move(s)); }};
};

}  // namespace mirror::test
