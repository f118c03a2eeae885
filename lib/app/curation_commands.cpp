#include "app/curation_commands.hpp"

#include <map>
#include <ostream>
#include <set>

#include <fmt/format.h>

#include "app/admin_token.hpp"
#include "app/view_set.hpp"
#include "app/mirror_app.hpp"
#include "curation/rules_curator.hpp"
#include "store/precedence.hpp"
#include "store/reader.hpp"

namespace mirror::app {
namespace {

std::shared_ptr<const curation::rules_curator> curator_or_report(const std::filesystem::path& file, std::ostream& err,
                                                       std::int64_t now_us) {
  auto loaded = curation::load_curator(file, now_us);
  if (auto* e = std::get_if<std::string>(&loaded)) {
    err << "mcp-mirror: curation error: " << *e << "\n";
    return nullptr;
  }
  return std::get<std::shared_ptr<const curation::rules_curator>>(loaded);
}

bool has_database(const config::mirror_config& cfg, std::ostream& err) {
  if (std::filesystem::exists(database_path(cfg.data_dir))) return true;
  err << "mcp-mirror: no mirror database at " << database_path(cfg.data_dir).string() << "\n";
  return false;
}

// One served version as the dry run compares it.
struct served_key {
  std::string bytes, official, curation;
  bool latest = false;
  friend bool operator==(const served_key&, const served_key&) = default;
};

std::map<std::string, served_key> served_of(const curation::name_view& view) {
  std::map<std::string, served_key> out;
  for (const auto& v : view.versions) {
    if (!v.visible) continue;
    const auto& o = v.served.official;
    out[v.served.version] = {v.served.server_json,
                             fmt::format("{}|{}", model::to_string(o.status), o.status_message.value_or("")),
                             v.curation_json.value_or(""), o.is_latest};
  }
  return out;
}

void print_section(std::ostream& out, std::string_view title, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  constexpr std::size_t max_lines = 1000;
  out << title << ":\n";
  for (std::size_t i = 0; i < lines.size() && i < max_lines; ++i) out << "  " << lines[i] << "\n";
  if (lines.size() > max_lines) out << fmt::format("  ... and {} more\n", lines.size() - max_lines);
}

}  // namespace

int check_config(const config::mirror_config& cfg, const std::string& config_file, std::ostream& out,
                 std::ostream& err, std::int64_t now_us) {
  auto curator = curator_or_report(cfg.curation_file, err, now_us);
  if (!curator) return 2;
  if (!cfg.admin_token_file.empty()) {
    try {
      read_admin_token(cfg.admin_token_file);
    } catch (const std::exception& e) {
      err << "mcp-mirror: " << e.what() << "\n";
      return 2;
    }
  }
  // Each view's file and tokens, read as serve reads them.
  std::vector<std::string> view_lines;
  for (const auto& v : cfg.views) {
    auto rules = curator_or_report(v.curation_file, err, now_us);
    if (!rules) {
      err << "mcp-mirror: in view " << v.name << "\n";
      return 2;
    }
    std::size_t tokens = 0;
    if (!v.token_file.empty()) {
      auto read = read_view_tokens(v.token_file);
      if (auto* e = std::get_if<std::string>(&read)) {
        err << "mcp-mirror: view " << v.name << ": " << *e << "\n";
        return 2;
      }
      tokens = std::get<std::vector<std::string>>(read).size();
    }
    view_lines.push_back(fmt::format("  /views/{}/: {} ({} rules), {}", v.name,
                                     v.curation_file.empty() ? "no rules" : v.curation_file.string(),
                                     rules->rules().rules.size(),
                                     tokens ? fmt::format("{} bearer tokens", tokens) : std::string("public")));
  }
  out << fmt::format("config OK: {}\n", config_file.empty() ? "(embedded defaults)" : config_file);
  // The sources in precedence order: what `upstream:` means in the `sources:` form, too.
  const auto sources = config::sources(cfg);
  out << fmt::format("sources ({}, first wins for a name several hold{}):\n", sources.size(),
                     cfg.source_list.empty() ? "; upstream: is the one source named \"upstream\"" : "");
  for (std::size_t i = 0; i < sources.size(); ++i)
    out << fmt::format("  {}. {} {} (sync {}, every {}s)\n", i + 1, sources[i].name, sources[i].upstream.url,
                       sources[i].upstream.sync ? "on" : "off", sources[i].upstream.interval.count() / 1000);
  if (cfg.curation_file.empty())
    out << "curation: none (every mirrored server is served as the upstream has it)\n";
  else
    out << fmt::format("curation OK: {} ({} rules, {} local servers, hash {})\n", cfg.curation_file.string(),
                       curator->rules().rules.size(), curator->own_names().size(), curator->hash());
  if (!view_lines.empty()) out << fmt::format("views ({}):\n", view_lines.size());
  for (const auto& line : view_lines) out << line << "\n";
  return 0;
}

int explain_command(const config::mirror_config& cfg, const std::string& name_at_version, std::ostream& out,
                    std::ostream& err, std::int64_t now_us) {
  auto curator = curator_or_report(cfg.curation_file, err, now_us);
  if (!curator) return 2;
  if (!has_database(cfg, err)) return 1;
  // Server names cannot contain '@' (letters, digits, '.', '-', '_' and one '/'), so the first one
  // splits.
  const auto at = name_at_version.find('@');
  const std::string name = name_at_version.substr(0, at);
  std::optional<std::string> version;
  if (at != std::string::npos) version = name_at_version.substr(at + 1);
  auto db = store::reader::open(database_path(cfg.data_dir));
  const auto body = curator->explain(db, name, version, now_us, source_names(cfg));
  if (!body) {
    err << "mcp-mirror: explain: no server " << name_at_version << " in the mirror or its local servers\n";
    return 1;
  }
  out << *body;
  return 0;
}

int curate_dry_run(const config::mirror_config& cfg, const std::filesystem::path& new_rules, std::ostream& out,
                   std::ostream& err, std::int64_t now_us) {
  auto current = curator_or_report(cfg.curation_file, err, now_us);
  auto next = current ? curator_or_report(new_rules, err, now_us) : nullptr;
  if (!current || !next) return 2;
  if (!has_database(cfg, err)) return 1;
  auto db = store::reader::open(database_path(cfg.data_dir), store::view::mirrored);
  std::set<std::string> names;
  for (auto& n : db.mirrored_names()) names.insert(std::move(n));
  for (auto& n : current->own_names()) names.insert(std::move(n));
  for (auto& n : next->own_names()) names.insert(std::move(n));

  const auto order = source_names(cfg);
  std::vector<std::string> shown, hidden, changed, latest;
  for (const auto& name : names) {
    const auto mirrored = store::pick_source(db.mirrored_versions(name), order).rows;
    const auto before_view = current->view(name, mirrored, now_us);
    const auto after_view = next->view(name, mirrored, now_us);
    const auto before = served_of(before_view), after = served_of(after_view);
    for (const auto& [version, b] : before) {
      auto it = after.find(version);
      if (it == after.end()) {
        hidden.push_back(name + "@" + version);
        continue;
      }
      auto b_flagless = b, a_flagless = it->second;
      b_flagless.latest = a_flagless.latest = false;
      b_flagless.curation = a_flagless.curation = "";  // the isLatest note alone is not a change
      if (b_flagless != a_flagless) changed.push_back(name + "@" + version);
    }
    for (const auto& [version, a] : after)
      if (!before.count(version)) shown.push_back(name + "@" + version);
    // A name shown or hidden whole is listed there; its latest moving to or from none is not news.
    if (before_view.latest != after_view.latest && !before.empty() && !after.empty())
      latest.push_back(fmt::format("{}: {} -> {}", name, before_view.latest.value_or("(none)"),
                                   after_view.latest.value_or("(none)")));
  }
  out << fmt::format("dry run: {} against {} over {} names; nothing applied\n", new_rules.string(),
                     cfg.curation_file.empty() ? "no rules" : cfg.curation_file.string(), names.size());
  out << fmt::format("shown {} | hidden {} | changed {} | latest moved {}\n", shown.size(), hidden.size(),
                     changed.size(), latest.size());
  print_section(out, "shown", shown);
  print_section(out, "hidden", hidden);
  print_section(out, "changed", changed);
  print_section(out, "latest moved", latest);
  return 0;
}

}  // namespace mirror::app
