#include "store/bulk_apply.hpp"

#include <map>
#include <set>
#include <string>

#include <sqlite3.h>

#include "store/transaction.hpp"

namespace mirror::store {

struct bulk_apply::state {
  state(writer& w, model::source source, std::int64_t now_us, const apply_options& options)
      : w(w), tx(w.conn_), source(source), now_us(now_us), options(options) {}

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
  apply_result result;
};

bulk_apply::bulk_apply(writer& w, model::source source, std::int64_t now_us, const apply_options& options)
    : s_(std::make_unique<state>(w, source, now_us, options)) {
  auto& s = *s_;
  s.seq = w.change_seq();
  s.row_seq = s.seq + 1;
  if (options.drop_seed_rows) {
    // Names that lose rows get their flag repaired: an upstream latest that survives stands, a
    // seed row that held the flag is gone, so the rule picks among what is left.
    auto g = w.seed_rows_.run();
    while (g.step()) {
      s.touched.try_emplace(std::string(g.text(0)));
      s.stale.emplace(g.text(0));
    }
    auto d = w.drop_seed_.run();
    d.exec();
    s.result.removed = static_cast<std::size_t>(sqlite3_changes(w.conn_.handle()));
  }
}

bulk_apply::~bulk_apply() = default;

void bulk_apply::add(std::span<const incoming> rows) {
  auto& s = *s_;
  for (const auto& in : rows) {
    const auto outcome = s.w.apply_one(in, s.source, s.now_us, s.row_seq, s.result);
    if (outcome == writer::apply_outcome::changed) s.result.changed_names.insert(in.data.name);
    if (outcome != writer::apply_outcome::unchanged) s.stale.insert(in.data.name);
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
  for (const auto& [name, hints] : s.touched)
    if (w.repair_latest(name, hints, s.row_seq, s.now_us)) {
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
  w.prune_changes_.run().bind(1, s.now_us - w.change_retention_.count()).exec();
  detail::write_sync_state(w.set_state_, s.options.sync);
  s.tx.commit();
  s.result.change_seq = s.seq;
  return std::move(s.result);
}

}  // namespace mirror::store
