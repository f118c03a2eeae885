// mcp-mirror: flags → config → one command of lib/app (curation_commands, data_commands) → exit
// code. Everything else lives in lib/.
//
//   mcp-mirror serve  [--config FILE] [--listen ADDRESS:PORT] [--data-dir DIR] [--upstream URL] [--no-sync]
//   mcp-mirror import [--config FILE] [--data-dir DIR] [--force] FILE|SNAPSHOT
//   mcp-mirror export [--config FILE] [--data-dir DIR] --out DIR [--curated]
//   mcp-mirror sync --once [--config FILE] [--data-dir DIR] [--upstream URL | --source NAME]
//   mcp-mirror check-config [--config FILE]
//   mcp-mirror explain [--config FILE] [--data-dir DIR] NAME[@VERSION]
//   mcp-mirror curate --dry-run [--config FILE] [--data-dir DIR] FILE
//   mcp-mirror version
//
// Exit codes: 0 success, 1 runtime failure (database, import rejected), 2 usage or config error.
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/system/system_error.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/curation_commands.hpp"
#include "app/data_commands.hpp"
#include "config/config.hpp"
#include "config/invalid_config.hpp"
#include "util/clock.hpp"

namespace {

using namespace mirror;

app::build_info build_info() { return {MIRROR_VERSION, MIRROR_GIT_COMMIT, MIRROR_BUILD_TIME}; }

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("mcp-mirror");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(level));
}

struct flags {
  std::string config_file, listen, data_dir, import_file, upstream;
  std::string source;  // sync --once --source NAME
  bool no_sync = false;
  bool once = false;
  std::string out;           // export --out
  bool curated = false;      // export --curated
  bool force = false;        // import --force (skip the snapshot quality gate)
  std::string target;        // explain NAME[@VERSION]
  std::string rules_file;    // curate --dry-run FILE
  bool dry_run = false;
  std::string view;          // explain / curate --dry-run --view NAME
};

// explain and curate --dry-run under a view (config `views:`): its file is the rules they read.
bool select_view(config::mirror_config& cfg, const std::string& view) {
  if (view.empty()) return true;
  for (const auto& v : cfg.views)
    if (v.name == view) {
      cfg.curation_file = v.curation_file;
      return true;
    }
  std::cerr << "mcp-mirror: no view named '" << view << "' in the config\n";
  return false;
}

// Config file (or embedded defaults), then flags on top.
std::optional<config::mirror_config> resolve_config(const flags& f) {
  config::mirror_config cfg;
  if (!f.config_file.empty()) {
    auto loaded = config::load(f.config_file);
    if (auto* e = std::get_if<config::error>(&loaded)) {
      std::cerr << "mcp-mirror: config error: " << e->to_string() << "\n";
      return std::nullopt;
    }
    cfg = std::get<config::mirror_config>(loaded);
  }
  if (!f.listen.empty() && !config::parse_listen(f.listen, cfg.listen_host, cfg.listen_port)) {
    std::cerr << "mcp-mirror: --listen: expected ADDRESS:PORT (an IP address, e.g. 127.0.0.1:8080), got \""
              << f.listen << "\"\n";
    return std::nullopt;
  }
  if (!f.data_dir.empty()) cfg.data_dir = f.data_dir;
  if (!f.upstream.empty()) {
    if (!f.upstream.starts_with("http://") && !f.upstream.starts_with("https://")) {
      std::cerr << "mcp-mirror: --upstream: expected an http:// or https:// URL\n";
      return std::nullopt;
    }
    // A shorthand for the one-source form. With a `sources:` list it would serve another view
    // (the list's names gone), so it is refused: `sync --once --source NAME` runs one source.
    if (!cfg.source_list.empty()) {
      std::cerr << "mcp-mirror: --upstream: the config has a sources: list; use --source NAME (sync --once) "
                   "or edit the list\n";
      return std::nullopt;
    }
    cfg.upstream.url = f.upstream;
  }
  if (f.no_sync) {
    cfg.upstream.sync = false;
    for (auto& s : cfg.source_list) s.upstream.sync = false;
  }
  return cfg;
}

}  // namespace

int main(int argc, char** argv) {
  // A file size limit (`ulimit -f`, systemd's LimitFSIZE=) makes a write past it fail with EFBIG,
  // which SQLite reports and rolls back like a full disk; by default SIGXFSZ would kill us instead.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App cli{"mcp-mirror: a self-hosted mirror of the MCP Registry"};
  cli.require_subcommand(1);
  flags f;
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--config", f.config_file, "YAML config file (default: embedded defaults)");
    cmd->add_option("--data-dir", f.data_dir, "directory of the SQLite mirror (default ./data)");
  };

  auto* serve_cmd = cli.add_subcommand("serve", "Serve the registry API from the local mirror");
  common(serve_cmd);
  serve_cmd->add_option("--listen", f.listen, "ADDRESS:PORT to listen on, an IP address (default 127.0.0.1:8080)");
  serve_cmd->add_option("--upstream", f.upstream, "registry (or mcp-mirror) to sync from");
  serve_cmd->add_flag("--no-sync", f.no_sync, "serve only; never contact the upstream");

  auto* import_cmd = cli.add_subcommand("import", "Load server.json data into the mirror");
  common(import_cmd);
  import_cmd->add_option("FILE", f.import_file,
                         "seed array, ServerList page, array of {server,_meta}, JSON lines, or a "
                         "snapshot directory (or its manifest.json) made by `export`")
      ->required();
  import_cmd->add_flag("--force", f.force,
                       "import a snapshot even when it holds far fewer versions than the mirror");

  auto* export_cmd = cli.add_subcommand("export", "Write a snapshot of the mirror (for air-gapped hosts)");
  common(export_cmd);
  export_cmd->add_option("--out", f.out, "snapshot directory to write (manifest.json, servers.jsonl)")
      ->required();
  export_cmd->add_flag("--curated", f.curated, "export what the mirror serves instead of the raw copy");

  auto* sync_cmd = cli.add_subcommand("sync", "Sync from the upstream registry");
  common(sync_cmd);
  sync_cmd->add_option("--upstream", f.upstream, "registry (or mcp-mirror) to sync from, as the one source");
  sync_cmd->add_option("--source", f.source, "run only the configured source of this name");
  sync_cmd->add_flag("--once", f.once, "run one sync and exit (non-zero on failure)")->required();

  auto* check_cmd = cli.add_subcommand("check-config", "Check the config and curation files; exit non-zero on error");
  check_cmd->add_option("--config", f.config_file, "YAML config file (default: embedded defaults)");

  auto* explain_cmd = cli.add_subcommand("explain", "Why the curation rules serve a server the way they do");
  common(explain_cmd);
  explain_cmd->add_option("NAME", f.target, "server name, optionally NAME@VERSION")->required();
  explain_cmd->add_option("--view", f.view, "under this view's rules (config views:) instead of the root's");

  auto* curate_cmd = cli.add_subcommand("curate", "Compare a curation file with the current one");
  common(curate_cmd);
  curate_cmd->add_flag("--dry-run", f.dry_run, "show what FILE would change, apply nothing")->required();
  curate_cmd->add_option("FILE", f.rules_file, "the new curation file")->required();
  curate_cmd->add_option("--view", f.view, "compare with this view's file (config views:) instead of the root's");

  cli.add_subcommand("version", "Print version information");

  CLI11_PARSE(cli, argc, argv);

  if (cli.got_subcommand("version")) {
    std::cout << fmt::format("mcp-mirror {} (commit {}, built {})\n", MIRROR_VERSION,
                             MIRROR_GIT_COMMIT, MIRROR_BUILD_TIME);
    return 0;
  }
  auto cfg = resolve_config(f);
  if (!cfg || !select_view(*cfg, f.view)) return 2;
  setup_logging(cfg->log_level);
  const std::string command = cli.get_subcommands().front()->get_name();
  try {
    const auto now = util::system_now_us();
    if (cli.got_subcommand("check-config")) return app::check_config(*cfg, f.config_file, std::cout, std::cerr, now);
    if (cli.got_subcommand("explain")) return app::explain_command(*cfg, f.target, std::cout, std::cerr, now);
    if (cli.got_subcommand("curate")) return app::curate_dry_run(*cfg, f.rules_file, std::cout, std::cerr, now);
    if (cli.got_subcommand("serve")) return app::serve_command(*cfg, build_info(), std::cout);
    if (cli.got_subcommand("sync")) return app::sync_once_command(*cfg, f.source, std::cout);
    if (cli.got_subcommand("export")) return app::export_command(*cfg, f.out, f.curated, std::cout, now);
    return app::import_command(*cfg, f.import_file, f.force, std::cout, std::cerr, now);
  } catch (const config::invalid_config& e) {
    std::cerr << "mcp-mirror: config error: " << e.what() << "\n";
    return 2;
  } catch (const boost::system::system_error& e) {
    // what() appends Boost's source location; the code's message is the line an operator needs.
    std::cerr << "mcp-mirror: " << command << ": " << e.code().message() << "\n";
    return 1;
  } catch (const std::exception& e) {
    // One line on stderr whatever log_level says (`off` included): why the command failed. Store
    // errors name the database file (store::failure).
    std::cerr << "mcp-mirror: " << command << ": " << e.what() << "\n";
    return 1;
  }
}
