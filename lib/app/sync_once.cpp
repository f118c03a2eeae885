#include "app/sync_once.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "curation/rules_curator.hpp"
#include "app/mirror_app.hpp"
#include "app/sync_wiring.hpp"

namespace mirror::app {

sync::run_report sync_once(const config::mirror_config& cfg, util::clock_fn now) {
  boost::asio::io_context ioc{1};
  sync::run_report report;
  {
    boost::asio::thread_pool decoder(1);  // joined before ioc goes
    runtime::writer_shell writer(open_writer(cfg, require_curator(cfg, now())));
    sync_wiring wiring(ioc.get_executor(), decoder.get_executor(), cfg, writer, now);
    boost::asio::co_spawn(ioc, wiring.run_once(), [&](std::exception_ptr e, sync::run_report r) {
      if (!e) {
        report = std::move(r);
        return;
      }
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        report.error = x.what();
      }
    });
    ioc.run();
  }
  return report;
}

}  // namespace mirror::app
