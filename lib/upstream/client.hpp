#pragma once
// Talking to the upstream registry (or another mcp-mirror: chained mirrors speak the same v0.1
// API). An interface so the sync job can be tested against fakes (docs/design-habits.md H1, Asio's
// type_erasure example); the Beast implementation lives in http_client.cpp.
//
// One `get` is one HTTP request: no retries here (beyond resending once on a kept connection
// the server had already closed, which is transport hygiene, not policy). The sync job owns
// the retry, backoff and politeness policy, because only it knows whether a failure should
// end a run.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

namespace mirror::upstream {

// Any status is a result, not an error: a 429 or 503 comes back with `error` clear, and the
// caller reads `status` and `retry_after`. 3xx are returned as they are (no redirects).
struct fetch_result {
  unsigned status = 0;  // HTTP status; 0 when the request failed before a status arrived.
                        // Also set when the header arrived but the body then failed.
  std::string body;     // decoded body (gzip already inflated); empty whenever `error` is set
  std::string location;  // Location header (3xx): reported, never followed
  std::optional<std::chrono::seconds> retry_after;  // Retry-After (delta-seconds or HTTP-date,
                                                    // a past date as 0s); absent if unparsable
  boost::system::error_code error;  // transport failure: resolve, connect, TLS, timeout,
                                    // truncated body, body over the size cap, bad gzip
                                    // (upstream/errors.hpp lists our own codes; timeouts of
                                    // every phase compare equal to errc::timed_out)
  bool ok() const { return !error && status == 200; }
};

class client {
 public:
  virtual ~client() = default;
  // GET <base><target>; `target` starts with "/v0.1/" and is already percent-encoded.
  // Never throws for network or data problems: they come back in fetch_result::error.
  // One call at a time per client (a second concurrent call gets errc::concurrent_get), and
  // the client must outlive the call. Cancellable (e.g. `get(t) || shutdown_timer`): the call
  // then ends with operation_aborted and the connection is dropped.
  virtual boost::asio::awaitable<fetch_result> get(std::string target) = 0;
};

struct client_options {
  // "https://registry.modelcontextprotocol.io", "http://127.0.0.1:8081", optionally with a path
  // prefix ("https://host/registry"); a trailing "/v0.1" or "/v0" is dropped, since clients are
  // told to configure a registry either way (Copilot's private-registry setting takes
  // the base URL, others take the /v0.1 URL).
  std::string base_url;
  std::chrono::milliseconds connect_timeout{10'000};  // resolve + TCP connect
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};  // whole response
  std::size_t max_response_bytes = 64u << 20;       // after inflating
  std::string user_agent = "mcp-mirror/" MIRROR_VERSION;
};

// Throws std::invalid_argument when base_url is not an absolute http(s) URL.
// The Beast client keeps one connection alive across calls and, when a kept connection turns
// out to have been closed by the server before any response byte arrived, resends once on a
// fresh one (GET is idempotent). https verifies the chain against the system CA store
// (OpenSSL's SSL_CERT_FILE/SSL_CERT_DIR apply, read once here) and the host name, with SNI.
// It runs on `executor` alone (one io thread, no strands). Note: a DNS lookup that outlives
// connect_timeout is abandoned, not interrupted; it keeps the io_context busy until the
// system resolver gives up.
std::unique_ptr<client> make_http_client(boost::asio::any_io_executor executor, client_options options);

}  // namespace mirror::upstream
