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

namespace {

// Heap bytes of a string beyond its own object (0 while its text fits the small-string buffer).
std::size_t heap_of(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }

// Every allocation per malloc: its usable size rounded up to 16 bytes plus an 8-byte header.
constexpr std::size_t malloced(std::size_t n) { return n == 0 ? 0 : ((n + 8 + 15) / 16) * 16; }

}  // namespace

// What an entry really holds on the heap, so cache_bytes bounds memory rather than body bytes:
// the response object and its control block (make_shared), its strings and header pairs, the
// gzip body, the key, the list node, and the hash map's node and bucket. Small entries are
// mostly this overhead, which a flat per-entry guess under-counted about fourfold.
std::size_t response_cache::footprint(std::string_view target, const cached_response& value) {
  const api::response& r = *value.response;
  std::size_t n = malloced(sizeof(api::response) + 16);  // make_shared: object + control block
  n += malloced(heap_of(r.body)) + malloced(heap_of(r.content_type)) + malloced(heap_of(r.route));
  n += malloced(r.headers.capacity() * sizeof(r.headers[0]));
  for (const auto& [name, val] : r.headers) n += malloced(heap_of(name)) + malloced(heap_of(val));
  if (value.gzip) n += malloced(sizeof(std::string) + 16) + malloced(heap_of(*value.gzip));
  n += malloced(target.size() > 15 ? target.size() + 1 : 0);                  // entry::key
  n += malloced(sizeof(entry) + 2 * sizeof(void*));                           // list node
  n += malloced(sizeof(std::string_view) + 2 * sizeof(void*) + sizeof(std::size_t)) + sizeof(void*);  // map
  return n;
}

void response_cache::insert(std::string_view target, std::uint64_t generation, cached_response value) {
  const std::size_t cost = footprint(target, value);
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
  const auto before = e.cost;
  e.cost = footprint(e.key, e.value);
  bytes_ += e.cost - before;
  // Keep the bound: drop least recently used entries other than this one.
  while (bytes_ > max_bytes_ && std::prev(lru_.end()) != it->second) evict(std::prev(lru_.end()));
}

void response_cache::evict(std::list<entry>::iterator it) {
  bytes_ -= it->cost;
  map_.erase(it->key);
  lru_.erase(it);
}

}  // namespace mirror::http
