#pragma once
// fake_client: a scripted upstream::client for testing the sync job without sockets. Every `get`
// is recorded (target, and the time on an optional injected clock), then answered from the
// script: queued answers first, in order, each optionally only for targets containing a given
// part; then the fallback (usually a fake_registry, so page bodies are the real upstream's JSON
// rather than hand-written). Nothing here sleeps or touches the network.
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "support/fake_upstream_model.hpp"
#include "upstream/client.hpp"
#include "upstream/errors.hpp"
#include "util/clock.hpp"

namespace mirror::test {

// Answers a test can script.
namespace answer {
inline upstream::fetch_result page(std::string body) {
  upstream::fetch_result r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}
inline upstream::fetch_result status(unsigned code) {
  upstream::fetch_result r;
  r.status = code;
  return r;
}
inline upstream::fetch_result throttled(std::chrono::seconds retry_after) {
  auto r = status(429);
  r.retry_after = retry_after;
  return r;
}
inline upstream::fetch_result redirect(unsigned code, std::string location) {
  auto r = status(code);
  r.location = std::move(location);
  return r;
}
inline upstream::fetch_result transport(boost::system::error_code ec) {
  upstream::fetch_result r;
  r.error = ec;
  return r;
}
// The registry's answer to `target`, as the HTTP client would return it.
inline upstream::fetch_result from(fake_reply reply) {
  upstream::fetch_result r;
  r.status = reply.status;
  r.body = std::move(reply.body);
  return r;
}
}  // namespace answer

class fake_client : public upstream::client {
 public:
  using responder = std::function<upstream::fetch_result(const std::string& target)>;

  fake_client() = default;
  explicit fake_client(responder fallback) : fallback_(std::move(fallback)) {}
  // Answers every unscripted request as `registry` would (the registry must outlive the client).
  explicit fake_client(fake_registry& registry)
      : fallback_([&registry](const std::string& t) { return answer::from(registry.answer(t)); }) {}

  // Queues `r` for the next request whose target contains `match` ("" = any), `times` times.
  fake_client& script(upstream::fetch_result r, int times = 1, std::string match = "") {
    for (int i = 0; i < times; ++i) script_.push_back({match, r});
    return *this;
  }
  // Stamps each request with clock() (e.g. the harness's fake clock).
  void set_clock(util::clock_fn clock) { clock_ = std::move(clock); }
  // Runs before each request is answered (advance a fake clock, change the registry, stop a run).
  void on_get(std::function<void(const std::string& target)> hook) { hook_ = std::move(hook); }

  boost::asio::awaitable<upstream::fetch_result> get(std::string target) override {
    targets.push_back(target);
    if (clock_) times.push_back(clock_());
    if (in_flight_) {  // the real client's contract: one call at a time
      ++concurrent;
      co_return answer::transport(upstream::errc::concurrent_get);
    }
    in_flight_ = true;
    // Complete asynchronously, like a real request: the syncer overlaps a fetch with a commit.
    auto executor = co_await boost::asio::this_coro::executor;
    co_await boost::asio::post(executor, boost::asio::use_awaitable);
    if (hook_) hook_(target);
    upstream::fetch_result r = next(target);
    in_flight_ = false;
    co_return r;
  }

  std::vector<std::string> targets;  // every request, in order
  std::vector<std::int64_t> times;   // clock() at each request (when a clock is set)
  int unscripted = 0;                // requests with neither a script entry nor a fallback
  int concurrent = 0;                // requests made while another was in flight
  std::size_t pending() const { return script_.size(); }

 private:
  struct entry {
    std::string match;
    upstream::fetch_result result;
  };
  upstream::fetch_result next(const std::string& target) {
    for (auto it = script_.begin(); it != script_.end(); ++it) {
      if (target.find(it->match) == std::string::npos) continue;
      auto r = std::move(it->result);
      script_.erase(it);
      return r;
    }
    if (fallback_) return fallback_(target);
    ++unscripted;
    return answer::transport(boost::asio::error::not_connected);
  }

  std::deque<entry> script_;
  responder fallback_;
  util::clock_fn clock_;
  std::function<void(const std::string&)> hook_;
  bool in_flight_ = false;
};

}  // namespace mirror::test
