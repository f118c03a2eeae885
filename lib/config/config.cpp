#include "config/config.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/yaml_fields.hpp"
#include "util/yaml_load.hpp"

namespace mirror::config {

using util::fail;
using util::scalar;
using util::ranged_value;
using util::duration_value;
using util::bool_value;
using util::field_map;
using util::walk;
using util::guarded;
using util::yaml_limits;
using util::load_bounded;

bool parse_listen(std::string_view text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto h = text.substr(0, colon);
  if (h.starts_with('[') && h.ends_with(']')) h = h.substr(1, h.size() - 2);
  // An address, not a host name: the server binds it as given and resolves nothing, so
  // "localhost:8080" is refused here as a config error, not later as a failed listen. inet_pton,
  // not Asio: config stays free of Asio (docs/design-habits.md H1).
  const std::string address(h);
  unsigned char binary[sizeof(in6_addr)];
  if (inet_pton(AF_INET, address.c_str(), binary) != 1 && inet_pton(AF_INET6, address.c_str(), binary) != 1)
    return false;
  const auto p = text.substr(colon + 1);
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc{} || ptr != p.data() + p.size() || p.empty() || value > 65535) return false;
  host = h;
  port = static_cast<std::uint16_t>(value);
  return true;
}

namespace {

bool valid_source_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char ch = name[i];
    const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (!alnum && (i == 0 || (ch != '-' && ch != '_'))) return false;
  }
  return true;
}

}  // namespace

std::vector<source_config> sources(const mirror_config& c) {
  if (!c.source_list.empty()) return c.source_list;
  return {source_config{"upstream", c.upstream}};
}

bool any_sync(const mirror_config& c) {
  for (const auto& s : sources(c))
    if (s.upstream.sync) return true;
  return false;
}

std::variant<mirror_config, error> parse(std::string_view yaml, std::string_view file_name) {
  mirror_config c;
  auto failed = guarded(file_name, [&] {
    const YAML::Node root = load_bounded(yaml, yaml_limits{});
    if (root.IsNull()) return;  // an empty file means all defaults
    auto& h = c.http;
    const field_map http_fields{
        {"reader_threads", [&](auto& n, auto& k) {
           h.reader_threads = static_cast<unsigned>(ranged_value(n, k, 1, 64));
         }},
        {"read_timeout", [&](auto& n, auto& k) { h.read_timeout = duration_value(n, k); }},
        {"idle_timeout", [&](auto& n, auto& k) { h.idle_timeout = duration_value(n, k); }},
        {"write_timeout", [&](auto& n, auto& k) { h.write_timeout = duration_value(n, k); }},
        {"drain_timeout", [&](auto& n, auto& k) { h.drain_timeout = duration_value(n, k); }},
        {"max_connections", [&](auto& n, auto& k) { h.max_connections = ranged_value(n, k, 1, 1'000'000); }},
        {"max_connections_per_client",
         [&](auto& n, auto& k) { h.max_connections_per_client = ranged_value(n, k, 1, 1'000'000); }},
        {"max_queued_requests",
         [&](auto& n, auto& k) { h.max_queued_requests = ranged_value(n, k, 1, 1'000'000); }},
        {"max_header_bytes", [&](auto& n, auto& k) { h.max_header_bytes = ranged_value(n, k, 1024, 1u << 20); }},
        {"max_body_bytes", [&](auto& n, auto& k) { h.max_body_bytes = ranged_value(n, k, 0, 64u << 20); }},
        {"cache_bytes", [&](auto& n, auto& k) { h.cache_bytes = ranged_value(n, k, 0, 1ULL << 40); }},
        {"reader_mmap_bytes", [&](auto& n, auto& k) { h.reader_mmap_bytes = ranged_value(n, k, 0, 1ULL << 40); }},
        {"cache_max_age", [&](auto& n, auto& k) { h.cache_max_age = duration_value(n, k); }},
    };
    auto upstream_fields_of = [](upstream_config& u) {
    return field_map{
        {"url", [&](auto& n, auto& k) {
           u.url = scalar(n, k);
           if (!u.url.starts_with("http://") && !u.url.starts_with("https://"))
             fail(n, k, "expected an http:// or https:// URL");
         }},
        {"sync", [&](auto& n, auto& k) { u.sync = bool_value(n, k); }},
        {"interval", [&](auto& n, auto& k) {
           u.interval = duration_value(n, k);
           if (u.interval < std::chrono::minutes(1)) fail(n, k, "must be at least 1m");
         }},
        {"jitter_percent", [&](auto& n, auto& k) {
           u.jitter_percent = static_cast<unsigned>(ranged_value(n, k, 0, 50));
         }},
        {"margin", [&](auto& n, auto& k) { u.margin = duration_value(n, k); }},
        {"requests_per_second", [&](auto& n, auto& k) {
           const auto text = scalar(n, k);
           try {
             u.requests_per_second = std::stod(text);
           } catch (...) {
             fail(n, k, fmt::format("expected a number, got \"{}\"", text));
           }
           if (!(u.requests_per_second > 0 && u.requests_per_second <= 1000)) fail(n, k, "must be in (0, 1000]");
         }},
        {"page_limit", [&](auto& n, auto& k) {
           u.page_limit = static_cast<unsigned>(ranged_value(n, k, 1, 100));
         }},
        {"max_attempts", [&](auto& n, auto& k) {
           u.max_attempts = static_cast<unsigned>(ranged_value(n, k, 1, 100));
         }},
        {"max_pages", [&](auto& n, auto& k) { u.max_pages = ranged_value(n, k, 1, 100'000'000); }},
        {"run_deadline", [&](auto& n, auto& k) { u.run_deadline = duration_value(n, k); }},
        {"connect_timeout", [&](auto& n, auto& k) { u.connect_timeout = duration_value(n, k); }},
        {"read_timeout", [&](auto& n, auto& k) { u.read_timeout = duration_value(n, k); }},
        {"max_response_bytes", [&](auto& n, auto& k) { u.max_response_bytes = ranged_value(n, k, 1024, 1ULL << 32); }},
        {"staleness_limit", [&](auto& n, auto& k) { u.staleness_limit = duration_value(n, k); }},
        {"replicate", [&](auto& n, auto& k) { u.replicate = bool_value(n, k); }},
        {"hold_404_until_synced", [&](auto& n, auto& k) { u.hold_404_until_synced = bool_value(n, k); }},
    };
    };
    const auto upstream_fields = upstream_fields_of(c.upstream);
    bool saw_upstream = false;
    auto read_sources = [&](const YAML::Node& n, const std::string& k) {
      if (saw_upstream) fail(n, k, "use either upstream: (one source) or sources:, not both");
      if (!n.IsSequence() || n.size() == 0) fail(n, k, "expected a list of sources (name, url, ...)");
      std::set<std::string> names;
      for (std::size_t i = 0; i < n.size(); ++i) {
        const auto item_key = util::index_key(k, i);
        source_config s;
        auto fields = upstream_fields_of(s.upstream);
        bool has_url = false;
        fields.erase("url");
        fields.emplace("url", [&](auto& v, auto& vk) {
          upstream_fields_of(s.upstream).at("url")(v, vk);
          has_url = true;
        });
        fields.emplace("name", [&](auto& v, auto& vk) {
          s.name = scalar(v, vk);
          if (!valid_source_name(s.name))
            fail(v, vk, "expected 1-32 of [a-z0-9_-], starting with a letter or digit");
          if (!names.insert(s.name).second) fail(v, vk, "another source has this name");
        });
        walk(n[i], item_key, fields);
        if (s.name.empty()) fail(n[i], item_key, "a source needs a name");
        if (!has_url) fail(n[i], item_key, "a source needs a url");
        c.source_list.push_back(std::move(s));
      }
    };
    auto read_views = [&](const YAML::Node& n, const std::string& k) {
      if (!n.IsSequence()) fail(n, k, "expected a list of views (name, curation_file, token_file)");
      std::set<std::string> names;
      for (std::size_t i = 0; i < n.size(); ++i) {
        const auto item_key = util::index_key(k, i);
        view_config v;
        walk(n[i], item_key,
             {{"name", [&](auto& x, auto& xk) {
                 v.name = scalar(x, xk);
                 if (!valid_source_name(v.name))
                   fail(x, xk, "expected 1-32 of [a-z0-9_-], starting with a letter or digit");
                 if (!names.insert(v.name).second) fail(x, xk, "another view has this name");
               }},
              {"curation_file", [&](auto& x, auto& xk) { v.curation_file = scalar(x, xk); }},
              {"token_file", [&](auto& x, auto& xk) { v.token_file = scalar(x, xk); }}});
        if (v.name.empty()) fail(n[i], item_key, "a view needs a name");
        c.views.push_back(std::move(v));
      }
    };
    auto& snap = c.snapshot;
    const field_map snapshot_fields{
        {"min_share_percent", [&](auto& n, auto& k) {
           snap.min_share_percent = static_cast<unsigned>(ranged_value(n, k, 0, 100));
         }},
        {"bootstrap_url", [&](auto& n, auto& k) {
           snap.bootstrap_url = scalar(n, k);
           if (!snap.bootstrap_url.empty() && !snap.bootstrap_url.starts_with("http://") &&
               !snap.bootstrap_url.starts_with("https://"))
             fail(n, k, "expected an http:// or https:// URL, or \"\"");
         }},
    };
    const field_map top_fields{
        {"listen", [&](auto& n, auto& k) {
           if (!parse_listen(scalar(n, k), c.listen_host, c.listen_port))
             fail(n, k, "expected ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::]:8080 (an IP address, not a host name)");
         }},
        {"data_dir", [&](auto& n, auto& k) { c.data_dir = scalar(n, k); }},
        {"meta_namespace", [&](auto& n, auto& k) { c.meta_namespace = scalar(n, k); }},
        {"log_level", [&](auto& n, auto& k) {
           c.log_level = scalar(n, k);
           static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "off"};
           if (!levels.count(c.log_level)) fail(n, k, "expected trace, debug, info, warn, error or off");
         }},
        {"seed_when_empty", [&](auto& n, auto& k) { c.seed_when_empty = bool_value(n, k); }},
        {"http", [&](auto& n, auto& k) { walk(n, k, http_fields); }},
        {"upstream", [&](auto& n, auto& k) {
           if (!c.source_list.empty()) fail(n, k, "use either upstream: (one source) or sources:, not both");
           saw_upstream = true;
           walk(n, k, upstream_fields);
         }},
        {"sources", read_sources},
        {"snapshot", [&](auto& n, auto& k) { walk(n, k, snapshot_fields); }},
        {"admin_token_file", [&](auto& n, auto& k) { c.admin_token_file = scalar(n, k); }},
        {"curation_file", [&](auto& n, auto& k) { c.curation_file = scalar(n, k); }},
        {"views", read_views},
        {"changes", [&](auto& n, auto& k) {
           walk(n, k, {{"retention", [&](auto& n2, auto& k2) {
                          c.changes.retention = duration_value(n2, k2);
                          if (c.changes.retention < std::chrono::hours(1)) fail(n2, k2, "must be at least 1h");
                        }}});
         }},
    };
    walk(root, "", top_fields);
  });
  if (failed) return *failed;
  return c;
}

std::variant<mirror_config, error> load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return error{file.string(), 0, 0, "(file)", "cannot read the file"};
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse(text.str(), file.string());
  if (auto* c = std::get_if<mirror_config>(&parsed)) {
    const auto dir = file.parent_path();
    std::vector<std::filesystem::path*> paths{&c->admin_token_file, &c->curation_file};
    for (auto& v : c->views) paths.insert(paths.end(), {&v.curation_file, &v.token_file});
    for (auto* p : paths)
      if (!p->empty() && p->is_relative()) *p = dir / *p;
  }
  return parsed;
}

}  // namespace mirror::config
