#pragma once
// What one sync run did; logged as the summary line, kept for sync-status and metrics.
#include <string>

#include "model/sync_status.hpp"

namespace mirror::sync {

using run_report = model::sync_run;

std::string summary_line(const run_report& r);

}  // namespace mirror::sync
