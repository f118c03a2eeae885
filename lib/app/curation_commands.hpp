#pragma once
// The curation commands of the CLI, as functions of (config, arguments, output streams) so the
// tests run them in-process: `check-config`, `explain NAME[@VERSION]`, `curate --dry-run FILE`.
// Each returns the process exit code: 0 ok, 1 not found / runtime failure, 2 invalid input.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>

#include "config/config.hpp"

namespace mirror::app {

// The config (already parsed by the caller) and its curation file, local servers included.
int check_config(const config::mirror_config& cfg, const std::string& config_file, std::ostream& out,
                 std::ostream& err, std::int64_t now_us);

// What the current rules do to one name, as the explain endpoint's JSON.
int explain_command(const config::mirror_config& cfg, const std::string& name_at_version, std::ostream& out,
                    std::ostream& err, std::int64_t now_us);

// What `new_rules` would change against the current rules (cfg.curation_file) over the mirrored
// data, without applying anything: counts, then the names in each category.
int curate_dry_run(const config::mirror_config& cfg, const std::filesystem::path& new_rules, std::ostream& out,
                   std::ostream& err, std::int64_t now_us);

}  // namespace mirror::app
