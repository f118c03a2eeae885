// The writer's half of views (0009_views.sql): which views exist, their rebuilds, and one view's
// refresh of a name after the root's (the diff itself is store/view_diff.cpp).
#include <algorithm>
#include <stdexcept>

#include "store/change_seq.hpp"
#include "store/error.hpp"
#include "store/precedence.hpp"
#include "store/transaction.hpp"
#include "store/writer.hpp"

namespace mirror::store {

namespace {
std::string seq_key(std::string_view view) { return "view." + std::string(view) + ".seq"; }
std::string hash_key(std::string_view view) { return "view." + std::string(view) + ".hash"; }
std::string mode_key(std::string_view view) { return "view." + std::string(view) + ".mode"; }
}  // namespace

void writer::set_views(std::vector<view_spec> views) {
  for (auto& v : views)
    if (!v.rules) v.rules = std::make_shared<identity_curator>();
  views_ = std::move(views);
}

void writer::set_view_rules(std::string_view view, std::shared_ptr<const curator> rules) {
  for (auto& v : views_)
    if (v.name == view) {
      v.rules = rules ? std::move(rules) : std::make_shared<identity_curator>();
      return;
    }
  throw std::invalid_argument("no such view: " + std::string(view));
}

bool writer::view_needs_rebuild(std::string_view view) {
  for (const auto& v : views_)
    if (v.name == view) return state(hash_key(view)) != view_hash(*v.rules);
  return false;
}

std::size_t writer::prepare_views(std::int64_t now_us, unlisted_views unlisted) {
  std::size_t rebuilt = 0;
  // A view's sequence is its pages' generation (their ETags): a view made again under an old
  // name starts above every sequence any view or the root ever had, so no tag is reused.
  constexpr std::string_view high_key = "views.seq_high";
  auto seq_high = [&] {
    std::int64_t high = std::max(change_seq(), stored_integer(high_key, state(high_key).value_or("0")));
    for (const auto& v : views_) high = std::max(high, stored_integer(seq_key(v.name), state(seq_key(v.name)).value_or("0")));
    return high;
  };
  auto drop = [&](const std::string& view) {
    const auto high = std::max(seq_high(), stored_integer(seq_key(view), state(seq_key(view)).value_or("0")));
    transaction tx(conn_);
    view_tables_->drop(view);
    set_state(high_key, std::to_string(high));
    tx.commit();
  };
  std::vector<std::string> unlisted_names;
  for (auto& stored : view_tables_->stored_views()) {
    const bool listed = std::any_of(views_.begin(), views_.end(), [&](const view_spec& v) { return v.name == stored; });
    if (!listed) unlisted_names.push_back(std::move(stored));
  }
  if (!unlisted_names.empty() && unlisted == unlisted_views::refuse) {
    std::string list;
    for (const auto& n : unlisted_names) list += (list.empty() ? "" : ", ") + n;
    throw error("the database serves views the config does not list (" + list +
                "): run this with the daemon's config, or remove the views from it and restart `serve`");
  }
  for (const auto& stored : unlisted_names) drop(stored);
  for (const auto& v : views_) {
    if (!view_needs_rebuild(v.name)) continue;
    // A view built for the first time starts its feed empty; one whose rules changed while the
    // daemon was down records what they changed, as a reload would.
    const bool first = !state(hash_key(v.name));
    if (first) drop(v.name);
    const std::int64_t start = first ? seq_high() + 1 : 0;
    recurate_progress p;
    do {
      building_first_ = first;
      try {
        recurate_step(p, nullptr, 1u << 30, now_us, &v.name);
      } catch (...) {
        building_first_ = false;
        throw;
      }
      building_first_ = false;
    } while (!p.done);
    if (first) {
      transaction tx(conn_);
      set_state(seq_key(v.name), std::to_string(start));
      tx.commit();
    }
    rebuilt += p.names_done;
  }
  choose_views_storage();
  return rebuilt;
}

bool writer::view_is_complete(std::string_view view) { return state(mode_key(view)) == "complete"; }

// After a view's rebuild: an overlay whose rows override more than half of the root's is read
// slowly (a page walks the root's rows past the overridden ones), so the view becomes complete;
// a complete view that would override fewer than a quarter goes back to an overlay (the gap
// keeps a view near one threshold from switching at every rebuild).
void writer::choose_view_storage(const std::string& view) {
  transaction tx(conn_);
  const bool complete = view_is_complete(view);
  const auto stats = view_tables_->overlay_stats(view, complete);
  if (!complete && 2 * stats.overridden > stats.root_rows) {
    view_tables_->make_complete(view);
    set_state(mode_key(view), "complete");
  } else if (complete && 4 * stats.overridden < stats.root_rows) {
    view_tables_->make_overlay(view);
    set_state(mode_key(view), "overlay");
  } else {
    return;
  }
  tx.commit();
}

void writer::choose_views_storage() {
  for (const auto& v : views_) choose_view_storage(v.name);
}

feed_positions writer::positions() {
  feed_positions out;
  out.root = change_seq();
  for (const auto& v : views_)
    out.views.push_back(stored_integer(seq_key(v.name), state(seq_key(v.name)).value_or("0")));
  return out;
}

void writer::refresh_view(const view_spec& v, std::string_view name, const picked_source& picked,
                          std::span<const row> root_before, std::span<const row> root_after, std::int64_t now_us,
                          refresh_mode mode, recurate_result* counts) {
  const auto delta = view_tables_->delta(v.name, name);
  // A complete view holds every row it shows (store/view_tables.hpp); an overlay, its differences.
  const bool complete = view_is_complete(v.name);
  std::vector<row> before;
  if (complete) {
    for (const auto& d : delta)
      if (d.shown) before.push_back(*d.shown);
  } else {
    before = overlay_view({root_before.begin(), root_before.end()}, delta);
  }
  auto want = v.rules->serve(name, picked.rows, now_us);
  stamp_provenance(want, picked);
  const auto key = seq_key(v.name);
  std::int64_t seq = stored_integer(key, state(key).value_or("0"));
  const std::int64_t first_seq = seq;
  auto d = diff_view_name(before, std::move(want), root_after, mode == refresh_mode::recurate, now_us, seq);
  if (complete) {
    d.delta.clear();
    for (const auto& r : d.rows) d.delta.push_back({r.data.version, r});
    std::sort(d.delta.begin(), d.delta.end(),
              [](const view_delta_row& a, const view_delta_row& b) { return a.version < b.version; });
  }
  if (!building_first_)
    for (const auto& r : d.records) view_tables_->record(v.name, now_us, name, r);
  if (d.delta != delta) view_tables_->rewrite(v.name, name, delta, d.delta, picked.rows);
  if (seq != first_seq && !building_first_) set_state(key, std::to_string(seq));
  if (counts) {
    counts->shown += d.shown;
    counts->hidden += d.hidden;
    counts->curated += d.curated;
    counts->latest_moved += d.latest_moved;
  }
}

}  // namespace mirror::store
