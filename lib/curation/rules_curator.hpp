#pragma once
// lib/curation behind the store's curator interface: the rule set plus its decoded local
// servers, immutable. The daemon swaps whole instances on reload (curation_state).
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

#include "curation/local_servers.hpp"
#include "curation/rules.hpp"
#include "store/curator.hpp"
#include "store/reader.hpp"

namespace mirror::curation {

class rules_curator final : public store::curator {
 public:
  rules_curator(rule_set rules, local_catalog locals);

  std::vector<store::served> serve(std::string_view name, std::span<const store::row> mirrored,
                                   std::int64_t now_us) const override;
  std::vector<std::string> own_names() const override;
  std::string hash() const override { return rules_.hash; }
  bool time_dependent() const override { return rules_.time_dependent(); }

  // The whole view of one name (for explain and dry runs).
  name_view view(std::string_view name, std::span<const store::row> mirrored,
                           std::int64_t now_us) const;
  const rule_set& rules() const { return rules_; }

  // The explain document of `name` (render_explain) over the mirrored rows `db` holds of the
  // first of `sources` that has the name (store::pick_source); nullopt when neither the mirror nor
  // the local servers have the name (or that version).
  std::optional<std::string> explain(store::reader& db, std::string_view name,
                                     std::optional<std::string_view> version, std::int64_t now_us,
                                     std::span<const std::string> sources) const;

 private:
  rule_set rules_;
  local_catalog locals_;
};

// The curator for a config: its curation_file loaded and checked (local servers decoded), or
// the no-rules curator when none is set. An error is "file:line:column: key: message" (or
// "origin: entry N: reason" for a local server).
std::variant<std::shared_ptr<const rules_curator>, std::string> load_curator(
    const std::filesystem::path& curation_file, std::int64_t now_us);

// The rules in force, swapped whole on reload; read by request threads (explain).
class curation_state {
 public:
  explicit curation_state(std::shared_ptr<const rules_curator> c) : current_(std::move(c)) {}
  std::shared_ptr<const rules_curator> get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void set(std::shared_ptr<const rules_curator> c) {
    std::lock_guard lock(mutex_);
    current_ = std::move(c);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const rules_curator> current_;
};

}  // namespace mirror::curation
