#pragma once
// `mcp-mirror import` and the first-start seed: decode a file (json::decode_import), then apply
// every good entry in ONE writer transaction, so a file is either applied whole or not at all and
// nothing stored before is lost. Bad entries are reported and skipped; a malformed file is
// rejected before anything is written.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json/import_decoder.hpp"
#include "model/server_version.hpp"
#include "store/writer.hpp"

namespace mirror::import {

struct report {
  bool rejected = false;       // malformed file: nothing applied
  std::string error;           // why, when rejected
  std::vector<json::entry_error> skipped;  // bad entries (index + reason)
  std::size_t decoded = 0;     // good entries in the file
  store::apply_result applied;
};

report import_bytes(store::writer& db, std::string_view bytes, model::source source,
                     std::int64_t now_us);

}  // namespace mirror::import
