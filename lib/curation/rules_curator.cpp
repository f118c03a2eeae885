#include "curation/rules_curator.hpp"

#include "store/precedence.hpp"

#include <stdexcept>

#include "curation/explain.hpp"
#include "curation/parse.hpp"

namespace mirror::curation {

rules_curator::rules_curator(rule_set rules, local_catalog locals)
    : rules_(std::move(rules)), locals_(std::move(locals)) {}

name_view rules_curator::view(std::string_view name, std::span<const store::row> mirrored,
                                        std::int64_t now_us) const {
  std::vector<input_version> inputs;
  // A local server shadows the mirrored versions of its name entirely.
  if (auto it = locals_.by_name.find(name); it != locals_.by_name.end()) {
    inputs = it->second;
  } else {
    inputs.reserve(mirrored.size());
    for (const auto& r : mirrored) inputs.push_back({r.data, r.source, false});
  }
  return curate_name(rules_, std::move(inputs), now_us);
}

std::vector<store::served> rules_curator::serve(std::string_view name, std::span<const store::row> mirrored,
                                                std::int64_t now_us) const {
  auto v = view(name, mirrored, now_us);
  std::vector<store::served> out;
  out.reserve(v.versions.size());
  for (auto& c : v.versions)
    if (c.visible)
      out.push_back({std::move(c.served), c.in.source, std::move(c.curation_json), c.in.mirror_owned_times});
  return out;
}

std::optional<std::string> rules_curator::explain(store::reader& db, std::string_view name,
                                                  std::optional<std::string_view> version,
                                                  std::int64_t now_us, std::span<const std::string> sources) const {
  const auto picked = store::pick_source(db.mirrored_versions(name), sources);
  const auto v = view(name, picked.rows, now_us);
  if (v.versions.empty()) return std::nullopt;
  return render_explain(rules_, v, name, version, {&picked, sources});
}

std::vector<std::string> rules_curator::own_names() const {
  std::vector<std::string> names;
  for (const auto& [name, versions] : locals_.by_name) names.push_back(name);
  return names;
}

std::variant<std::shared_ptr<const rules_curator>, std::string> load_curator(
    const std::filesystem::path& curation_file, std::int64_t now_us) {
  if (curation_file.empty())
    return std::make_shared<const rules_curator>(rule_set{}, local_catalog{});
  auto loaded = load(curation_file);
  if (auto* e = std::get_if<util::file_error>(&loaded)) return e->to_string();
  auto& rules = std::get<rule_set>(loaded);
  auto locals = decode_local(rules, now_us);
  if (auto* e = std::get_if<std::string>(&locals)) return *e;
  return std::make_shared<const rules_curator>(std::move(rules), std::move(std::get<local_catalog>(locals)));
}

}  // namespace mirror::curation
