#include "http/response_cache.hpp"

namespace mirror::http {

const cached_response* response_cache::find(std::string_view target, std::uint64_t generation) {
  auto it = map_.find(target);
  if (it == map_.end()) return nullptr;
  if (it->second->generation != generation) {
    evict(it->second);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->value;
}

void response_cache::insert(std::string_view target, std::uint64_t generation, cached_response value) {
  const std::size_t cost =
      value.response->body.size() + (value.gzip ? value.gzip->size() : 0) + target.size() + 256;
  if (cost > max_bytes_ / 8) return;  // one huge page must not flush everything else
  if (auto it = map_.find(target); it != map_.end()) evict(it->second);
  while (!lru_.empty() && bytes_ + cost > max_bytes_) evict(std::prev(lru_.end()));
  lru_.push_front(entry{std::string(target), generation, std::move(value), cost});
  map_.emplace(lru_.front().key, lru_.begin());
  bytes_ += cost;
}

void response_cache::attach_gzip(std::string_view target, std::uint64_t generation,
                                 std::shared_ptr<const std::string> gzip) {
  auto it = map_.find(target);
  if (it == map_.end() || it->second->generation != generation || it->second->value.gzip) return;
  auto& e = *it->second;
  e.value.gzip = std::move(gzip);
  e.cost += e.value.gzip->size();
  bytes_ += e.value.gzip->size();
  // Keep the bound: drop least recently used entries other than this one.
  while (bytes_ > max_bytes_ && std::prev(lru_.end()) != it->second) evict(std::prev(lru_.end()));
}

void response_cache::evict(std::list<entry>::iterator it) {
  bytes_ -= it->cost;
  map_.erase(it->key);
  lru_.erase(it);
}

}  // namespace mirror::http
