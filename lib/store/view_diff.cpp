#include "store/view_diff.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>


namespace mirror::store {

bool same_content(const row& a, const row& b) {
  return a.data == b.data && a.source == b.source && a.curation == b.curation && a.origin == b.origin &&
         a.shadows == b.shadows;
}

namespace {

row as_row(served&& w) {
  row r;
  r.data = std::move(w.data);
  r.source = w.source;
  r.curation = std::move(w.curation);
  r.origin = std::move(w.origin);
  r.shadows = std::move(w.shadows);
  return r;
}

// Equal but for the isLatest flag: such a change is told by the name's latest_moved record.
bool flag_only(const row& old, const row& now) {
  row flipped = old;
  flipped.data.official.is_latest = now.data.official.is_latest;
  return same_content(flipped, now);
}

}  // namespace

view_name_diff diff_view_name(std::span<const row> before, std::vector<served> want, std::span<const row> root,
                              bool recurating, std::int64_t now_us, std::int64_t& seq) {
  view_name_diff out;
  std::map<std::string_view, const row*> old_by_version, root_by_version;
  std::optional<std::string> old_latest, new_latest;
  for (const auto& b : before) {
    old_by_version.emplace(b.data.version, &b);
    if (b.data.official.is_latest) old_latest = b.data.version;
  }
  for (const auto& r : root) root_by_version.emplace(r.data.version, &r);
  for (auto& w : want) {
    auto it = old_by_version.find(w.data.version);
    if (w.mirror_owned_times && it != old_by_version.end()) keep_owned_times(w, it->second->data, now_us);
    if (w.data.official.is_latest) new_latest = w.data.version;
  }
  std::set<std::string> wanted;
  for (const auto& w : want) wanted.insert(w.data.version);
  for (const auto& b : before) {
    if (wanted.count(b.data.version)) continue;
    out.records.push_back({++seq, b.data.version, recurating ? change_kind::hidden : change_kind::removed});
    ++out.hidden;
  }
  const bool latest_moves = old_latest != new_latest;
  std::vector<std::size_t> flagged;  // own rows whose only change is the flag: the latest record's seq
  for (auto& w : want) {
    row next = as_row(std::move(w));
    const auto version = next.data.version;
    const auto old_it = old_by_version.find(version);
    const row* old = old_it == old_by_version.end() ? nullptr : old_it->second;
    const auto root_it = root_by_version.find(version);
    const row* from_root = root_it == root_by_version.end() ? nullptr : root_it->second;
    const bool inherits = from_root && same_content(*from_root, next);
    if (inherits) {
      next = *from_root;  // the root's row, its change time included
    } else if (old && same_content(*old, next)) {
      next = *old;  // the view's own row, unchanged
    }
    const bool unchanged = old && same_content(*old, next) && old->last_changed_us == next.last_changed_us;
    if (unchanged) {
      out.rows.push_back(std::move(next));
      continue;
    }
    const bool by_flag = old && latest_moves && flag_only(*old, next);
    if (!inherits) {
      next.first_seen_us = old ? old->first_seen_us : now_us;
      next.last_changed_us = now_us;
      next.change_seq = by_flag ? 0 : seq + 1;  // the flag's: set with the latest record below
    }
    if (by_flag) {
      if (!inherits) flagged.push_back(out.rows.size());
      out.rows.push_back(std::move(next));
      continue;
    }
    const auto kind = !old ? (recurating ? change_kind::shown : change_kind::added)
                      : old->data.official.status != next.data.official.status ? change_kind::status_changed
                      : recurating                                            ? change_kind::curated
                                                                              : change_kind::changed;
    ++(kind == change_kind::shown ? out.shown : out.curated);
    out.records.push_back({++seq, version, kind});
    out.rows.push_back(std::move(next));
  }
  // A name no longer shown at all needs no "no latest left" record beside its removals.
  if (latest_moves && !out.rows.empty()) {
    ++seq;
    for (const auto i : flagged) out.rows[i].change_seq = seq;
    out.records.push_back({seq, new_latest, change_kind::latest_moved});
    ++out.latest_moved;
  }
  for (const auto& r : out.rows) {
    const auto it = root_by_version.find(r.data.version);
    const bool is_roots = it != root_by_version.end() && same_content(*it->second, r) &&
                          it->second->last_changed_us == r.last_changed_us;
    if (!is_roots) out.delta.push_back({r.data.version, r});
  }
  for (const auto& r : root)
    if (!wanted.count(r.data.version)) out.delta.push_back({r.data.version, std::nullopt});
  std::sort(out.delta.begin(), out.delta.end(),
            [](const view_delta_row& a, const view_delta_row& b) { return a.version < b.version; });
  return out;
}

std::vector<row> overlay_view(std::vector<row> root, std::span<const view_delta_row> delta) {
  std::map<std::string_view, const view_delta_row*> by_version;
  for (const auto& d : delta) by_version.emplace(d.version, &d);
  std::vector<row> out;
  out.reserve(root.size() + delta.size());
  std::set<std::string_view> seen;
  for (auto& r : root) {
    const auto it = by_version.find(r.data.version);
    if (it == by_version.end()) {
      out.push_back(std::move(r));
      continue;
    }
    seen.insert(it->first);
    if (it->second->shown) out.push_back(*it->second->shown);
  }
  for (const auto& d : delta)
    if (d.shown && !seen.count(d.version)) out.push_back(*d.shown);
  return out;
}

}  // namespace mirror::store
