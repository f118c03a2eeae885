#pragma once
// The data commands of the CLI, beside the curation ones (app/curation_commands.hpp), as
// functions of (config, arguments, output streams): `serve`, `import FILE|SNAPSHOT`, `export`,
// `sync --once`. daemon/main.cpp only turns flags into a config and calls one of these.
// Each returns the process exit code: 0 ok, 1 runtime failure (database, input rejected).
#include <cstdint>
#include <iosfwd>
#include <string>

#include "app/mirror_app.hpp"
#include "config/config.hpp"

namespace mirror::app {

// Serves until SIGINT/SIGTERM; prints `ready http://HOST:PORT` on `out` once signals are handled.
int serve_command(const config::mirror_config& cfg, const build_info& info, std::ostream& out);

// A server.json / JSON-lines file, or a snapshot directory (or its manifest.json): one transaction,
// all or nothing. `force` skips the snapshot size gate.
int import_command(const config::mirror_config& cfg, const std::string& path, bool force, std::ostream& out,
                   std::ostream& err, std::int64_t now_us);

// A snapshot of the mirrored (or, `curated`, the served) data into `out_dir`.
int export_command(const config::mirror_config& cfg, const std::string& out_dir, bool curated, std::ostream& out,
                   std::int64_t now_us);

// One sync run against the configured upstream; the summary line on `out`.
// One run of every source with sync on (or just `only`); exit 0 when all succeeded.
int sync_once_command(const config::mirror_config& cfg, const std::string& only, std::ostream& out);

}  // namespace mirror::app
