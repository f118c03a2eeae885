#include "snapshot/bootstrap.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

namespace mirror::snapshot {

namespace {

// One GET, run to completion on `ioc`. No coroutine of our own here: GCC 12 at -O3 corrupted
// the frame of a small fetching coroutine (reference parameters assigned from co_await results),
// so each request is a co_spawn of the client's own `get` with a plain completion handler.
upstream::fetch_result get(boost::asio::io_context& ioc, upstream::client& client, std::string target) {
  upstream::fetch_result out;
  std::exception_ptr failure;
  boost::asio::co_spawn(ioc, client.get(std::move(target)),
                        [&](std::exception_ptr e, upstream::fetch_result r) {
                          failure = e;
                          out = std::move(r);
                        });
  ioc.restart();
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  return out;
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
    upstream::fetch_result data_reply;
    auto manifest_reply = get(ioc, *client, "/" + std::string(manifest_file));
    if (manifest_reply.ok()) {
      // An unparsable manifest is reported by import_bytes later; fetch the default name meanwhile.
      std::string data_target = "/" + std::string(data_file);
      auto parsed = parse_manifest(manifest_reply.body);
      if (const auto* m = std::get_if<manifest>(&parsed)) data_target = "/" + m->data_file;
      data_reply = get(ioc, *client, std::move(data_target));
    }
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
