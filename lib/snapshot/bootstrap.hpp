#pragma once
// First start from a snapshot URL (`snapshot.bootstrap_url`): fetch <url>/manifest.json and
// <url>/servers.jsonl over HTTP(S) with the upstream client, verify and import them like
// `import SNAPSHOT`. Used by mirror_app::open on an empty database instead of the bundled seed;
// on any failure the caller logs the error and falls back to the seed.
#include <cstdint>
#include <optional>
#include <string>

#include "snapshot/import.hpp"
#include "upstream/client.hpp"

namespace mirror::snapshot {

// `client.base_url` is the snapshot URL (the directory the two files are served from).
// Runs its own io_context until both downloads end. Never throws for network or data problems:
// they come back as a rejected report.
import_report bootstrap(store::writer& db, upstream::client_options client,
                        const import_options& options);

}  // namespace mirror::snapshot
