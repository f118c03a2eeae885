#pragma once
// A compiled curation file (config/curation.example.yaml documents the format): an ordered list
// of rules, each a set of match conditions and actions, plus local servers. Immutable once
// loaded; the daemon swaps whole rule sets on reload, never edits one in place.
//
// Precedence (README "Curation"):
//  - Conditions of one rule combine with AND; a condition listing several values matches any
//    of them (OR within a key). A rule without `match` matches every version.
//  - Rules are evaluated top to bottom against every (name, version).
//  - Visibility: `default` applies first; every matching rule with `action: include|exclude`
//    sets it again, so the LAST matching include/exclude wins (read the file top down: broad
//    rules first, exceptions below).
//  - Overrides (set, rewrite, env_defaults, deprecate) of every matching rule apply in file
//    order, each over the previous result; a later `set: {title}` wins over an earlier one.
//  - `pin_latest`: the last matching rule that names a visible version wins.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/status.hpp"

namespace mirror::curation {

// Which ways to run a server a version offers.
enum class shape { remote_only, package_only, both, neither };

struct match {
  std::vector<std::string> names;           // globs over the full name (`*`, `?`)
  std::vector<std::string> namespaces;      // reverse-DNS prefixes, on label boundaries
  std::vector<std::string> versions;        // globs over the version string
  std::vector<std::string> registry_types;  // some package has one of these registryType values
  std::vector<std::string> transports;      // some package transport or remote has this type
  std::vector<shape> shapes;
  std::vector<model::status> statuses;      // the upstream status
  std::vector<std::string> schema_dates;    // "2025-09-29": the date in the `$schema` URL
  std::optional<std::string> schema_before;  // `$schema` date strictly before this (or none)
  std::optional<std::chrono::milliseconds> published_older_than;  // now - publishedAt > this
  std::optional<std::chrono::milliseconds> published_newer_than;  // now - publishedAt < this
  bool empty() const;
  bool operator==(const match&) const = default;
};

enum class visibility { unchanged, include, exclude };

// Prefix rewrite of one kind of field: a value starting with `from` gets `to` instead of it.
struct rewrite {
  enum class field {
    package_identifier,  // packages[].identifier
    registry_base_url,   // packages[].registryBaseUrl; `from: ""` also sets it where absent
    oci_host,            // OCI image host: in packages[].identifier of registryType oci (an
                         // identifier without a host means docker.io) and their registryBaseUrl
    remote_url,          // remotes[].url
  };
  field target = field::package_identifier;
  std::string from, to;
  std::optional<std::string> registry_type;  // only packages of this registryType
  bool operator==(const rewrite&) const = default;
};
std::string_view to_string(rewrite::field f);

struct overrides {
  std::optional<std::string> title, description, website_url;
  std::optional<std::string> icons_json;  // a JSON array of icon objects, as it will be served
  std::vector<rewrite> rewrites;
  // packages[].environmentVariables[]: `default` of the named variable (added when missing).
  std::vector<std::pair<std::string, std::string>> env_defaults;
  bool empty() const;
  bool operator==(const overrides&) const = default;
};

struct rule {
  std::string id;
  int line = 0;  // in the curation file, for explain
  match when;
  visibility action = visibility::unchanged;
  std::optional<std::string> deprecate;   // status message; active/deprecated → deprecated
  std::optional<std::string> pin_latest;  // version to serve as isLatest
  overrides set;
};

// A server.json served as if it came from the upstream (README "Local servers"). Names given
// here shadow the upstream's versions of the same name entirely.
struct local_server {
  std::string origin;  // "curation.yaml:12" or the file it was read from
  std::string json;    // the document text (bare server.json or {server, _meta})
};

struct rule_set {
  std::string file;  // where it came from, for messages
  visibility default_visibility = visibility::include;
  std::vector<rule> rules;
  std::vector<std::filesystem::path> local_dirs;  // recorded by parse, read by load
  std::vector<local_server> local_servers;
  std::string hash;  // sha256 of the file and every local server file: unchanged rules → no work

  // True when some rule depends on the clock (published age): the view is refreshed after every
  // sync run, not only when data or rules change.
  bool time_dependent() const;
};

}  // namespace mirror::curation
