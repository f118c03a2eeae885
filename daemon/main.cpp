// mcp-mirror: flags → config → wiring → exit code. Everything else lives in lib/.
//
//   mcp-mirror serve  [--config FILE] [--listen HOST:PORT] [--data-dir DIR]
//   mcp-mirror import [--data-dir DIR] FILE
//   mcp-mirror version
//
// Exit codes: 0 success, 1 runtime failure (database, import rejected), 2 usage or config error.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/mirror_app.hpp"
#include "config/config.hpp"
#include "import/importer.hpp"
#include "store/writer.hpp"
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

// Config file (or embedded defaults), then flags on top.
std::optional<config::mirror_config> resolve_config(const std::string& config_file,
                                                    const std::string& listen,
                                                    const std::string& data_dir) {
  config::mirror_config cfg;
  if (!config_file.empty()) {
    auto loaded = config::load(config_file);
    if (auto* e = std::get_if<config::error>(&loaded)) {
      std::cerr << "mcp-mirror: config error: " << e->to_string() << "\n";
      return std::nullopt;
    }
    cfg = std::get<config::mirror_config>(loaded);
  }
  if (!listen.empty() && !config::parse_listen(listen, cfg.listen_host, cfg.listen_port)) {
    std::cerr << "mcp-mirror: --listen: expected HOST:PORT, got \"" << listen << "\"\n";
    return std::nullopt;
  }
  if (!data_dir.empty()) cfg.data_dir = data_dir;
  return cfg;
}

int serve(const config::mirror_config& cfg) {
  app::mirror_app mirror(cfg, build_info());
  const auto summary = mirror.open();
  const auto endpoint = mirror.listen();
  const auto url = fmt::format("http://{}:{}", endpoint.address().to_string(), endpoint.port());
  spdlog::info("mcp-mirror {} serving {} | {} versions of {} servers | data dir {}{}",
               MIRROR_VERSION, url, summary.versions, summary.names, cfg.data_dir.string(),
               summary.seeded ? " | first start: loaded the bundled seed" : "");
  // One machine-readable line on stdout for scripts and tests that await readiness.
  std::printf("ready %s\n", url.c_str());
  std::fflush(stdout);
  mirror.run(true);
  spdlog::info("stopped cleanly");
  return 0;
}

int run_import(const config::mirror_config& cfg, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "mcp-mirror: import: cannot read " << file << "\n";
    return 1;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto writer = store::writer::open(app::database_path(cfg.data_dir));
  const auto report = import::import_bytes(writer, bytes.str(), model::source::import,
                                           util::system_now_us());
  if (report.rejected) {
    std::cerr << "mcp-mirror: import: " << file << " rejected, nothing changed: " << report.error
              << "\n";
    return 1;
  }
  for (const auto& e : report.skipped)
    std::cerr << "mcp-mirror: import: " << file << ": entry " << e.index << " skipped: " << e.reason
              << "\n";
  const auto& a = report.applied;
  std::cout << fmt::format(
      "imported {}: {} entries, {} added, {} changed, {} unchanged, {} skipped, latest moved for {} "
      "names\n",
      file, report.decoded, a.added, a.changed, a.unchanged, report.skipped.size(), a.latest_moved);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"mcp-mirror: a self-hosted mirror of the MCP Registry"};
  cli.require_subcommand(1);
  std::string config_file, listen, data_dir, import_file, log_level;

  auto* serve_cmd = cli.add_subcommand("serve", "Serve the registry API from the local mirror");
  serve_cmd->add_option("--config", config_file, "YAML config file (default: embedded defaults)");
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve_cmd->add_option("--data-dir", data_dir, "directory of the SQLite mirror (default ./data)");

  auto* import_cmd = cli.add_subcommand("import", "Load server.json data into the mirror");
  import_cmd->add_option("--config", config_file, "YAML config file");
  import_cmd->add_option("--data-dir", data_dir, "directory of the SQLite mirror (default ./data)");
  import_cmd->add_option("FILE", import_file,
                         "seed array, ServerList page, array of {server,_meta}, or JSON lines")
      ->required();

  cli.add_subcommand("version", "Print version information");

  CLI11_PARSE(cli, argc, argv);

  if (cli.got_subcommand("version")) {
    std::cout << fmt::format("mcp-mirror {} (commit {}, built {})\n", MIRROR_VERSION,
                             MIRROR_GIT_COMMIT, MIRROR_BUILD_TIME);
    return 0;
  }
  auto cfg = resolve_config(config_file, listen, data_dir);
  if (!cfg) return 2;
  setup_logging(cfg->log_level);
  try {
    if (cli.got_subcommand("serve")) return serve(*cfg);
    return run_import(*cfg, import_file);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
