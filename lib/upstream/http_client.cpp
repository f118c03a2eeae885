// The Beast implementation of upstream::client (client.hpp): one kept-alive connection,
// plain or TLS, reused across get() calls and replaced when it breaks.
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/field.hpp>

#include "upstream/base_url.hpp"
#include "upstream/client.hpp"
#include "upstream/connection.hpp"
#include "upstream/errors.hpp"
#include "upstream/gzip.hpp"
#include "upstream/retry_after.hpp"

namespace mirror::upstream {

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace ssl = asio::ssl;

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

fetch_result failed(boost::system::error_code ec) {
  fetch_result out;
  out.error = ec;
  return out;
}

ssl::context make_tls_context() {
  ssl::context ctx(ssl::context::tls_client);
  // The system CA store (SSL_CERT_FILE / SSL_CERT_DIR override it, as for any OpenSSL client).
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  return ctx;
}

class http_client final : public client {
 public:
  http_client(asio::any_io_executor executor, client_options options, base_url base)
      : executor_(std::move(executor)), options_(std::move(options)), base_(std::move(base)) {
    if (base_.tls) tls_.emplace(make_tls_context());
  }

  asio::awaitable<fetch_result> get(std::string target) override;

 private:
  detail::request make_request(const std::string& target) const;
  fetch_result decode(detail::exchange_result&& r) const;

  asio::any_io_executor executor_;
  client_options options_;
  base_url base_;
  std::optional<ssl::context> tls_;
  std::unique_ptr<detail::connection> connection_;  // the kept-alive one, if any
  bool busy_ = false;
};

// Not reentrant by design: the sync job awaits each page before asking for the next, and a
// second request on the same connection would interleave bytes. A concurrent call is refused
// with errc::concurrent_get rather than queued.
asio::awaitable<fetch_result> http_client::get(std::string target) {
  if (busy_) co_return failed(errc::concurrent_get);
  busy_ = true;
  struct release {
    bool& busy;
    ~release() { busy = false; }
  } guard{busy_};

  const detail::request req = make_request(target);
  for (;;) {
    const bool reused = connection_ != nullptr;
    if (!reused) {
      connection_ = std::make_unique<detail::connection>(executor_, tls_ ? &*tls_ : nullptr, base_, options_);
      if (auto ec = co_await connection_->open()) {
        connection_.reset();
        co_return failed(ec);
      }
    }
    detail::exchange_result r = co_await connection_->exchange(req);
    if (r.error && r.stale && reused) {
      // The server closed the idle connection (its keep-alive timeout) as we reused it: nothing
      // of a response arrived, and GET is idempotent, so resend once on a fresh connection.
      connection_.reset();
      continue;
    }
    if (r.error) {
      connection_.reset();
    } else if (!r.keep_alive) {
      co_await connection_->close();
      connection_.reset();
    }
    co_return decode(std::move(r));
  }
}

detail::request http_client::make_request(const std::string& target) const {
  detail::request req{bhttp::verb::get, base_.path_prefix + target, 11};
  req.set(bhttp::field::host, base_.host_header);
  req.set(bhttp::field::user_agent, options_.user_agent);
  req.set(bhttp::field::accept, "application/json");
  req.set(bhttp::field::accept_encoding, "gzip");
  return req;
}

fetch_result http_client::decode(detail::exchange_result&& r) const {
  fetch_result out;
  out.status = r.status;
  out.location = std::move(r.location);
  if (!r.retry_after.empty())
    out.retry_after = parse_retry_after(r.retry_after, std::chrono::system_clock::now());
  if (r.error) {
    out.error = r.error;
    return out;
  }
  const std::string encoding = lower_trimmed(r.content_encoding);
  // An empty body stays empty whatever the label says (some servers tag a 204/304 "gzip").
  if (r.body.empty() || encoding.empty() || encoding == "identity") {
    out.body = std::move(r.body);
  } else if (encoding == "gzip" || encoding == "x-gzip") {
    auto inflated = gunzip(r.body, options_.max_response_bytes);
    if (inflated)
      out.body = std::move(*inflated);
    else
      out.error = inflated.error();
  } else {
    out.error = errc::unsupported_encoding;
  }
  return out;
}

}  // namespace

std::unique_ptr<client> make_http_client(asio::any_io_executor executor, client_options options) {
  auto base = parse_base_url(options.base_url);
  if (!base) throw std::invalid_argument("upstream base_url \"" + options.base_url + "\": " + base.error().message());
  return std::make_unique<http_client>(std::move(executor), std::move(options), std::move(*base));
}

}  // namespace mirror::upstream
