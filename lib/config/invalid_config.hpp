#pragma once
// A file the configuration points at (the admin token, the curation rules) that cannot be used.
// It is a configuration error like a bad key in mirror.yaml: commands exit 2 for it, not 1
// (runtime failure), so scripts and systemd tell "fix the config" from "try again".
#include <stdexcept>

namespace mirror::config {

struct invalid_config : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace mirror::config
