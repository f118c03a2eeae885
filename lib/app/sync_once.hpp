#pragma once
#include <string>
#include <vector>
// `mcp-mirror sync --once`: one sync run against the configured upstream, then exit. Returns the
// run's report (ok=false with the error when it failed).
#include "config/config.hpp"
#include "sync/run_report.hpp"
#include "util/clock.hpp"

namespace mirror::app {

// One run of every source with sync on, in order (`only`: just that source; an unknown name is a
// config::invalid_config).
std::vector<sync::run_report> sync_sources_once(const config::mirror_config& cfg,
                                                util::clock_fn now = util::system_now_us, const std::string& only = {});
// The first source's run (the one-source form).
sync::run_report sync_once(const config::mirror_config& cfg, util::clock_fn now = util::system_now_us);

}  // namespace mirror::app
