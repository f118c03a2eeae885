#pragma once
// Runs http::run_session over boost::beast::test::stream, without sockets: the peer's bytes go
// in, the session runs to its end on a private io_context (handlers hop to a real one-thread
// reader pool and back), and what the session wrote comes out, parsed. A fail_count makes the
// Nth read or write of the server's stream fail, which is how the protocol tests reach every
// failure point of a request.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/service.hpp"
#include "http/session.hpp"
#include "store/error.hpp"

namespace mirror::test {

// A body above the gzip threshold, so /openapi.yaml exercises compression too.
inline std::string session_openapi_body() { return "openapi: 3.1.0\n" + std::string(3000, '#') + "\n"; }

struct session_run {
  bool ended = false;            // the session's coroutine returned
  std::exception_ptr error;      // ...or threw (never expected)
  std::string written;           // every byte the session wrote
  bool peer_saw_close = false;   // the server end was closed or shut down after the session
};

struct session_reply {
  unsigned status = 0;
  std::string body;
  boost::beast::http::response<boost::beast::http::string_body> message;
};

class session_fixture {
 public:
  session_fixture() : session_fixture(http::server_options{}) {}
  explicit session_fixture(http::server_options options)
      : opt_(std::move(options)), api_(api_options(), [this]() -> store::reader& {
          // On a reader-pool thread: every route handler that reads the store comes here.
          ++store_reads;
          if (on_store_read) on_store_read();
          throw store::error("no store here");
        }) {}

  // Feeds `input` to one session and closes the peer's sending side after it (the session
  // sees EOF once it has read everything). `fc` makes the server stream's Nth operation fail;
  // read_size/write_size cap each read_some/write_some, to multiply the failure points.
  session_run run(std::string_view input, boost::beast::test::fail_count* fc = nullptr,
                  std::size_t read_size = std::numeric_limits<std::size_t>::max(),
                  std::size_t write_size = std::numeric_limits<std::size_t>::max()) {
    boost::asio::io_context ioc;
    auto server = fc ? boost::beast::test::stream(ioc, *fc) : boost::beast::test::stream(ioc);
    boost::beast::test::stream client(ioc);
    server.connect(client);
    server.read_size(read_size);
    server.write_size(write_size);
    server.append(input);
    server.close_remote();
    http::connection_table::slot slot{nullptr, {}};
    session_run out;
    boost::asio::co_spawn(ioc, http::run_session(server, env_, slot), [&](std::exception_ptr e) {
      out.ended = true;
      out.error = e;
    });
    // The test stream completes every operation at once: a session still running after this
    // long is stuck (a loop that ignores an error), reported as not ended instead of hanging.
    ioc.run_for(std::chrono::seconds(20));
    out.written = std::string(client.str());
    // Did the session close its end? Then the client, with its input drained, reads EOF at
    // once; otherwise its read stays pending (and is ended below by closing the server end).
    client.clear();
    char byte;
    boost::beast::error_code read_ec = boost::asio::error::would_block;
    client.async_read_some(boost::asio::buffer(&byte, 1),
                           [&](boost::beast::error_code ec, std::size_t) { read_ec = ec; });
    ioc.restart();
    ioc.poll();
    out.peer_saw_close = read_ec == boost::asio::error::eof;
    server.close();
    ioc.poll();
    requests_ = slot.requests;
    return out;
  }

  // Runs one session per input at once on one io_context (as the server's io thread would) and
  // returns what each wrote.
  std::vector<std::string> run_concurrent(const std::vector<std::string>& inputs) {
    boost::asio::io_context ioc;
    std::vector<std::unique_ptr<boost::beast::test::stream>> servers, clients;
    std::vector<http::connection_table::slot> slots(inputs.size(), http::connection_table::slot{nullptr, {}});
    for (const auto& input : inputs) {
      servers.push_back(std::make_unique<boost::beast::test::stream>(ioc));
      clients.push_back(std::make_unique<boost::beast::test::stream>(ioc));
      servers.back()->connect(*clients.back());
      servers.back()->append(input);
      servers.back()->close_remote();
    }
    for (std::size_t i = 0; i < inputs.size(); ++i)
      boost::asio::co_spawn(ioc, http::run_session(*servers[i], env_, slots[i]), boost::asio::detached);
    ioc.run_for(std::chrono::seconds(20));  // as in run(): a stuck session is reported, not waited for
    std::vector<std::string> out;
    for (const auto& c : clients) out.emplace_back(c->str());
    return out;
  }

  std::size_t shared_renders() const { return answer_.shared_renders(); }

  // Holds the one pool thread in the store until `n` requests have reached the responder
  // (counted on the io thread), so that they are all in flight at once; `on_arrival(i)` runs
  // as the i-th (1-based) arrives, before it reads the generation.
  void hold_store_until(int n, std::function<void(int)> on_arrival = {}) {
    auto all_arrived = std::make_shared<std::promise<void>>();
    std::shared_future<void> released = all_arrived->get_future().share();
    auto arrived = std::make_shared<int>(0);
    during_request = [=] {
      if (on_arrival) on_arrival(++*arrived);
      else ++*arrived;
      if (*arrived == n) all_arrived->set_value();
    };
    on_store_read = [released] { released.wait(); };
  }

  // Splits what a session wrote into responses. `head_only[i]`: the ith answers a HEAD.
  static std::vector<session_reply> parse(std::string_view bytes, std::vector<bool> head_only = {}) {
    namespace bhttp = boost::beast::http;
    std::vector<session_reply> out;
    boost::beast::flat_buffer buffer;
    buffer.commit(boost::asio::buffer_copy(buffer.prepare(bytes.size()), boost::asio::buffer(bytes.data(), bytes.size())));
    while (buffer.size() > 0) {
      bhttp::response_parser<bhttp::string_body> p;
      p.body_limit(std::numeric_limits<std::uint64_t>::max());
      if (out.size() < head_only.size() && head_only[out.size()]) p.skip(true);
      boost::beast::error_code ec;
      while (!p.is_done() && buffer.size() > 0) {
        const std::size_t used = p.put(buffer.data(), ec);
        if (ec || used == 0) break;
        buffer.consume(used);
      }
      if (!p.is_done()) break;  // a truncated or malformed tail: not a response
      session_reply r;
      r.message = p.release();
      r.status = r.message.result_int();
      r.body = r.message.body();
      out.push_back(std::move(r));
    }
    return out;
  }

  struct logged {
    std::string route;
    unsigned status;
    std::size_t body_bytes;
    bool cache_hit;
  };
  std::vector<logged> logs;  // what the observer saw
  std::uint64_t generation = 1;
  std::function<void()> during_request;  // runs as each request is being answered (io thread)
  std::function<void()> on_store_read;   // runs on the pool thread when a handler reads the store
  std::atomic<int> store_reads{0};
  bool stopping = false;
  std::size_t requests_ = 0;  // slot.requests after the last run

 private:
  static api::service_options api_options() {
    api::service_options o;
    o.openapi_yaml = session_openapi_body();
    return o;
  }

  http::server_options opt_;
  api::service api_;
  boost::asio::thread_pool pool_{1};
  http::responder answer_{pool_, opt_, api_, [this](std::string_view) {
                            if (during_request) during_request();
                            return generation;
                          }};
  http::date_header date_;
  http::request_observer observer_ = [this](const http::request_log& l) {
    logs.push_back({std::string(l.route), l.status, l.body_bytes, l.cache_hit});
  };
  http::session_env env_{opt_, answer_, date_, observer_, stopping};
};

}  // namespace mirror::test
