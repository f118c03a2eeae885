#pragma once
// The server's open connections and what each is doing: the limits on them (in total and per
// peer address), load shedding at the total limit, and the idle ones to close on drain. Used
// from the io thread only, so it needs no lock.
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace mirror::http {

class connection_table {
 public:
  enum class phase { idle, reading, handling };  // waiting for a request, reading one, serving it
  struct slot {
    boost::beast::tcp_stream* stream;
    boost::asio::ip::address peer;
    phase state = phase::idle;
    std::size_t requests = 0;  // completed on this connection: 0 while half-open
    bool shed = false;         // closed to make room, its session not ended yet
  };
  using handle = std::list<slot>::iterator;

  connection_table(std::size_t max_total, std::size_t max_per_client)
      : max_total_(max_total), max_per_client_(max_per_client) {}

  // Whether a new connection from `peer` may start. One peer may hold max_per_client (a proxy
  // in front is one peer: keep that large). At the total limit the oldest half-open connection
  // (no request completed and none being served: a slowloris client's, or one that never sent a
  // byte) is closed to make room, so idle sockets cannot lock everyone out. Connections that
  // completed a request keep their slot until their idle deadline; with none half-open, the new
  // connection is refused.
  bool admit(const boost::asio::ip::address& peer);

  handle add(boost::beast::tcp_stream& stream, const boost::asio::ip::address& peer);
  void remove(handle h);

  std::size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }
  void close_idle();  // stop(): keep-alive connections waiting for a request
  void close_all();   // drain deadline passed

 private:
  std::size_t max_total_, max_per_client_;
  std::list<slot> slots_;
  std::size_t shed_pending_ = 0;
  std::uint64_t refused_per_client_ = 0, refused_full_ = 0;  // for the log only
  std::map<boost::asio::ip::address, std::size_t> per_client_;
};

}  // namespace mirror::http
