#pragma once
// `mcp-mirror sync --once`: one sync run against the configured upstream, then exit. Returns the
// run's report (ok=false with the error when it failed).
#include "config/config.hpp"
#include "sync/run_report.hpp"
#include "util/clock.hpp"

namespace mirror::app {

sync::run_report sync_once(const config::mirror_config& cfg, util::clock_fn now = util::system_now_us);

}  // namespace mirror::app
