// response_cache: bounded by what its entries really hold on the heap, not by their body bytes.
// Small entries (a 404-sized detail page, a short versions list) are mostly bookkeeping: the
// response object, its header strings, the key, the list and map nodes.
#include <doctest/doctest.h>

#include <malloc.h>

#include <string>

#include "http/response_cache.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define MIRROR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MIRROR_ASAN 1
#endif
#endif
#ifdef MIRROR_ASAN
#include <sanitizer/allocator_interface.h>
#endif

using namespace mirror;

namespace {

std::size_t heap_in_use() {
#ifdef MIRROR_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  return mallinfo2().uordblks;
#endif
}

// Shaped like a small detail response as api::service renders it.
http::cached_response small_response(int i) {
  api::response r;
  r.body = R"({"server":{"name":"io.github.example/server-)" + std::to_string(i) +
           R"(","version":"1.0.0"},"_meta":{}})";
  r.route = "/v0.1/servers/{serverName}/versions/{version}";
  r.cacheable = true;
  r.headers = {{"Access-Control-Allow-Origin", "*"},
               {"Access-Control-Allow-Methods", "GET, OPTIONS"},
               {"Access-Control-Allow-Headers", "Authorization, Content-Type"},
               {"Cache-Control", "public, max-age=60"},
               {"Vary", "Origin, Accept-Encoding"}};
  return {std::make_shared<const api::response>(std::move(r)), nullptr};
}

}  // namespace

TEST_CASE("the cache's byte count tracks the heap it holds, for small entries too") {
  constexpr std::size_t limit = 4u << 20;
  const auto before = heap_in_use();
  {
    http::response_cache cache(limit);
    for (int i = 0; i < 200'000; ++i) {
      const auto target = "/v0.1/servers/io.github.example%2Fserver-" + std::to_string(i) + "/versions/1.0.0";
      cache.insert(target, 1, small_response(i));
    }
    CHECK(cache.bytes() <= limit);
    CHECK(cache.entries() > 1000);
    const auto grown = heap_in_use() - before;
    INFO("heap grown by " << grown << " bytes for " << cache.entries() << " entries, counted " << cache.bytes());
    // At most 25% more heap than counted (a flat per-entry guess under-counted 4x); under ASan the
    // heap is user bytes only, without the malloc headers and rounding the count includes.
    CHECK(grown <= limit + limit / 4);
    CHECK(static_cast<double>(grown) >= 0.6 * static_cast<double>(cache.bytes()));  // and not far over
  }
}

TEST_CASE("a gzip body attached later is counted, and the bound still holds") {
  http::response_cache cache(64u << 10);
  for (int i = 0; i < 100; ++i) cache.insert("/t" + std::to_string(i), 7, small_response(i));
  const auto before = cache.bytes();
  cache.attach_gzip("/t99", 7, std::make_shared<const std::string>(std::string(4000, 'z')));
  CHECK(cache.bytes() <= 64u << 10);
  REQUIRE(cache.find("/t99", 7) != nullptr);
  CHECK(cache.find("/t99", 7)->gzip->size() == 4000);
  CHECK(cache.find("/t99", 8) == nullptr);  // another generation: a miss, and evicted
  CHECK(cache.bytes() < before + 4000);
}
