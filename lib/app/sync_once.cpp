#include "app/sync_once.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "curation/rules_curator.hpp"
#include "app/mirror_app.hpp"
#include "app/sync_wiring.hpp"

namespace mirror::app {

std::vector<sync::run_report> sync_sources_once(const config::mirror_config& cfg, util::clock_fn now,
                                                const std::string& only) {
  boost::asio::io_context ioc{1};
  std::vector<sync::run_report> reports;
  {
    boost::asio::thread_pool decoder(1);  // joined before ioc goes
    runtime::writer_shell writer(open_writer(cfg, now()));
    sync_wiring wiring(ioc.get_executor(), decoder.get_executor(), cfg, writer, now, {}, only);
    boost::asio::co_spawn(ioc, wiring.run_once(), [&](std::exception_ptr e, std::vector<sync::run_report> r) {
      if (!e) {
        reports = std::move(r);
        return;
      }
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        reports.push_back({});
        reports.back().error = x.what();
      }
    });
    ioc.run();
    // What the run added can change how each view is best stored (store::writer::choose_views_storage).
    writer.submit("view storage", [](store::writer& w) { w.choose_views_storage(); }).get();
  }
  return reports;
}

sync::run_report sync_once(const config::mirror_config& cfg, util::clock_fn now) {
  auto reports = sync_sources_once(cfg, std::move(now));
  if (reports.empty()) {
    sync::run_report none;
    none.error = "no source has sync on";
    return none;
  }
  return reports.front();
}

}  // namespace mirror::app
