#include "scripted_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

#include "support/loopback_server.hpp"

namespace mirror::upstream::test {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {
constexpr auto token = asio::as_tuple(asio::use_awaitable);

bool looks_like_http(const std::string& bytes) {
  return bytes.empty() || (bytes[0] >= 'A' && bytes[0] <= 'Z');
}
}  // namespace

std::string http_response(unsigned status, std::string_view body, std::string_view extra_headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
  out += "Content-Type: application/json\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += extra_headers;
  out += "\r\n";
  out += body;
  return out;
}

struct scripted_server::impl {
  impl(scripted_server& owner, asio::io_context& ioc, std::vector<reply> script, ssl::context* tls)
      : owner(owner), script(std::move(script)), tls(tls),
        listener(ioc, [this](tcp::socket s) { return this->tls ? serve_tls(std::move(s)) : serve_plain(std::move(s)); }) {}

  scripted_server& owner;
  std::vector<reply> script;
  ssl::context* tls;
  std::list<tcp::socket*> open;  // sockets of live sessions, for drop_connections()
  mirror::test::loopback_listener listener;  // last: accepts once the members above exist

  asio::awaitable<void> serve_plain(tcp::socket socket) {
    auto slot = open.insert(open.end(), &socket);
    co_await serve(socket);
    open.erase(slot);
  }

  asio::awaitable<void> serve_tls(tcp::socket socket) {
    ssl::stream<tcp::socket> stream(std::move(socket), *tls);
    auto slot = open.insert(open.end(), &stream.next_layer());
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, token);
    if (!ec) {
      const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
      owner.server_names_.push_back(sni ? sni : "");
      co_await serve(stream);
    }
    open.erase(slot);
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    std::string buffer;
    char chunk[4096];
    for (;;) {
      std::size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(chunk), token);
        if (ec) co_return;
        buffer.append(chunk, n);
        if (!looks_like_http(buffer)) {
          if (!owner.answer_garbage_) continue;
          const std::string bad = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
          co_await asio::async_write(stream, asio::buffer(bad), token);
          co_return;
        }
      }
      const std::size_t index = owner.requests_.size();
      owner.requests_.push_back(buffer.substr(0, end + 4));
      buffer.erase(0, end + 4);
      const reply r = index < script.size() ? script[index]
                                            : reply{http_response(404, "{\"unscripted\":true}")};
      if (r.after == reply::then::hang) continue;  // read on: returns when the client leaves
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(r.bytes), token);
      if (ec || r.after == reply::then::close) co_return;
    }
  }
};

scripted_server::scripted_server(asio::io_context& ioc, std::vector<reply> script, ssl::context* tls)
    : impl_(std::make_unique<impl>(*this, ioc, std::move(script), tls)) {}

scripted_server::~scripted_server() = default;

unsigned short scripted_server::port() const { return impl_->listener.port(); }

std::size_t scripted_server::connections() const { return impl_->listener.accepted(); }

std::string scripted_server::url(std::string_view scheme, std::string_view path) const {
  return impl_->listener.url(scheme, path);
}

void scripted_server::drop_connections() {
  for (tcp::socket* s : impl_->open) {
    boost::system::error_code ignored;
    s->close(ignored);
  }
}

void scripted_server::stop() {
  impl_->listener.close();
  drop_connections();
}

}  // namespace mirror::upstream::test
