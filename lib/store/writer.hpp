#pragma once
// The only read-write connection (docs/design-habits.md H7). Every change is one `apply` call = one
// BEGIN IMMEDIATE transaction: rows are inserted or updated by (name, version), `isLatest` is
// repaired for every touched name, and the change sequence advances, all or nothing.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/server_version.hpp"
#include "store/catalog_index.hpp"
#include "store/change.hpp"
#include "store/connection.hpp"
#include "store/curator.hpp"
#include "store/precedence.hpp"
#include "store/sync_state.hpp"
#include "store/statement.hpp"
#include "store/view_tables.hpp"

namespace mirror::store {

class bulk_apply;

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
  // Mirrored rows dropped: placeholder seed rows (apply_options::drop_seed_rows), and versions a
  // parent mirror no longer serves (replace_names, keep_only).
  std::size_t removed = 0;
  std::int64_t change_seq = 0;     // the sequence after this apply
  std::set<std::string> changed_names;  // names with an added or changed row
};

// What re-curating the served view changed.
struct recurate_result {
  std::size_t names = 0;   // names recomputed
  std::size_t shown = 0, hidden = 0, curated = 0, latest_moved = 0;
  std::int64_t change_seq = 0;  // the sequence after it
  recurate_result& operator+=(const recurate_result& o) {  // the counts; change_seq is the caller's
    names += o.names, shown += o.shown, hidden += o.hidden, curated += o.curated, latest_moved += o.latest_moved;
    return *this;
  }
};

// Where a stepwise rebuild (writer::recurate_step) is; starts default-constructed.
struct recurate_progress {
  std::string after;           // the last name looked at
  bool started = false, done = false;
  std::size_t names_done = 0;  // names looked at so far
  recurate_result counts;      // summed over the steps
};

// Extra work done inside the same transaction as the rows.
struct apply_options {
  // Sync state to set (its set fields): the sync watermark advances in the transaction that
  // completes a run, so it can never get ahead of the stored data (docs/design-habits.md H7).
  sync_state sync{};
  // The source whose rows these are (config `sources:`; "upstream" is the `upstream:` form);
  // "": the first configured source (imports, the seed, snapshots).
  std::string origin{};
  // Remove rows that came from the bundled first-start seed: they are placeholders (version
  // `0.0.1-seed`) that the upstream does not have, replaced by its data on the first full sync.
  bool drop_seed_rows = false;
  // A replica copies its parent's served view exactly (sync/replica.cpp): for each of these
  // names, the rows of this apply are all its versions now, and the others are removed.
  std::set<std::string, std::less<>> replace_names{};
  // After a full walk of a parent mirror: every mirrored row not listed is removed (what the
  // parent no longer serves). Null: nothing is removed.
  std::shared_ptr<const std::set<std::pair<std::string, std::string>, std::less<>>> keep_only{};
};

// A view (config `views:`, 0009_views.sql): a name and the rules that make its catalog from the
// same mirrored rows as the root's.
struct view_spec {
  std::string name;
  std::shared_ptr<const curator> rules;
};

// Where the root's and each view's change feeds are (the response cache's generations).
struct feed_positions {
  std::int64_t root = 0;
  std::vector<std::int64_t> views;  // in writer::set_views order
};

class writer {
 public:
  explicit writer(connection conn);
  static writer open(const std::filesystem::path& file);

  // Stores mirrored rows and refreshes the served view of every name they touch, in one
  // transaction. When the curator's hash differs from the one the served view was built with,
  // the whole view is rebuilt in that transaction too.
  apply_result apply(std::span<const incoming> rows, model::source source, std::int64_t now_us,
                     const apply_options& options = {});

  // The rules that turn mirrored rows into served rows; identity_curator until set. Takes
  // effect for the names the next apply touches; recurate() applies it everywhere.
  void set_curator(std::shared_ptr<const curator> c);
  // The configured sources, first wins (store/precedence.hpp); {"upstream"} until set. Part of
  // the view's identity: with another order, needs_recurate() is true.
  void set_sources(std::vector<std::string> order);
  const curator& current_curator() const { return *curator_; }
  // The configured views, each kept in step with the root from the next write on; prepare_views()
  // rebuilds those whose rules changed and deals with stored views not listed.
  void set_views(std::vector<view_spec> views);
  const std::vector<view_spec>& views() const { return views_; }
  // A reload's new rules for one view (a listed one); recurate_step(..., view) applies them.
  void set_view_rules(std::string_view view, std::shared_ptr<const curator> rules);
  // Rebuilds stale views, one transaction each; the names rebuilt. A view built for the first
  // time records nothing in its feed (it starts above every sequence used before). Views stored
  // but not listed are dropped by the daemon (`serve`, whose config they were removed from); any
  // other writer (`import`, `sync --once`) refuses with store::error naming them, since writing
  // without keeping them in step would show a view's hidden versions to its audience.
  enum class unlisted_views { drop, refuse };
  std::size_t prepare_views(std::int64_t now_us, unlisted_views unlisted = unlisted_views::refuse);
  bool view_needs_rebuild(std::string_view view);
  // Stores each view the cheaper way for what it now overrides (store/view_tables.hpp: overlay
  // or complete); after a sync run or a start, since new data can change which one is.
  void choose_views_storage();
  feed_positions positions();
  // True when the served view was built with other rules than the current curator's.
  bool needs_recurate();
  // Rebuilds the served view of every name (mirrored, served or the curator's own) in one
  // transaction and records the curator's hash.
  recurate_result recurate(std::int64_t now_us);
  // The same in bounded steps, so other writes run between them (a curation reload): each call
  // is one transaction over the next `max_names` names in byte order (mirrored, served or the
  // curator's own), recomputing those `scope` says may change (all of them without a scope).
  // From the first step to the last the stored hash says the view is being rebuilt: apply()
  // meanwhile refreshes only its own names, and a restart before the last step (another
  // writer) sees needs_recurate() and rebuilds everything. `p` advances only on commit.
  // `view`: rebuild that view only (its rules changed, the root's did not).
  void recurate_step(recurate_progress& p, const recurate_scope* scope, std::size_t max_names,
                     std::int64_t now_us, const std::string* view = nullptr);
  // Gives up the steps (one failed): needs_recurate() is true again until a rebuild completes.
  void abandon_recurate() { rebuilding_ = false; }
  // Mirrored, served and own names: what a stepwise rebuild walks.
  std::int64_t count_all_names();

  // Change-feed rows older than this (relative to apply's now_us) are pruned by apply.
  void set_change_retention(std::chrono::microseconds retention) { change_retention_ = retention; }

  bool empty();
  // Stored versions that did not come from the bundled seed (the snapshot import's size gate).
  std::int64_t count_non_seed_versions();
  // The change sequence as committed (the response cache's generation).
  std::int64_t change_seq();
  // This database's instance id (0007_replicas.sql), made anew when the row was deleted.
  std::string instance_id();
  // Throws store::error when a stored value is damaged.
  store::sync_state sync_state(std::string_view origin = "upstream");

  // Caps the database at `pages` pages (SQLite's max_page_count, clamped to the current size): a
  // write that needs more fails as on a full disk. Tests fill the "disk" with it.
  void set_page_limit(std::int64_t pages);

 private:
  std::optional<std::string> state(std::string_view key);
  void set_state(std::string_view key, std::string_view value);
  friend class bulk_apply;  // apply()'s transaction, split into chunks (store/bulk_apply.hpp)
  // What a batch says about one name's isLatest flag.
  struct name_hints {
    bool all_authoritative = true;
    std::optional<std::string> declared_latest{};  // an authoritative row with isLatest=true
    std::set<std::string> declared_not_latest{};   // authoritative rows with isLatest=false
  };
  enum class refresh_mode { apply, recurate };
  enum class apply_outcome { unchanged, source_only, changed };
  apply_outcome apply_one(const incoming& in, model::source source, std::string_view origin, std::int64_t now_us,
                          std::int64_t seq, apply_result& result);
  bool repair_latest(std::string_view name, std::string_view origin, const name_hints& hints, std::int64_t seq,
                     std::int64_t now_us);
  // Brings the served rows of `name` in line with the curator; records each change under
  // ++seq. Counts go to `counts` when given.
  void refresh_name(std::string_view name, std::int64_t now_us, std::int64_t& seq, refresh_mode mode,
                    recurate_result* counts);
  // The core: `picked` is the name's rows of the winning source (store/precedence.hpp).
  void refresh_name(std::string_view name, const picked_source& picked, std::int64_t now_us, std::int64_t& seq,
                    refresh_mode mode, recurate_result* counts);
  // The root's half of refresh_name: the name's root rows before and after.
  std::pair<std::vector<row>, std::vector<row>> refresh_root(std::string_view name, const picked_source& picked,
                                                             std::int64_t now_us, std::int64_t& seq,
                                                             refresh_mode mode, recurate_result* counts);
  // One view's rows of a name after the root's changed from `root_before` to `root_after`
  // (store/view_diff.hpp); counts go to `counts` when given.
  void refresh_view(const view_spec& v, std::string_view name, const picked_source& picked,
                    std::span<const row> root_before, std::span<const row> root_after, std::int64_t now_us,
                    refresh_mode mode, recurate_result* counts);
  std::vector<row> served_rows(std::string_view name);
  // A view's storage (0009): complete (every row it shows) or an overlay of the root's rows.
  bool view_is_complete(std::string_view view);
  void choose_view_storage(const std::string& view);
  std::vector<row> mirrored_rows(std::string_view name);
  // Drops one mirrored row (a served row sharing its bytes gets its own copy first, as in
  // apply_one); the caller refreshes the name.
  void remove_mirrored(std::string_view name, std::string_view version, std::string_view origin,
                       std::string_view bytes);
  void refresh_all(std::int64_t now_us, std::int64_t& seq, recurate_result& counts);
  // Drops change-feed rows past the retention, remembering the last sequence dropped.
  void prune_changes(std::int64_t now_us);
  void record(std::int64_t seq, std::int64_t now_us, std::string_view name,
              std::optional<std::string_view> version, change_kind kind);

  connection conn_;
  std::shared_ptr<const curator> curator_;
  std::vector<view_spec> views_;
  std::unique_ptr<view_tables> view_tables_;
  std::unique_ptr<catalog_index> catalog_;  // ranked search's entries, kept by refresh_name
  std::string view_hash(const curator& rules) const;
  std::vector<std::string> sources_{"upstream"};
  // The curator's hash, and the source order unless it is the one-upstream default: what the
  // stored 'curation.hash' must equal for the view to be current.
  std::string view_hash() const;
  statement get_, insert_, update_, touch_source_, name_rows_, clear_latest_, set_latest_, any_,
      get_state_, set_state_, drop_seed_, seed_rows_, record_change_, prune_changes_, last_pruned_, mirrored_rows_, remove_row_, all_keys_,
      served_rows_, served_upsert_, served_delete_, served_detach_, served_clear_latest_, all_names_, names_after_,
      count_names_;
  bool rebuilding_ = false;  // recurate_step is under way (the stored hash says so too)
  bool building_first_ = false;  // prepare_views builds a new view: no feed records
  std::chrono::microseconds change_retention_ = std::chrono::hours(24 * 30);
};

}  // namespace mirror::store
