#pragma once
// What the writer asks to turn mirrored rows into served rows (0004_served_view.sql). The store
// knows nothing of rules: lib/app adapts lib/curation to this interface, and without one the
// served view is the mirrored data as is (identity_curator).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/server_version.hpp"
#include "store/row.hpp"

namespace mirror::store {

// One served version as the curator decides it; the writer adds the bookkeeping columns.
struct served {
  model::server_version data;  // bytes and official block as served (isLatest resolved)
  model::source source = model::source::upstream;
  std::optional<std::string> curation;  // `_meta["<namespace>/curation"]` object, JSON text
  // True for local servers without their own official block: the mirror owns their timestamps,
  // so the writer keeps publishedAt from the first time it served them and bumps updatedAt only
  // when their bytes change.
  bool mirror_owned_times = false;
  // Set by the writer after the curator (store/precedence.hpp): the source shown ("" for local
  // servers) and the sources it shadows (JSON array text).
  std::string origin{};
  std::optional<std::string> shadows{};
};

// A local server without its own official block keeps the publish time it was first served with
// (`old`), and its updatedAt moves only when its bytes change: used wherever served rows are
// recomputed (the root's and each view's).
void keep_owned_times(served& w, const model::server_version& old, std::int64_t now_us);

class curator {
 public:
  virtual ~curator() = default;
  // Every served version of `name` given every mirrored row of it (any order, possibly none).
  // Pure: the same inputs and now_us give the same output.
  virtual std::vector<served> serve(std::string_view name, std::span<const row> mirrored,
                                    std::int64_t now_us) const = 0;
  // Names that exist apart from the mirrored data (local servers), sorted.
  virtual std::vector<std::string> own_names() const = 0;
  // Identifies the rules: the writer re-curates everything when it differs from the hash the
  // served view was built with (mirror_state 'curation.hash'). "" for no rules.
  virtual std::string hash() const = 0;
  // True when serve() depends on now_us (rules on publishedAt age).
  virtual bool time_dependent() const = 0;
};

// Which names a change of curator can serve differently: a reload recomputes only those
// (writer::recurate_step). lib/curation builds it from the old and new rules (reload_scope).
class recurate_scope {
 public:
  virtual ~recurate_scope() = default;
  // From the name alone: false when the view of `name` is the same under both curators whatever
  // its rows, so the writer need not even read them (a rule on names or namespaces).
  virtual bool may_affect(std::string_view name) const = 0;
  // False only when the served view of `name` (its mirrored rows given) is the same under both
  // curators; true when it may differ.
  virtual bool affects(std::string_view name, std::span<const row> mirrored, std::int64_t now_us) const = 0;
};

// The served view without rules: every mirrored row as it is.
class identity_curator final : public curator {
 public:
  std::vector<served> serve(std::string_view name, std::span<const row> mirrored,
                            std::int64_t now_us) const override;
  std::vector<std::string> own_names() const override { return {}; }
  std::string hash() const override { return {}; }
  bool time_dependent() const override { return false; }
};

}  // namespace mirror::store
