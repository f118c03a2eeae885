#pragma once
// Runs one test coroutine to completion on the test's own io_context, deterministically on
// this thread, then stops the scripted server so ioc.run() can return. A generous bound
// (not a sleep) turns a hang into a failure instead of a stuck test run.
#include <chrono>
#include <exception>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>

#include "scripted_server.hpp"
#include "support/gzip.hpp"
#include "upstream/client.hpp"

namespace mirror::upstream::test {

// `body` is a callable returning awaitable<void>; it must outlive this call (a named lambda).
template <class Body>
void run_async(boost::asio::io_context& ioc, scripted_server& server, Body& body) {
  bool done = false;
  std::exception_ptr error;
  boost::asio::co_spawn(
      ioc,
      [&]() -> boost::asio::awaitable<void> {
        try {
          co_await body();
        } catch (...) {
          error = std::current_exception();
        }
        server.stop();
      },
      [&](std::exception_ptr e) {
        done = true;
        if (e) error = e;
      });
  ioc.run_for(std::chrono::seconds(20));
  REQUIRE_MESSAGE(done, "test coroutine did not finish");
  if (error) std::rethrow_exception(error);
}

// Small deadlines so failure paths finish fast; the happy paths never come near them.
inline client_options test_options(std::string base_url) {
  client_options o;
  o.base_url = std::move(base_url);
  o.connect_timeout = std::chrono::milliseconds(2000);
  o.handshake_timeout = std::chrono::milliseconds(2000);
  o.write_timeout = std::chrono::milliseconds(2000);
  o.read_timeout = std::chrono::milliseconds(2000);
  return o;
}

// gzip-compresses `data` (tests/support/gzip.hpp), for servers that send Content-Encoding: gzip.
inline std::string gzip(std::string_view data) { return mirror::test::gzip_compress(data); }

}  // namespace mirror::upstream::test
