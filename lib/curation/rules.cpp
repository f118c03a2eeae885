#include "curation/rules.hpp"

namespace mirror::curation {

bool match::empty() const {
  return names.empty() && namespaces.empty() && versions.empty() && registry_types.empty() &&
         transports.empty() && shapes.empty() && statuses.empty() && schema_dates.empty() &&
         !schema_before && !published_older_than && !published_newer_than;
}

bool overrides::empty() const {
  return !title && !description && !website_url && !icons_json && rewrites.empty() &&
         env_defaults.empty();
}

std::string_view to_string(rewrite::field f) {
  switch (f) {
    case rewrite::field::package_identifier: return "package_identifier";
    case rewrite::field::registry_base_url: return "registry_base_url";
    case rewrite::field::oci_host: return "oci_host";
    case rewrite::field::remote_url: return "remote_url";
  }
  return "package_identifier";  // unreachable for valid enum values; keeps -Wreturn-type quiet
}

bool rule_set::time_dependent() const {
  for (const auto& r : rules)
    if (r.when.published_older_than || r.when.published_newer_than) return true;
  return false;
}

}  // namespace mirror::curation
