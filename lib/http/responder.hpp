#pragma once
// From a request that was read to the reply a session writes: the response cache, conditional
// requests (304), load shedding, and the hop to the reader pool where route handlers run on
// SQLite. One per server, used from the io thread only (it posts work to the pool and resumes
// on the io thread); it knows nothing of sockets, so sessions over any stream share it.
#include <cstddef>
#include <memory>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/service.hpp"
#include "http/options.hpp"
#include "http/reply.hpp"
#include "http/response_cache.hpp"
#include "http/single_flight.hpp"

namespace mirror::http {

class responder {
 public:
  // `api` and `pool` must outlive the responder.
  responder(boost::asio::thread_pool& pool, const server_options& options, const api::service& api,
            generation_source generation);

  // `target` is the request's origin-form target. Sets `cache_hit` when the response cache
  // answered. Cacheable 200s get a strong ETag from the generation read before the handler
  // runs: a body can only be newer than its tag, never older, so a matching If-None-Match is
  // always safe to answer 304.
  boost::asio::awaitable<reply> respond(const boost::beast::http::request<boost::beast::http::string_body>& req,
                                        std::string_view target, bool& cache_hit);

  std::size_t shared_renders() const { return renders_.joined(); }  // misses served by another's render

 private:
  boost::asio::awaitable<reply> from_cache(const cached_response& hit, std::string_view target,
                                           std::uint64_t generation, bool want_gzip,
                                           std::string_view if_none_match);
  // Runs the route handler on the pool (or sheds the request) and caches a cacheable 200.
  boost::asio::awaitable<cached_response> render(const api::routed& routed, std::string_view target,
                                                 std::uint64_t generation, bool want_gzip, bool use_cache);

  boost::asio::thread_pool& pool_;
  const server_options& opt_;
  const api::service& api_;
  generation_source generation_;
  response_cache cache_;
  single_flight<cached_response> renders_;
  std::size_t pool_jobs_ = 0;  // requests waiting for or running on the reader pool
  const std::shared_ptr<const api::response> overloaded_;
  const std::shared_ptr<const api::response> not_modified_, not_modified_private_;
};

}  // namespace mirror::http
