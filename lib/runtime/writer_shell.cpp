#include "runtime/writer_shell.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace mirror::runtime {

writer_shell::writer_shell(store::writer writer, std::function<void(const store::feed_positions&)> on_commit)
    : writer_(std::make_unique<store::writer>(std::move(writer))), on_commit_(std::move(on_commit)) {
  // Linux applies setpriority to one thread: a long sync yields the CPU to request handling.
  boost::asio::post(thread_, [] {
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10) != 0)
      spdlog::debug("could not lower the writer thread's priority");
  });
}

writer_shell::~writer_shell() { thread_.join(); }

// Reading the sequence after a failed job is harmless (it did not move); when even that read
// fails, the generation stays where it was, which only costs cached pages a later refresh.
void writer_shell::publish() noexcept {
  if (!on_commit_) return;
  try {
    on_commit_(writer_->positions());
  } catch (const std::exception& e) {
    spdlog::warn("writer: could not read the change sequence after a job: {}", e.what());
  }
}

void writer_shell::failed(std::string_view job, const std::exception& e) {
  spdlog::error("writer: {} failed, its transaction rolled back: {}", job, e.what());
}

}  // namespace mirror::runtime
