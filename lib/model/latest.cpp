#include "model/latest.hpp"

#include "model/version_order.hpp"

namespace mirror::model {

std::optional<std::size_t> pick_latest(std::span<const latest_candidate> candidates) {
  // Two passes of the same "running maximum" scan: first over live versions only; only when
  // there is none does a deleted version keep the flag (upstream's recalculation after a
  // status change). `>= 0` lets a later candidate win a tie, like a later publish upstream.
  auto best_of = [&](bool want_deleted) -> std::optional<std::size_t> {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const latest_candidate& c = candidates[i];
      if (c.deleted != want_deleted) continue;
      if (!best || compare_versions(c.version, c.published_us, candidates[*best].version,
                                    candidates[*best].published_us) >= 0)
        best = i;
    }
    return best;
  };
  if (auto live = best_of(false)) return live;
  return best_of(true);
}

}  // namespace mirror::model
