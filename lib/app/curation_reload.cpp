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
  struct view_result {
    std::string name, status, error;  // status: applied, unchanged, rejected
  };
  std::vector<view_result> views;
  // Writer thread only. The rebuilds to run, the root's first, then each changed view's.
  struct phase {
    int view = -1;  // index in deps::views; -1: the root
    std::shared_ptr<const curation::rules_curator> next, previous;
    std::unique_ptr<store::recurate_scope> scope;  // null: every name
  };
  std::vector<phase> phases;
  std::size_t current = 0;
  store::recurate_progress progress;  // of the current phase
  store::recurate_result done_counts;  // of the phases before it
  std::size_t done_names = 0;
  std::shared_ptr<const curation::rules_curator> next, previous;  // the root's
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
  std::unique_ptr<store::recurate_scope> scope;
  if (!unchanged) {
    scope = built_with_ ? curation::reload_scope(*built_with_, *j->next) : nullptr;
    const bool incremental = scope != nullptr;
    j->phases.push_back({-1, j->next, j->previous, std::move(scope)});
    std::lock_guard lock(mutex_);
    j->incremental = incremental;
  }
  const auto total = w.count_all_names();
  {
    std::lock_guard lock(mutex_);
    j->files_read = true;
    if (unchanged) j->incremental = true;
    j->names_total = total;
    j->hash = j->next->hash();
    j->rules = j->next->rules().rules.size();
  }
  read_views(j, w);
  if (j->phases.empty()) {
    const bool partial = !j->error.empty();
    d_.metrics.curation_reloads.with({partial ? "rejected" : "applied"}).inc();
    finish(j, {!partial, j->error, {}});
    spdlog::info("curation reloaded from {}: the rules are unchanged{}", d_.file.string(), partial ? "; " + j->error : "");
    return;
  }
  begin_phase(j, w);
}

void curation_reload::read_views(const std::shared_ptr<job>& j, store::writer& w) {
  if (!d_.views) return;
  auto& views = *d_.views;
  for (std::size_t i = 0; i < views.size(); ++i) {
    const auto& name = views.config_of(i).name;
    job::view_result result{name, "unchanged", {}};
    if (auto e = views.reload_tokens(i); !e.empty()) result.error = e + " (the old tokens stay)";
    auto loaded = load_view_rules(views.config_of(i), d_.now());
    if (auto* why = std::get_if<std::string>(&loaded)) {
      result.status = "rejected";
      result.error = *why;
    } else {
      auto next = std::get<std::shared_ptr<const curation::rules_curator>>(std::move(loaded));
      auto previous = views.rules(i).get();
      if (previous->hash() != next->hash() || w.view_needs_rebuild(name)) {
        auto scope = w.view_needs_rebuild(name) ? nullptr : curation::reload_scope(*previous, *next);
        j->phases.push_back({static_cast<int>(i), std::move(next), std::move(previous), std::move(scope)});
        result.status = "applied";
      }
    }
    std::lock_guard lock(mutex_);
    if (!result.error.empty()) j->error += (j->error.empty() ? "" : "; ") + ("view " + name + ": " + result.error);
    j->views.push_back(std::move(result));
  }
}

void curation_reload::begin_phase(const std::shared_ptr<job>& j, store::writer& w) {
  auto& p = j->phases[j->current];
  if (p.view < 0)
    w.set_curator(p.next);
  else
    w.set_view_rules(d_.views->config_of(static_cast<std::size_t>(p.view)).name, p.next);
  j->progress = {};
  step(j, w);
}

void curation_reload::step(const std::shared_ptr<job>& j, store::writer& w) {
  if (stopping_) return finish(j, {false, "the daemon is stopping; its next start rebuilds the view", {}, true});
  auto& p = j->phases[j->current];
  const std::string* view = p.view < 0 ? nullptr : &d_.views->config_of(static_cast<std::size_t>(p.view)).name;
  try {
    w.recurate_step(j->progress, p.scope.get(), d_.batch_names, d_.now(), view);
  } catch (const std::exception& e) {
    // The file was fine, the database failed (disk full, locked): this batch rolled back, the
    // earlier ones stay. Back to the previous rules, rebuilt whole if a batch had committed and
    // the database lets us (else the next write or start does it: needs_recurate()).
    if (view) {
      w.set_view_rules(*view, p.previous);
      try {
        (void)w.prepare_views(d_.now(), store::writer::unlisted_views::drop);
      } catch (const std::exception& again) {
        spdlog::error("curation reload: view {} is rebuilt at the next start: {}", *view, again.what());
      }
    } else {
      w.abandon_recurate();
      w.set_curator(p.previous);
      if (j->progress.started) {
        built_with_ = nullptr;
        try {
          (void)w.recurate(d_.now());
          built_with_ = p.previous;
        } catch (const std::exception& again) {
          spdlog::error("curation reload: the previous rules' view is rebuilt at the next write or start: {}",
                        again.what());
        }
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
    j->reported.counts += j->done_counts;
    j->reported.names_done += j->done_names;
  }
  if (!j->progress.done) {
    // To the back of the writer's queue: whatever was queued meanwhile (a sync page) goes first.
    (void)d_.writer.submit("curation reload", [this, j](store::writer& w) { step(j, w); });
    return;
  }
  if (view) {
    d_.views->rules(static_cast<std::size_t>(p.view)).set(p.next);
  } else {
    built_with_ = p.next;
    d_.rules.set(p.next);
  }
  j->done_counts += j->progress.counts;
  j->done_names += j->progress.names_done;
  if (++j->current < j->phases.size()) {
    (void)d_.writer.submit("curation reload", [this, j](store::writer& w) { begin_phase(j, w); });
    return;
  }
  const bool partial = !j->error.empty();
  d_.metrics.curation_reloads.with({partial ? "rejected" : "applied"}).inc();
  const auto& r = j->done_counts;
  const bool scoped = j->incremental;
  finish(j, {!partial, j->error, {}});  // first: whoever reads the log line then finds the job ended
  spdlog::info("curation reloaded from {}: {} rules, {} of {} names re-curated ({}), {} shown, {} hidden, "
               "{} curated, latest moved for {}{}",
               d_.file.string(), j->next->rules().rules.size(), r.names, j->done_names,
               scoped ? "the names the changed rules match" : "every name", r.shown, r.hidden, r.curated,
               r.latest_moved, partial ? "; " + j->error : "");
}

// Callers log after it, so that a log line about a job is never ahead of its status.
void curation_reload::finish(const std::shared_ptr<job>& j, api::reload_outcome out) {
  std::vector<std::promise<api::reload_outcome>> waiters;
  {
    std::lock_guard lock(mutex_);
    j->state = out.ok                                 ? "applied"
                : out.store_failed                     ? "failed"
                : j->files_read && !j->views.empty()   ? "partial"
                                                       : "rejected";
    j->error = out.error;
    j->finished_us = d_.now();
    out.body = render(*j);
    j->result = out;
    waiters.swap(j->waiters);
    j->phases.clear();
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
  if (!j.views.empty()) {
    w.key("views").begin_array();
    for (const auto& v : j.views) {
      w.begin_object().member("name", v.name).member("status", v.status);
      if (!v.error.empty()) w.member("error", v.error);
      w.end_object();
    }
    w.end_array();
  }
  if (!j.error.empty()) w.member("error", j.error);
  w.end_object();
  body += '\n';
  return body;
}

}  // namespace mirror::app
