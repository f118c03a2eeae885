#include "snapshot/bootstrap.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

namespace mirror::snapshot {

namespace {

// A coroutine function, not a capturing lambda: the frame must not refer to a closure object
// that is gone once co_spawn returns.
boost::asio::awaitable<void> fetch(upstream::client& client, upstream::fetch_result& manifest_reply,
                                   upstream::fetch_result& data_reply) {
  // Targets as named locals: GCC 12 mishandles temporaries inside co_await expressions.
  std::string target = "/" + std::string(manifest_file);
  manifest_reply = co_await client.get(target);
  if (!manifest_reply.ok()) co_return;
  // An unparsable manifest is reported by import_bytes later; fetch the default name meanwhile.
  target = "/" + std::string(data_file);
  {
    auto parsed = parse_manifest(manifest_reply.body);
    if (const auto* m = std::get_if<manifest>(&parsed)) target = "/" + m->data_file;
  }
  data_reply = co_await client.get(target);
}

}  // namespace

import_report bootstrap(store::writer& db, upstream::client_options client_options,
                        const import_options& options) {
  import_report report;
  report.rejected = true;
  const auto base = client_options.base_url;
  try {
    boost::asio::io_context ioc{1};
    auto client = upstream::make_http_client(ioc.get_executor(), std::move(client_options));
    upstream::fetch_result manifest_reply, data_reply;
    std::exception_ptr failure;
    boost::asio::co_spawn(ioc, fetch(*client, manifest_reply, data_reply),
                          [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    auto failed = [&](const upstream::fetch_result& r, std::string_view file) -> bool {
      if (r.ok()) return false;
      report.error = r.error ? fmt::format("GET {}/{}: {}", base, file, r.error.message())
                             : fmt::format("GET {}/{}: HTTP {}", base, file, r.status);
      return true;
    };
    if (failed(manifest_reply, manifest_file) || failed(data_reply, data_file)) return report;
    return import_bytes(db, manifest_reply.body, data_reply.body, options);
  } catch (const std::exception& e) {
    report.error = fmt::format("bootstrap from {}: {}", base, e.what());
    return report;
  }
}

}  // namespace mirror::snapshot
