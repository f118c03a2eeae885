#include "http/connection_table.hpp"

#include <spdlog/spdlog.h>

namespace mirror::http {

namespace {
// A flood of refused connections must not become a flood of log lines: the 1st, 2nd, 4th, 8th...
bool worth_logging(std::uint64_t count) { return (count & (count - 1)) == 0; }
}  // namespace

bool connection_table::admit(const boost::asio::ip::address& peer) {
  if (const auto it = per_client_.find(peer); it != per_client_.end() && it->second >= max_per_client_) {
    if (worth_logging(++refused_per_client_))
      spdlog::warn("connection limit per client {} reached by {}, refusing a connection ({} refused so far)",
                   max_per_client_, peer.to_string(), refused_per_client_);
    return false;
  }
  if (slots_.size() - shed_pending_ < max_total_) return true;
  for (auto& s : slots_) {
    if (s.shed || s.state == phase::handling || s.requests > 0) continue;
    s.shed = true;
    ++shed_pending_;
    // close(), not cancel(): a read that already completed is not cancelled, its handler still
    // queued. On a closed socket the session's next socket operation fails and it ends (a
    // request already whole in its buffer may still be handled; its answer cannot be sent).
    s.stream->close();
    return true;
  }
  if (worth_logging(++refused_full_))
    spdlog::warn("connection limit {} reached and no half-open connection to close, refusing a connection "
                 "({} refused so far)",
                 max_total_, refused_full_);
  return false;
}

connection_table::handle connection_table::add(boost::beast::tcp_stream& stream,
                                               const boost::asio::ip::address& peer) {
  ++per_client_[peer];
  return slots_.insert(slots_.end(), slot{&stream, peer});
}

void connection_table::remove(handle h) {
  if (h->shed) --shed_pending_;
  if (auto it = per_client_.find(h->peer); it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  slots_.erase(h);
}

void connection_table::close_idle() {
  for (auto& s : slots_)
    if (s.state == phase::idle) s.stream->cancel();
}

void connection_table::close_all() {
  for (auto& s : slots_) s.stream->close();
}

}  // namespace mirror::http
