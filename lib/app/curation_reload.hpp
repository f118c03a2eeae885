#pragma once
// Curation reloads as jobs (README "Curation: reload"). POST .../reload and SIGHUP start one and
// return at once; the job reads the files on the writer thread, works out which names the new
// rules can change (curation::reload_scope) and rebuilds those a batch of names per writer job,
// so sync pages and other writes queue between the batches instead of behind the whole rebuild,
// and no request thread waits for it. GET .../reload/<id> reports its progress.
//
// One job runs at a time. A reload asked for while one runs is queued behind it, and further
// asks join the queued one (it reads the files when it starts, so it sees the latest edit).
// Every view's file is read too, after the root's: a view whose file is invalid keeps its rules
// (the job ends "partial", naming it), the others are rebuilt one after another, each only
// where its changed rules reach. Views' token files are re-read (an invalid one keeps the old).
// A batch that fails (disk full) ends the job: the previous rules are put back and the writer
// rebuilds the whole view with them (now, or at the next write or start if that fails too).
#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/mirror_hooks.hpp"
#include "curation/rules_curator.hpp"
#include "metrics/catalog.hpp"
#include "app/view_set.hpp"
#include "runtime/writer_shell.hpp"
#include "util/clock.hpp"

namespace mirror::app {

class curation_reload {
 public:
  struct deps {
    runtime::writer_shell& writer;
    curation::curation_state& rules;  // what explain reads; swapped when a job completes
    metrics::catalog& metrics;
    std::filesystem::path file;
    util::clock_fn now;
    std::size_t batch_names = 256;  // names looked at per writer transaction
    view_set* views = nullptr;      // config `views:`: each view's file and tokens are reloaded too
  };
  // `built_with`: the rules the served view is built with now (open() re-curated to them).
  curation_reload(deps d, std::shared_ptr<const curation::rules_curator> built_with);

  // Starts a reload, or joins the one queued behind the running one; its id. Any thread.
  std::uint64_t start();
  // Ready with the outcome of job `id` once it has ended (tests, `reload_curation()`).
  std::future<api::reload_outcome> outcome(std::uint64_t id);
  // The job's status document (JSON), nullopt for an id never given or long forgotten.
  std::optional<std::string> status(std::uint64_t id) const;
  // No further batch starts (shutdown): a job under way ends "failed" and the view keeps its
  // "being rebuilt" mark, so the next start rebuilds it whole under the rules in the file.
  void stop() { stopping_ = true; }

 private:
  struct job;
  void launch(const std::shared_ptr<job>& j);              // under mutex_
  void read_rules(const std::shared_ptr<job>& j, store::writer& w);
  void begin_phase(const std::shared_ptr<job>& j, store::writer& w);
  void step(const std::shared_ptr<job>& j, store::writer& w);
  // Reads the views' files into the job's phases (after the root's); false when nothing changed.
  void read_views(const std::shared_ptr<job>& j, store::writer& w);
  void finish(const std::shared_ptr<job>& j, api::reload_outcome out);
  std::string render(const job& j) const;  // under mutex_

  deps d_;
  std::atomic<bool> stopping_{false};
  std::shared_ptr<const curation::rules_curator> built_with_;  // writer thread only; null: unknown
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::shared_ptr<job> running_, queued_;
  std::deque<std::shared_ptr<job>> recent_;  // the last jobs, for status(); bounded
};

}  // namespace mirror::app
