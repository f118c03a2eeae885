#pragma once
// Rendered 200 responses of the data endpoints, keyed by request-target and valid for one data
// generation (the store's change counter): mirrored data changes only when a sync or import
// commits, so between commits a page is a pure function of its URL. Bounded by bytes, least
// recently used out first. Used from the io thread only, so it needs no lock.
// Each entry keeps the identity body and, once some client asked for it, its gzip encoding, so
// compression is done once per (target, generation), not per request.
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/http_types.hpp"

namespace mirror::http {

// A cached 200: the rendered response and its gzip body (null until first needed).
struct cached_response {
  std::shared_ptr<const api::response> response;
  std::shared_ptr<const std::string> gzip;
};

class response_cache {
 public:
  explicit response_cache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // nullptr on a miss or when the entry belongs to an older generation.
  const cached_response* find(std::string_view target, std::uint64_t generation);
  void insert(std::string_view target, std::uint64_t generation, cached_response value);
  // Adds the gzip body to the entry of (target, generation) when it is still there.
  void attach_gzip(std::string_view target, std::uint64_t generation,
                   std::shared_ptr<const std::string> gzip);

  std::size_t bytes() const { return bytes_; }
  std::size_t entries() const { return map_.size(); }

 private:
  struct entry {
    std::string key;
    std::uint64_t generation;
    cached_response value;
    std::size_t cost;
  };
  void evict(std::list<entry>::iterator it);
  static std::size_t footprint(std::string_view target, const cached_response& value);

  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::list<entry> lru_;  // front = most recently used
  std::unordered_map<std::string_view, std::list<entry>::iterator> map_;  // keys point into lru_
};

}  // namespace mirror::http
