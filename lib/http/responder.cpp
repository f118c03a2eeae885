#include "http/responder.hpp"

// GCC 12 at -O2 inlines Asio 1.81's coroutine-frame allocator (std::aligned_alloc) and its
// matching free into the frame's operator new/delete and reports the pair as mismatched: the
// known false positive lib/sync/syncer.cpp explains. Silenced where it fires.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include "api/problem.hpp"
#include "http/conditional.hpp"
#include "util/run_on.hpp"

namespace mirror::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

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

responder::responder(asio::thread_pool& pool, const server_options& options, const api::service& api,
                     generation_source generation)
    : pool_(pool),
      opt_(options),
      api_(api),
      generation_(std::move(generation)),
      cache_(options.cache_bytes),
      overloaded_(std::make_shared<const api::response>(overloaded_response())),
      not_modified_(std::make_shared<const api::response>(api.not_modified())),
      not_modified_private_(std::make_shared<const api::response>(api.not_modified(true))) {}

// A cache hit is answered here on the io thread, without the reader pool or the body, unless
// it is the first gzip request for the entry.
asio::awaitable<reply> responder::from_cache(const cached_response& hit, std::string_view target,
                                             std::uint64_t generation, bool want_gzip,
                                             std::string_view if_none_match) {
  reply out;
  out.res = hit.response;
  const bool gz = want_gzip && out.res->body.size() >= gzip_min_bytes;
  out.etag = entity_tag(generation, target, gz);
  if (!if_none_match.empty() && none_match_fails(if_none_match, out.etag)) {
    out.not_modified = true;
    co_return out;
  }
  if (!gz) co_return out;
  out.gzip_body = hit.gzip;
  if (out.gzip_body) co_return out;
  if (pool_jobs_ >= opt_.max_queued_requests) {
    out.etag = entity_tag(generation, target, false);  // overloaded: identity now, gzip later
    co_return out;
  }
  const pool_job job(pool_jobs_);
  // First gzip request for this entry: compress once on the pool, keep it in the entry.
  // (Captures only a raw pointer, kept alive by out.res: GCC 12 mishandles temporaries with
  // non-trivial destructors inside a co_await expression.)
  const api::response* res = out.res.get();
  out.gzip_body = co_await util::run_on(
      pool_.get_executor(), [res] { return std::make_shared<const std::string>(gzip(res->body)); });
  cache_.attach_gzip(target, generation, out.gzip_body);
  co_return out;
}

asio::awaitable<reply> responder::respond(const bhttp::request<bhttp::string_body>& req,
                                          std::string_view target, bool& cache_hit) {
  const bool cacheable_method = req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
  const bool use_cache = opt_.cache_bytes > 0 && cacheable_method;
  const api::request areq{req.method_string(), target, req[bhttp::field::origin],
                          req[bhttp::field::access_control_request_method],
                          req[bhttp::field::access_control_request_headers],
                          req[bhttp::field::authorization]};
  // A view with tokens refuses first: its cached pages are only for those who hold one.
  if (auto denied = api_.deny(areq)) {
    reply refused;
    refused.res = std::make_shared<const api::response>(std::move(*denied));
    co_return refused;
  }
  const std::uint64_t generation = generation_(target);
  const bool want_gzip = cacheable_method && accepts_gzip(req[bhttp::field::accept_encoding]);
  const std::string_view if_none_match = req[bhttp::field::if_none_match];
  if (use_cache) {
    if (const cached_response* hit = cache_.find(target, generation)) {
      cache_hit = true;
      // A copy of the entry (two shared pointers), kept in this frame: the entry itself may be
      // evicted while from_cache waits on the pool.
      const cached_response found = *hit;
      co_return co_await from_cache(found, target, generation, want_gzip, if_none_match);
    }
  }
  reply out;
  const bool conditional = cacheable_method && if_none_match.find('"') != std::string_view::npos;
  const api::routed routed = api_.route(areq);  // parsed once, here; the pool gets the match
  // A miss (evicted, cache off) with a matching tag: the URL's body is a pure function of
  // (target, generation), so the client's copy is current; no handler, no pool hop. Only the
  // exact tag of the representation we would pick (gzip or not) qualifies, and not `*`, which
  // needs to know that a representation exists.
  if (conditional && routed.cacheable()) {
    const auto tag = entity_tag(generation, target, want_gzip);
    if (none_match_fails(if_none_match, tag)) {
      out.res = api_.is_private(target) ? not_modified_private_ : not_modified_;
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
  // Concurrent misses for one URL at one generation share one render: the first runs the
  // handler, the others wait for its response instead of queueing the same query on the pool.
  // Only GET/HEAD of a cacheable route: their response is a pure function of the key.
  const bool shared = cacheable_method && routed.cacheable();
  cached_response c;
  if (shared) {
    std::string key(target);
    key += '\n';
    key += std::to_string(generation);
    c = co_await renders_.run(key, [&] { return render(routed, target, generation, want_gzip, use_cache); });
  } else {
    c = co_await render(routed, target, generation, want_gzip, false);
  }
  out.res = std::move(c.response);
  if (out.res->cacheable && out.res->status == 200) {
    // A waiter that did not ask for gzip gets identity; one that asked while its leader did
    // not gets identity too (allowed; the next request finds the entry and compresses it).
    if (want_gzip) out.gzip_body = std::move(c.gzip);
    out.etag = entity_tag(generation, target, out.gzip_body != nullptr);
    if (cacheable_method && !if_none_match.empty() && none_match_fails(if_none_match, out.etag))
      out.not_modified = true;
  }
  co_return out;
}

asio::awaitable<cached_response> responder::render(const api::routed& routed, std::string_view target,
                                                   std::uint64_t generation, bool want_gzip, bool use_cache) {
  if (pool_jobs_ >= opt_.max_queued_requests) {
    // Shed load instead of queueing without bound: every request already waiting would wait
    // longer still. Clients and balancers retry elsewhere or after Retry-After. (Synchronous:
    // no other request can have joined this render yet.)
    co_return cached_response{overloaded_, nullptr};
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
  cached_response out{std::make_shared<const api::response>(std::move(c.r)), std::move(c.gz)};
  if (use_cache && out.response->cacheable && out.response->status == 200)
    cache_.insert(target, generation, out);
  co_return out;
}

}  // namespace mirror::http
