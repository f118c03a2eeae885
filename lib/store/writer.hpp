#pragma once
// The only read-write connection (design-anchors H7). Every change is one `apply` call = one
// BEGIN IMMEDIATE transaction: rows are inserted or updated by (name, version), `isLatest` is
// repaired for every touched name, and the change sequence advances, all or nothing.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/server_version.hpp"
#include "store/connection.hpp"
#include "store/statement.hpp"

namespace mirror::store {

// What a row of the change feed (table `changes`, 0003_changes.sql) says happened. An open set:
// stored as text, so kinds can be added without a migration (curation and local-server kinds
// will come with curation rules).
enum class change_kind {
  added,           // a new (name, version)
  changed,         // its bytes or official block changed, status unchanged
  status_changed,  // its status value changed (active / deprecated / deleted)
  latest_moved,    // the name's isLatest flag moved to `version` (none: no latest left)
  removed,         // the row was dropped (bundled seed placeholders)
};
std::string_view to_string(change_kind k);

// One row of the change feed.
struct change {
  std::int64_t seq = 0;
  std::int64_t at_us = 0;
  std::string name;
  std::optional<std::string> version;
  std::string kind;  // to_string(change_kind) of the binary that wrote it
};

struct incoming {
  model::server_version data;
  // True when `data.official` is the upstream's own block (a sync page, a `{server, _meta}`
  // file): its status, timestamps and isLatest are taken as given. False for bare server.json
  // imports: an existing row keeps its official block (only the bytes may change, bumping
  // updatedAt), a new one gets the caller's made-up block, and isLatest is decided by the
  // upstream's rule (model::pick_latest).
  bool authoritative = false;
};

struct apply_result {
  std::size_t added = 0;
  std::size_t changed = 0;         // bytes or official block differed
  std::size_t unchanged = 0;
  std::size_t status_changes = 0;  // existing rows whose status value changed
  std::size_t latest_moved = 0;    // names whose isLatest row changed
  std::size_t removed = 0;         // placeholder seed rows dropped (apply_options::drop_seed_rows)
  std::int64_t change_seq = 0;     // the sequence after this apply
  std::set<std::string> changed_names;  // names with an added or changed row
};

// Extra work done inside the same transaction as the rows.
struct apply_options {
  // mirror_state keys to set: the sync watermark advances in the transaction that completes a
  // run, so it can never get ahead of the stored data (design-anchors H7).
  std::vector<std::pair<std::string, std::string>> state;
  // Remove rows that came from the bundled first-start seed: they are placeholders (version
  // `0.0.1-seed`) that the upstream does not have, replaced by its data on the first full sync.
  bool drop_seed_rows = false;
};

class writer {
 public:
  explicit writer(connection conn);
  static writer open(const std::filesystem::path& file);

  apply_result apply(std::span<const incoming> rows, model::source source, std::int64_t now_us,
                     const apply_options& options = {});

  // Change-feed rows older than this (relative to apply's now_us) are pruned by apply.
  void set_change_retention(std::chrono::microseconds retention) { change_retention_ = retention; }

  bool empty();
  std::optional<std::string> state(std::string_view key);
  void set_state(std::string_view key, std::string_view value);

  connection& conn() { return conn_; }

 private:
  struct name_hints;
  bool apply_one(const incoming& in, model::source source, std::int64_t now_us, std::int64_t seq,
                 apply_result& result);
  bool repair_latest(std::string_view name, const name_hints& hints, std::int64_t seq,
                     std::int64_t now_us);
  void record(std::int64_t seq, std::int64_t now_us, std::string_view name,
              std::optional<std::string_view> version, change_kind kind);

  connection conn_;
  statement get_, insert_, update_, touch_source_, name_rows_, clear_latest_, set_latest_, any_,
      get_state_, set_state_, drop_seed_, seed_rows_, record_change_, prune_changes_;
  std::chrono::microseconds change_retention_ = std::chrono::hours(24 * 30);
};

}  // namespace mirror::store
