#include "curation/parse.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/yaml_fields.hpp"
#include "util/yaml_load.hpp"
#include "curation/rule_reader.hpp"
#include "curation/yaml_json.hpp"
#include "util/sha256.hpp"

namespace mirror::curation {
namespace {

namespace fs = std::filesystem;

// A curation file may inline up to thousands of local servers: larger bounds than mirror.yaml's.
constexpr util::yaml_limits curation_yaml_limits{
    .max_bytes = 16u << 20, .max_depth = 64, .max_nodes = 2'000'000, .max_scalar_bytes = 64u << 20};
using util::fail;
using util::join_key;
using util::walk;
using detail::for_each_item;
using detail::read_rule;
using detail::text;
using detail::visibility_value;


// A server.json (or {server, _meta}) document written in YAML. name and version are checked here
// so a typo is reported at its line; the rest is validated where every local server is.
local_server read_inline(const YAML::Node& n, const std::string& k, std::string_view file) {
  if (!n.IsMap()) fail(n, k, "expected a server.json document (a mapping)");
  auto json = yaml_to_json(n, k);
  const YAML::Node server = n["server"];  // undefined (not throwing) when absent
  const bool wrapped = server && server.IsMap();
  const YAML::Node doc = wrapped ? server : n;
  const auto doc_key = wrapped ? join_key(k, "server") : k;
  for (const char* name : {"name", "version"}) {
    const YAML::Node v = doc[name];
    if (!v) fail(doc, join_key(doc_key, name), "missing: a local server needs a name and a version");
    if (!becomes_json_string(v) || v.Scalar().empty())
      fail(v, join_key(doc_key, name), "expected a non-empty string (quote values such as \"1.0\")");
  }
  return {fmt::format("{}:{}", file, n.Mark().line + 1), std::move(json)};
}

std::string hash_of(std::string_view file_bytes, const std::vector<local_server>& servers) {
  std::string all(file_bytes);
  for (const auto& s : servers) {
    all += s.origin;
    all += '\0';
    all += s.json;
    all += '\0';
  }
  return util::sha256_hex(all);
}

// parse's result, plus where `local_servers.directory` was written: load's errors about the
// directory point there.
struct parsed {
  rule_set rules;
  int directory_line = 0, directory_column = 0;
};

std::variant<parsed, util::file_error> parse_marked(std::string_view yaml, std::string_view file_name) {
  parsed out;
  auto& rs = out.rules;
  rs.file = file_name;
  auto failed = util::guarded(file_name, [&] {
    // Bounded first (one document, depth, aliases expanded): a reload must reject a hostile file
    // in milliseconds, not hang or exhaust memory while the old rules keep serving.
    const YAML::Node root = util::load_bounded(yaml, curation_yaml_limits);
    if (root.IsNull()) return;  // an empty file: no rules, everything visible
    std::map<std::string, int, std::less<>> ids;
    walk(root, "", {
        {"default", [&](auto& v, auto& vk) { rs.default_visibility = visibility_value(v, vk); }},
        {"rules", [&](auto& v, auto& vk) {
           for_each_item(v, vk, [&](const YAML::Node& item, const std::string& ik) {
             rs.rules.push_back(read_rule(item, ik, ids));
           });
         }},
        {"local_servers", [&](auto& v, auto& vk) {
           walk(v, vk, {
               {"directory", [&](auto& d, auto& dk) {
                  rs.local_dirs.emplace_back(text(d, dk));
                  out.directory_line = d.Mark().line + 1;
                  out.directory_column = d.Mark().column + 1;
                }},
               {"inline", [&](auto& i, auto& ik) {
                  for_each_item(i, ik, [&](const YAML::Node& item, const std::string& sk) {
                    rs.local_servers.push_back(read_inline(item, sk, file_name));
                  });
                }},
           });
         }},
    });
  });
  if (failed) return *failed;
  rs.hash = hash_of(yaml, rs.local_servers);
  return out;
}

bool read_all(const fs::path& file, std::string& out) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return false;  // a directory would open and read as ""
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  out = std::move(text).str();
  return !in.bad();
}

// Appends every *.json file of `dir` in file-name order; a failure message otherwise.
std::optional<std::string> read_directory(const fs::path& dir, std::vector<local_server>& into) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return fmt::format("{}: {}", dir.string(), fs::exists(dir, ec) ? "not a directory" : "no such directory");
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".json" || !it->is_regular_file(ec)) continue;
    if (files.size() == max_local_files)
      return fmt::format("{}: more than {} *.json files", dir.string(), max_local_files);
    files.push_back(it->path());
  }
  if (ec) return fmt::format("{}: cannot list: {}", dir.string(), ec.message());
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().native() < b.filename().native();
  });
  for (const auto& f : files) {
    local_server s{f.string(), {}};
    const auto too_large = fmt::format("{}: larger than the 1 MiB a local server file may have", s.origin);
    const auto size = fs::file_size(f, ec);
    if (!ec && size > max_local_file_bytes) return too_large;
    if (ec || !read_all(f, s.json)) return fmt::format("{}: cannot read the file", s.origin);
    if (s.json.size() > max_local_file_bytes) return too_large;  // it grew since file_size
    into.push_back(std::move(s));
  }
  return std::nullopt;
}

}  // namespace

std::variant<rule_set, util::file_error> parse(std::string_view yaml, std::string_view file_name) {
  auto r = parse_marked(yaml, file_name);
  if (auto* e = std::get_if<util::file_error>(&r)) return *e;
  return std::move(std::get<parsed>(r).rules);
}

std::variant<rule_set, util::file_error> load(const fs::path& file) {
  std::string bytes;
  if (!read_all(file, bytes)) return util::file_error{file.string(), 0, 0, "(file)", "cannot read the file"};
  auto r = parse_marked(bytes, file.string());
  if (auto* e = std::get_if<util::file_error>(&r)) return *e;
  auto& p = std::get<parsed>(r);
  for (auto& dir : p.rules.local_dirs) {
    if (dir.is_relative()) dir = file.parent_path() / dir;
    if (auto message = read_directory(dir, p.rules.local_servers))
      return util::file_error{file.string(), p.directory_line, p.directory_column, "local_servers.directory",
                           std::move(*message)};
  }
  p.rules.hash = hash_of(bytes, p.rules.local_servers);
  return std::move(p.rules);
}

}  // namespace mirror::curation
