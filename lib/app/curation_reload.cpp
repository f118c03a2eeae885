#include "app/curation_reload.hpp"

#include <spdlog/spdlog.h>

#include "curation/reload_scope.hpp"
#include "json/writer.hpp"
#include "model/timestamp.hpp"

namespace mirror::app {

namespace {
constexpr std::size_t jobs_kept = 32;  // status() answers for the last 32 jobs
}

struct curation_reload::job {
  explicit job(std::uint64_t i) : id(i) {}
  const std::uint64_t id;
  // Guarded by mutex_: what status() reports.
  std::string state = "queued";  // queued, running, applied, rejected, failed
  bool files_read = false, incremental = false;
  std::int64_t names_total = 0;
  store::recurate_progress reported;
  std::string error, hash;
  std::size_t rules = 0;
  std::int64_t started_us = 0, finished_us = 0;
  std::optional<api::reload_outcome> result;
  std::vector<std::promise<api::reload_outcome>> waiters;
  // Writer thread only.
  store::recurate_progress progress;
  std::unique_ptr<store::recurate_scope> scope;  // null: every name
  std::shared_ptr<const curation::rules_curator> next, previous;
};

curation_reload::curation_reload(deps d, std::shared_ptr<const curation::rules_curator> built_with)
    : d_(std::move(d)), built_with_(std::move(built_with)) {}

std::uint64_t curation_reload::start() {
  std::lock_guard lock(mutex_);
  if (queued_) return queued_->id;
  auto j = std::make_shared<job>(next_id_++);
  recent_.push_back(j);
  if (recent_.size() > jobs_kept) recent_.pop_front();  // never an active one: they are the newest
  if (running_)
    queued_ = j;
  else
    launch(j);
  return j->id;
}

void curation_reload::launch(const std::shared_ptr<job>& j) {
  running_ = j;
  j->state = "running";
  j->started_us = d_.now();
  // The futures are dropped: every outcome, failures included, goes through finish(). What
  // read_rules throws (a database read failing) comes before it changes the writer's rules.
  (void)d_.writer.submit("curation reload", [this, j](store::writer& w) {
    try {
      read_rules(j, w);
    } catch (const std::exception& e) {
      d_.metrics.curation_reloads.with({"failed"}).inc();
      finish(j, {false, e.what(), {}, true});
      spdlog::error("curation reload failed, the previous rules stay in force: {}", e.what());
    }
  });
}

// Reading the files (up to 10,000 local servers) happens on the writer thread: never on the
// io thread that SIGHUP arrives on, and in order with the rebuild that follows.
void curation_reload::read_rules(const std::shared_ptr<job>& j, store::writer& w) {
  if (stopping_) return finish(j, {false, "the daemon is stopping", {}, true});
  auto loaded = curation::load_curator(d_.file, d_.now());
  if (auto* why = std::get_if<std::string>(&loaded)) {
    d_.metrics.curation_reloads.with({"rejected"}).inc();
    finish(j, {false, *why, {}});
    spdlog::error("curation reload rejected, the previous rules stay in force: {}", *why);
    return;
  }
  j->next = std::get<std::shared_ptr<const curation::rules_curator>>(std::move(loaded));
  j->previous = d_.rules.get();
  // The same files as the view was built from: nothing to do.
  const bool unchanged = built_with_ && built_with_->hash() == j->next->hash() && !w.needs_recurate();
  if (!unchanged) j->scope = built_with_ ? curation::reload_scope(*built_with_, *j->next) : nullptr;
  const auto total = w.count_all_names();
  {
    std::lock_guard lock(mutex_);
    j->files_read = true;
    j->incremental = unchanged || j->scope != nullptr;
    j->names_total = total;
    j->hash = j->next->hash();
    j->rules = j->next->rules().rules.size();
  }
  if (unchanged) {
    d_.metrics.curation_reloads.with({"applied"}).inc();
    finish(j, {true, {}, {}});
    spdlog::info("curation reloaded from {}: the rules are unchanged", d_.file.string());
    return;
  }
  w.set_curator(j->next);
  step(j, w);
}

void curation_reload::step(const std::shared_ptr<job>& j, store::writer& w) {
  if (stopping_) return finish(j, {false, "the daemon is stopping; its next start rebuilds the view", {}, true});
  try {
    w.recurate_step(j->progress, j->scope.get(), d_.batch_names, d_.now());
  } catch (const std::exception& e) {
    // The file was fine, the database failed (disk full, locked): this batch rolled back, the
    // earlier ones stay. Back to the previous rules, rebuilt whole if a batch had committed and
    // the database lets us (else the next write or start does it: needs_recurate()).
    w.abandon_recurate();
    w.set_curator(j->previous);
    if (j->progress.started) {
      built_with_ = nullptr;
      try {
        (void)w.recurate(d_.now());
        built_with_ = j->previous;
      } catch (const std::exception& again) {
        spdlog::error("curation reload: the previous rules' view is rebuilt at the next write or start: {}",
                      again.what());
      }
    }
    d_.metrics.curation_reloads.with({"failed"}).inc();
    finish(j, {false, e.what(), {}, true});
    spdlog::error("curation reload failed, the previous rules stay in force: {}", e.what());
    return;
  }
  {
    std::lock_guard lock(mutex_);
    j->reported = j->progress;
  }
  if (!j->progress.done) {
    // To the back of the writer's queue: whatever was queued meanwhile (a sync page) goes first.
    (void)d_.writer.submit("curation reload", [this, j](store::writer& w) { step(j, w); });
    return;
  }
  built_with_ = j->next;
  d_.rules.set(j->next);
  d_.metrics.curation_reloads.with({"applied"}).inc();
  const auto& r = j->progress.counts;
  const bool scoped = j->scope != nullptr;
  finish(j, {true, {}, {}});  // first: whoever reads the log line then finds the job ended
  spdlog::info("curation reloaded from {}: {} rules, {} of {} names re-curated ({}), {} shown, {} hidden, "
               "{} curated, latest moved for {}",
               d_.file.string(), j->next->rules().rules.size(), r.names, j->progress.names_done,
               scoped ? "the names the changed rules match" : "every name", r.shown, r.hidden, r.curated,
               r.latest_moved);
}

// Callers log after it, so that a log line about a job is never ahead of its status.
void curation_reload::finish(const std::shared_ptr<job>& j, api::reload_outcome out) {
  std::vector<std::promise<api::reload_outcome>> waiters;
  {
    std::lock_guard lock(mutex_);
    j->state = out.ok ? "applied" : out.store_failed ? "failed" : "rejected";
    j->error = out.error;
    j->finished_us = d_.now();
    out.body = render(*j);
    j->result = out;
    waiters.swap(j->waiters);
    j->scope.reset();
    j->previous.reset();
    running_.reset();
    if (queued_) launch(std::exchange(queued_, nullptr));
  }
  for (auto& p : waiters) p.set_value(out);
}

std::future<api::reload_outcome> curation_reload::outcome(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  std::promise<api::reload_outcome> p;
  auto f = p.get_future();
  for (const auto& j : recent_) {
    if (j->id != id) continue;
    if (j->result)
      p.set_value(*j->result);
    else
      j->waiters.push_back(std::move(p));
    return f;
  }
  p.set_value({false, "no such reload job", {}});
  return f;
}

std::optional<std::string> curation_reload::status(std::uint64_t id) const {
  std::lock_guard lock(mutex_);
  for (const auto& j : recent_)
    if (j->id == id) return render(*j);
  return std::nullopt;
}

std::string curation_reload::render(const job& j) const {
  std::string body;
  json::writer w(body);
  const auto& c = j.reported.counts;
  w.begin_object()
      .member("id", std::to_string(j.id))
      .member("status", j.state);
  if (j.files_read) {
    w.member("rules", static_cast<std::int64_t>(j.rules)).member("hash", j.hash);
    w.member("scope", j.incremental ? "changed rules" : "every name");
  }
  w.member("names", j.names_total)
      .member("namesDone", static_cast<std::int64_t>(j.reported.names_done))
      .member("namesRecurated", static_cast<std::int64_t>(c.names))
      .member("shown", static_cast<std::int64_t>(c.shown))
      .member("hidden", static_cast<std::int64_t>(c.hidden))
      .member("curated", static_cast<std::int64_t>(c.curated))
      .member("latestMoved", static_cast<std::int64_t>(c.latest_moved));
  if (j.started_us) w.member("startedAt", model::format_rfc3339(j.started_us));
  if (j.finished_us) w.member("finishedAt", model::format_rfc3339(j.finished_us));
  if (!j.error.empty()) w.member("error", j.error);
  w.end_object();
  body += '\n';
  return body;
}

}  // namespace mirror::app
