#include "app/view_set.hpp"

#include <fstream>

#include "config/invalid_config.hpp"

namespace mirror::app {

std::variant<std::vector<std::string>, std::string> read_view_tokens(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return "token_file " + file.string() + ": cannot read the file";
  std::vector<std::string> tokens;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto last = line.find_last_not_of(" \t\r");
    auto token = line.substr(first, last - first + 1);
    if (token.size() < 16)
      return "token_file " + file.string() + ":" + std::to_string(number) + ": token shorter than 16 characters";
    tokens.push_back(std::move(token));
  }
  if (tokens.empty()) return "token_file " + file.string() + ": no token in the file";
  return tokens;
}

std::variant<std::shared_ptr<const curation::rules_curator>, std::string> load_view_rules(
    const config::view_config& v, std::int64_t now_us) {
  return curation::load_curator(v.curation_file, now_us);
}

view_set::view_set(const config::mirror_config& cfg, std::int64_t now_us) {
  for (const auto& c : cfg.views) {
    auto v = std::make_unique<view>();
    v->cfg = c;
    auto rules = load_view_rules(c, now_us);
    if (auto* e = std::get_if<std::string>(&rules))
      throw config::invalid_config("view " + c.name + ": curation error: " + *e);
    v->rules = std::make_unique<curation::curation_state>(
        std::get<std::shared_ptr<const curation::rules_curator>>(std::move(rules)));
    if (!c.token_file.empty()) {
      auto tokens = read_view_tokens(c.token_file);
      if (auto* e = std::get_if<std::string>(&tokens)) throw config::invalid_config("view " + c.name + ": " + *e);
      v->tokens = std::make_shared<const std::vector<std::string>>(std::get<std::vector<std::string>>(std::move(tokens)));
    }
    views_.push_back(std::move(v));
  }
}

std::vector<store::view_spec> view_set::specs() const {
  std::vector<store::view_spec> out;
  for (const auto& v : views_) out.push_back({v->cfg.name, v->rules->get()});
  return out;
}

std::string view_set::reload_tokens(std::size_t i) {
  auto& v = *views_[i];
  if (v.cfg.token_file.empty()) return {};
  auto tokens = read_view_tokens(v.cfg.token_file);
  if (auto* e = std::get_if<std::string>(&tokens)) return *e;
  std::lock_guard lock(v.tokens_mutex);
  v.tokens = std::make_shared<const std::vector<std::string>>(std::get<std::vector<std::string>>(std::move(tokens)));
  return {};
}

std::vector<api::view_options> view_set::api_options(explain_fn explain) {
  std::vector<api::view_options> out;
  for (const auto& vp : views_) {
    view* v = vp.get();
    api::view_options o;
    o.name = v->cfg.name;
    if (!v->cfg.token_file.empty())
      o.tokens = [v] {
        std::lock_guard lock(v->tokens_mutex);
        return v->tokens;
      };
    o.explain = [v, explain](std::string_view name, std::optional<std::string_view> version) {
      return explain(*v->rules->get(), name, version);
    };
    out.push_back(std::move(o));
  }
  return out;
}

std::atomic<std::uint64_t>* view_set::generation_of(std::string_view target) {
  const auto vp = api::split_view_path(target);
  if (!vp) return nullptr;
  for (auto& v : views_)
    if (v->cfg.name == vp->name) return &v->generation;
  return nullptr;
}

void view_set::publish(const std::vector<std::int64_t>& seqs) {
  for (std::size_t i = 0; i < seqs.size() && i < views_.size(); ++i) {
    const auto value = static_cast<std::uint64_t>(seqs[i]);
    auto& g = views_[i]->generation;
    auto current = g.load(std::memory_order_relaxed);
    while (current < value && !g.compare_exchange_weak(current, value, std::memory_order_release)) {
    }
  }
}

}  // namespace mirror::app
