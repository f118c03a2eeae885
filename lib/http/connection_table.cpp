#include "http/connection_table.hpp"

#include <spdlog/spdlog.h>

namespace mirror::http {

bool connection_table::admit(const boost::asio::ip::address& peer) {
  if (const auto it = per_client_.find(peer); it != per_client_.end() && it->second >= max_per_client_) {
    spdlog::warn("connection limit per client {} reached by {}, refusing a connection", max_per_client_,
                 peer.to_string());
    return false;
  }
  if (slots_.size() - shed_pending_ < max_total_) return true;
  for (auto& s : slots_) {
    if (s.shed || s.state == phase::handling || s.requests > 0) continue;
    s.shed = true;
    ++shed_pending_;
    s.stream->cancel();  // its session sees operation_aborted and ends
    return true;
  }
  spdlog::warn("connection limit {} reached and no half-open connection to close, refusing a connection",
               max_total_);
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
