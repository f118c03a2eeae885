#include "app/writer_host.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "app/mirror_app.hpp"

namespace mirror::app {

writer_host::writer_host(const config::mirror_config& cfg, std::shared_ptr<const store::curator> curator) {
  writer_ = std::make_unique<store::writer>(store::writer::open(database_path(cfg.data_dir)));
  writer_->set_change_retention(cfg.changes.retention);
  writer_->set_curator(std::move(curator));
  // Serving comes first: the writer thread runs at a lower scheduling priority (Linux applies
  // setpriority to one thread), so a long sync yields the CPU to request handling on small hosts.
  boost::asio::post(thread_, [] {
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10) != 0)
      spdlog::debug("could not lower the writer thread's priority");
  });
}

writer_host::~writer_host() { thread_.join(); }

}  // namespace mirror::app
