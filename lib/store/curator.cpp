#include "store/curator.hpp"

#include "model/timestamp.hpp"

namespace mirror::store {

void keep_owned_times(served& w, const model::server_version& old, std::int64_t now_us) {
  w.data.official.published_at = old.official.published_at;
  if (w.data.official.status == old.official.status) w.data.official.status_changed_at = old.official.status_changed_at;
  w.data.official.updated_at =
      old.server_json == w.data.server_json ? old.official.updated_at : model::make_timestamp(now_us);
}

std::vector<served> identity_curator::serve(std::string_view, std::span<const row> mirrored,
                                            std::int64_t) const {
  std::vector<served> out;
  out.reserve(mirrored.size());
  for (const auto& r : mirrored) out.push_back({r.data, r.source, std::nullopt, false});
  return out;
}

}  // namespace mirror::store
