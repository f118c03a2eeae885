#include "store/bulk_apply.hpp"

#include <array>
#include <map>
#include <set>
#include <string>

#include <sqlite3.h>

#include "store/transaction.hpp"

namespace mirror::store {

struct bulk_apply::state {
  state(writer& w, model::source source, std::int64_t now_us, const apply_options& options)
      : w(w), tx(w.conn_), source(source), now_us(now_us), options(options) {
    if (this->options.origin.empty()) this->options.origin = w.sources_.front();
  }

  writer& w;
  transaction tx;
  model::source source;
  std::int64_t now_us;
  apply_options options;
  std::int64_t seq = 0;
  // Mirrored rows carry the sequence of the apply that last changed them (bookkeeping only: the
  // change feed and the served rows get their own numbers from refresh_name).
  std::int64_t row_seq = 0;
  std::map<std::string, writer::name_hints, std::less<>> touched;
  // Names whose mirrored rows changed in any way: only their served rows can differ (the rules
  // did not change, or refresh_all rebuilds everything), so only they are refreshed.
  std::set<std::string, std::less<>> stale;
  // options.replace_names: the versions of each that this apply brought.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> replaced;
  apply_result result;

  void removed(std::string_view name) {
    ++result.removed;
    touched.try_emplace(std::string(name));
    stale.emplace(name);
  }
  // The parent's view is exact: rows it no longer serves go (replace_names, keep_only).
  void remove_unlisted();
};

void bulk_apply::state::remove_unlisted() {
  for (const auto& name : options.replace_names) {
    const auto& keep = replaced[name];
    for (const auto& r : w.mirrored_rows(name)) {
      if (r.origin != options.origin || keep.count(r.data.version)) continue;
      w.remove_mirrored(name, r.data.version, r.origin, r.data.server_json);
      removed(name);
    }
  }
  if (!options.keep_only) return;
  // Keys only: a full walk lists nearly every row, and only the few doomed ones need their bytes.
  std::vector<std::pair<std::string, std::string>> doomed;
  {
    auto g = w.all_keys_.run();
    g.bind(1, std::string_view(options.origin));
    while (g.step()) {
      std::pair<std::string, std::string> key{std::string(g.text(0)), std::string(g.text(1))};
      if (!options.keep_only->count(key)) doomed.push_back(std::move(key));
    }
  }
  for (const auto& [name, version] : doomed) {
    for (const auto& r : w.mirrored_rows(name))
      if (r.origin == options.origin && r.data.version == version)
        w.remove_mirrored(name, version, options.origin, r.data.server_json);
    removed(name);
  }
}

bulk_apply::bulk_apply(writer& w, model::source source, std::int64_t now_us, const apply_options& options)
    : s_(std::make_unique<state>(w, source, now_us, options)) {
  auto& s = *s_;
  s.seq = w.change_seq();
  s.row_seq = s.seq + 1;
  if (options.drop_seed_rows) {
    // Names that lose rows get their flag repaired: an upstream latest that survives stands, a
    // seed row that held the flag is gone, so the rule picks among what is left.
    auto g = w.seed_rows_.run();
    g.bind(1, std::string_view(s.options.origin));
    while (g.step()) {
      s.touched.try_emplace(std::string(g.text(0)));
      s.stale.emplace(g.text(0));
    }
    auto d = w.drop_seed_.run();
    d.bind(1, std::string_view(s.options.origin));
    d.exec();
    s.result.removed = static_cast<std::size_t>(sqlite3_changes(w.conn_.handle()));
  }
}

bulk_apply::~bulk_apply() = default;

void bulk_apply::add(std::span<const incoming> rows) {
  auto& s = *s_;
  for (const auto& in : rows) {
    const auto outcome = s.w.apply_one(in, s.source, s.options.origin, s.now_us, s.row_seq, s.result);
    if (outcome == writer::apply_outcome::changed) s.result.changed_names.insert(in.data.name);
    if (outcome != writer::apply_outcome::unchanged) s.stale.insert(in.data.name);
    if (s.options.replace_names.count(in.data.name)) s.replaced[in.data.name].insert(in.data.version);
    auto& hints = s.touched[in.data.name];
    if (!in.authoritative) {
      hints.all_authoritative = false;
    } else if (in.data.official.is_latest) {
      hints.declared_latest = in.data.version;
    } else {
      hints.declared_not_latest.insert(in.data.version);
    }
  }
}

apply_result bulk_apply::commit() {
  auto& s = *s_;
  auto& w = s.w;
  s.remove_unlisted();
  for (const auto& [name, hints] : s.touched)
    if (w.repair_latest(name, s.options.origin, hints, s.row_seq, s.now_us)) {
      ++s.result.latest_moved;
      s.stale.insert(name);
    }
  if (w.needs_recurate()) {
    recurate_result ignored;
    w.refresh_all(s.now_us, s.seq, ignored);
  } else {
    for (const auto& name : s.stale) w.refresh_name(name, s.now_us, s.seq, writer::refresh_mode::apply, nullptr);
  }
  w.set_state("change_seq", std::to_string(s.seq));
  w.prune_changes(s.now_us);
  detail::write_sync_state(w.set_state_, s.options.origin, s.options.sync);
  s.tx.commit();
  s.result.change_seq = s.seq;
  return std::move(s.result);
}

}  // namespace mirror::store
