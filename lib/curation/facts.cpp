#include "curation/facts.hpp"

namespace mirror::curation {
bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

namespace {

void add_text(std::vector<std::string>& out, const json::node* value) {
  if (!value) return;
  if (auto t = value->text()) out.push_back(std::move(*t));
}

}  // namespace

std::optional<std::string> schema_date_of(std::string_view url) {
  for (std::size_t slash = url.find('/'); slash != std::string_view::npos; slash = url.find('/', slash + 1)) {
    const auto segment = url.substr(slash + 1, 10);
    if (is_date(segment) && (url.size() == slash + 11 || url[slash + 11] == '/')) return std::string(segment);
  }
  return std::nullopt;
}

facts read_facts(const model::server_version& v, const json::node& server) {
  facts f;
  f.name = v.name;
  f.version = v.version;
  f.status = v.official.status;
  f.published_us = v.official.published_at.us;
  if (const auto* schema = server.find("$schema"))
    if (auto url = schema->text()) f.schema_date = schema_date_of(*url);
  if (const auto* packages = server.find("packages"); packages && packages->is_array()) {
    f.has_packages = !packages->items().empty();
    for (const auto& p : packages->items()) {
      add_text(f.registry_types, p.find("registryType"));
      if (const auto* transport = p.find("transport")) add_text(f.transports, transport->find("type"));
    }
  }
  if (const auto* remotes = server.find("remotes"); remotes && remotes->is_array()) {
    f.has_remotes = !remotes->items().empty();
    for (const auto& r : remotes->items()) add_text(f.transports, r.find("type"));
  }
  return f;
}

}  // namespace mirror::curation
