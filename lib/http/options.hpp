#pragma once
// What the http server is configured with and what it reports: its limits and deadlines, where
// the data generation comes from, and the per-request observer. Shared by the server, its
// sessions and the responder.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace mirror::http {

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::chrono::milliseconds read_timeout{30'000};   // whole request, headers and body
  std::chrono::milliseconds idle_timeout{120'000};  // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};  // graceful stop: in-flight requests finish
  std::uint32_t header_limit = 16 * 1024;
  std::uint64_t body_limit = 64 * 1024;
  std::size_t max_connections = 4096;
  // One peer address's share of max_connections (a proxy in front is one peer: keep it large).
  std::size_t max_connections_per_client = 512;
  // Cache misses waiting for or running a route handler on the reader pool; past this, 503 +
  // Retry-After. (404s, redirects and preflights run no handler and never queue.)
  std::size_t max_queued_requests = 256;
  std::size_t cache_bytes = 32u << 20;  // 0 disables the response cache
};

// The data generation the responses to `target` are valid for (read on the io thread): the
// root's, or the view's the target is under (a view's pages change only with its own feed).
using generation_source = std::function<std::uint64_t(std::string_view target)>;
// Observes every finished request (route metrics, access log); io thread.
struct request_log {
  std::string_view method;
  std::string_view target;
  std::string_view route;  // api::response::route
  unsigned status;
  std::size_t body_bytes;
  std::chrono::nanoseconds duration;
  bool cache_hit;
};
using request_observer = std::function<void(const request_log&)>;

}  // namespace mirror::http
