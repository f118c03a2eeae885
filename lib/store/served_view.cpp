// The served view (0004_served_view.sql): the writer's half that turns mirrored rows into
// served rows through the curator, per name inside apply(), for every name in recurate(), and a
// batch of names per recurate_step().
#include <algorithm>
#include <map>
#include <set>

#include "store/precedence.hpp"
#include "store/row_columns.hpp"
#include "store/transaction.hpp"
#include "store/writer.hpp"

namespace mirror::store {

using detail::decode_row;

namespace {

bool same_served(const row& have, const served& want) {
  return have.data == want.data && have.source == want.source && have.curation == want.curation &&
         have.origin == want.origin && have.shadows == want.shadows;
}

}  // namespace

void writer::set_curator(std::shared_ptr<const curator> c) {
  curator_ = c ? std::move(c) : std::make_shared<identity_curator>();
}

void writer::set_sources(std::vector<std::string> order) {
  if (!order.empty()) sources_ = std::move(order);
}

std::string writer::view_hash() const { return view_hash(*curator_); }

std::string writer::view_hash(const curator& rules) const {
  if (sources_.size() == 1 && sources_.front() == "upstream") return rules.hash();
  std::string out = rules.hash() + ";sources";
  for (const auto& s : sources_) out += ":" + s;
  return out;
}

// What the stored hash says while recurate_step is under way: no curator's hash (a sha256 or
// ""), so any writer but the one stepping sees that the view needs a rebuild.
constexpr std::string_view rebuilding_marker = "rebuilding";

bool writer::needs_recurate() {
  const auto stored = state("curation.hash").value_or("");
  if (rebuilding_ && stored == rebuilding_marker) return false;  // recurate_step will finish it
  return stored != view_hash();
}

std::int64_t writer::count_all_names() {
  auto g = count_names_.run();
  return g.step() ? g.integer(0) : 0;
}

void writer::recurate_step(recurate_progress& p, const recurate_scope* scope, std::size_t max_names,
                           std::int64_t now_us, const std::string* view) {
  max_names = std::max<std::size_t>(max_names, 1);
  const view_spec* only = nullptr;
  for (const auto& v : views_)
    if (view && v.name == *view) only = &v;
  if (view && !only) throw std::invalid_argument("no such view: " + *view);
  const std::string hash_key = only ? "view." + only->name + ".hash" : "curation.hash";
  const curator& rules = only ? *only->rules : *curator_;
  transaction tx(conn_);
  std::int64_t seq = change_seq();
  const std::int64_t first_seq = seq;
  if (!p.started) set_state(hash_key, rebuilding_marker);
  std::vector<std::string> names;
  {
    auto g = names_after_.run();
    g.bind(1, std::string_view(p.after)).bind(2, static_cast<std::int64_t>(max_names));
    while (g.step()) names.emplace_back(g.text(0));
  }
  const bool last = names.size() < max_names;
  // The rules' own names (local servers), and a view's names it alone holds, in this step's
  // range; the last step takes the rest.
  const std::string bound = last ? std::string() : names.back();
  auto extra = rules.own_names();
  if (only)
    for (auto& n : view_tables_->names(only->name)) extra.push_back(std::move(n));
  else
    for (const auto& v : views_)
      for (auto& n : v.rules->own_names()) extra.push_back(std::move(n));
  for (auto& own : extra)
    if (own > p.after && (last || own < bound)) names.push_back(std::move(own));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  recurate_result counts;
  for (const auto& name : names) {
    if (scope && !scope->may_affect(name)) continue;  // no need to read its rows
    const auto picked = pick_source(mirrored_rows(name), sources_);
    if (scope && !scope->affects(name, picked.rows, now_us)) continue;
    if (only) {
      const auto root = served_rows(name);
      refresh_view(*only, name, picked, root, root, now_us, refresh_mode::recurate, &counts);
    } else {
      refresh_name(name, picked, now_us, seq, refresh_mode::recurate, &counts);
    }
    ++counts.names;
  }
  if (last) {
    set_state(hash_key, only ? view_hash(rules) : view_hash());
    prune_changes(now_us);
  }
  if (seq != first_seq) set_state("change_seq", std::to_string(seq));
  tx.commit();

  p.started = true;
  p.done = last;
  if (!names.empty()) p.after = names.back();
  p.names_done += names.size();
  p.counts += counts;
  p.counts.change_seq = seq;
  if (!only) rebuilding_ = !last;
  if (last && only) choose_view_storage(only->name);  // its own transaction, after the rebuild's
}

recurate_result writer::recurate(std::int64_t now_us) {
  recurate_result result;
  transaction tx(conn_);
  std::int64_t seq = change_seq();
  refresh_all(now_us, seq, result);
  set_state("change_seq", std::to_string(seq));
  prune_changes(now_us);
  tx.commit();
  rebuilding_ = false;
  result.change_seq = seq;
  return result;
}

void writer::refresh_all(std::int64_t now_us, std::int64_t& seq, recurate_result& counts) {
  std::set<std::string, std::less<>> names;
  {
    auto g = all_names_.run();
    while (g.step()) names.emplace(g.text(0));
  }
  for (auto& n : curator_->own_names()) names.insert(std::move(n));
  for (const auto& v : views_) {
    for (auto& n : v.rules->own_names()) names.insert(std::move(n));
    for (auto& n : view_tables_->names(v.name)) names.insert(std::move(n));
  }
  for (const auto& name : names) refresh_name(name, now_us, seq, refresh_mode::recurate, &counts);
  counts.names = names.size();  // every one recomputed
  set_state("curation.hash", view_hash());
}

namespace {
std::vector<row> rows_of(statement& query, std::string_view name) {
  std::vector<row> rows;
  auto g = query.run();
  g.bind(1, name);
  while (g.step()) rows.push_back(decode_row(g));
  return rows;
}
}  // namespace

std::vector<row> writer::served_rows(std::string_view name) { return rows_of(served_rows_, name); }

std::vector<row> writer::mirrored_rows(std::string_view name) { return rows_of(mirrored_rows_, name); }

void writer::remove_mirrored(std::string_view name, std::string_view version, std::string_view origin,
                             std::string_view bytes) {
  served_detach_.run().bind(1, name).bind(2, version).bind(3, bytes).bind(4, origin).exec();
  for (const auto& v : views_) view_tables_->detach(v.name, name, version, origin, bytes);
  remove_row_.run().bind(1, name).bind(2, version).bind(3, origin).exec();
}

void writer::refresh_name(std::string_view name, std::int64_t now_us, std::int64_t& seq,
                          refresh_mode mode, recurate_result* counts) {
  refresh_name(name, pick_source(mirrored_rows(name), sources_), now_us, seq, mode, counts);
}

void writer::refresh_name(std::string_view name, const picked_source& picked, std::int64_t now_us,
                          std::int64_t& seq, refresh_mode mode, recurate_result* counts) {
  const auto [before, after] = refresh_root(name, picked, now_us, seq, mode, counts);
  for (const auto& v : views_) refresh_view(v, name, picked, before, after, now_us, mode, nullptr);
  auto latest_of = [](const std::vector<row>& rows) -> const row* {
    for (const auto& r : rows)
      if (r.data.official.is_latest) return &r;
    return nullptr;
  };
  const row *was = latest_of(before), *is = latest_of(after);
  if (was == is || (was && is && was->data == is->data)) return;  // the entry would be the same
  catalog_->put(name, is);
}

std::pair<std::vector<row>, std::vector<row>> writer::refresh_root(std::string_view name, const picked_source& picked,
                                                                   std::int64_t now_us, std::int64_t& seq,
                                                                   refresh_mode mode, recurate_result* counts) {
  std::vector<row> have = served_rows(name);
  std::vector<row> now_rows;  // the root's rows after, as written
  const std::span<const row> mirrored = picked.rows;
  auto want = curator_->serve(name, mirrored, now_us);
  stamp_provenance(want, picked);
  std::map<std::string_view, const row*> old_by_version;
  std::optional<std::string> old_latest, new_latest;
  for (const auto& h : have) {
    old_by_version.emplace(h.data.version, &h);
    if (h.data.official.is_latest) old_latest = h.data.version;
  }
  for (auto& w : want) {
    auto it = old_by_version.find(w.data.version);
    if (w.mirror_owned_times && it != old_by_version.end()) keep_owned_times(w, it->second->data, now_us);
    if (w.data.official.is_latest) new_latest = w.data.version;
  }
  const bool recurating = mode == refresh_mode::recurate;

  std::set<std::string_view> wanted;
  for (const auto& w : want) wanted.insert(w.data.version);
  for (const auto& h : have) {
    if (wanted.count(h.data.version)) continue;
    served_delete_.run().bind(1, name).bind(2, std::string_view(h.data.version)).exec();
    record(++seq, now_us, name, std::string_view(h.data.version),
           recurating ? change_kind::hidden : change_kind::removed);
    if (counts) ++counts->hidden;
  }
  // Bytes equal to the mirrored row's are stored once (0006_served_bytes_shared.sql): NULL here.
  auto shares_mirrored_bytes = [&](const model::server_version& d) {
    return std::any_of(mirrored.begin(), mirrored.end(), [&](const row& m) {
      return m.data.version == d.version && m.data.server_json == d.server_json;
    });
  };
  auto write = [&](const served& w, std::int64_t first_seen_us, std::int64_t s) {
    const auto& o = w.data.official;
    auto g = served_upsert_.run();
    detail::bind_version(g, w.data, o);
    // A local server keeps its own bytes: it has no source row to share them with.
    const bool local = w.source == model::source::local;
    if (!local && shares_mirrored_bytes(w.data)) g.bind_null(3);
    g
        .bind(12, std::int64_t{o.is_latest ? 1 : 0})
        .bind(13, model::to_string(w.source))
        .bind(14, first_seen_us)
        .bind(15, now_us)
        .bind(16, s)
        .bind(17, w.curation)
        .bind(18, w.data.relayed_meta)
        .bind(20, w.shadows);
    if (local)
      g.bind_null(19);
    else
      g.bind(19, std::string_view(w.origin));
    g.exec();
    row& r = now_rows.emplace_back();
    r.data = w.data;
    r.source = w.source;
    r.first_seen_us = first_seen_us;
    r.last_changed_us = now_us;
    r.change_seq = s;
    r.origin = w.origin;
    r.shadows = w.shadows;
    r.curation = w.curation;
  };
  // The unique latest index allows one flagged row per name at every step, so the old flag is
  // cleared before any row is written; the old latest row is rewritten below either way.
  const bool latest_moves = old_latest != new_latest;
  if (latest_moves && old_latest && wanted.count(*old_latest))
    served_clear_latest_.run().bind(1, name).bind(2, seq).bind(3, now_us).exec();
  std::vector<std::pair<const served*, std::int64_t>> flag_only;  // row, first_seen_us
  for (const auto& w : want) {
    auto it = old_by_version.find(w.data.version);
    const row* old = it == old_by_version.end() ? nullptr : it->second;
    if (old && same_served(*old, w)) {
      now_rows.push_back(*old);
      continue;
    }
    if (old) {
      row flagged = *old;
      flagged.data.official.is_latest = w.data.official.is_latest;
      if (same_served(flagged, w)) {
        flag_only.emplace_back(&w, old->first_seen_us);  // covered by the latest_moved record
        continue;
      }
    }
    const auto kind = !old ? (recurating ? change_kind::shown : change_kind::added)
                      : old->data.official.status != w.data.official.status ? change_kind::status_changed
                      : recurating                                          ? change_kind::curated
                                                                            : change_kind::changed;
    if (counts) ++(kind == change_kind::shown ? counts->shown : counts->curated);
    record(++seq, now_us, name, std::string_view(w.data.version), kind);
    write(w, old ? old->first_seen_us : now_us, seq);
  }
  // A name that is no longer served at all needs no "no latest left" record beside its removals.
  if (latest_moves && !want.empty()) {
    ++seq;
    for (const auto& [w, first_seen_us] : flag_only) write(*w, first_seen_us, seq);
    record(seq, now_us, name, new_latest ? std::optional<std::string_view>(*new_latest) : std::nullopt,
           change_kind::latest_moved);
    if (counts) ++counts->latest_moved;
  } else {
    for (const auto& [w, first_seen_us] : flag_only) now_rows.push_back(*old_by_version.at(w->data.version));
  }
  return {std::move(have), std::move(now_rows)};
}

}  // namespace mirror::store
