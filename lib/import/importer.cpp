#include "import/importer.hpp"

namespace mirror::import {

report import_bytes(store::writer& db, std::string_view bytes, model::source source,
                    std::int64_t now_us) {
  report out;
  auto decoded = json::decode_import(bytes, {.now_us = now_us});
  if (!decoded.batch) {
    out.rejected = true;
    out.error = decoded.error;
    return out;
  }
  out.skipped = std::move(decoded.batch->errors);
  std::vector<store::incoming> rows;
  rows.reserve(decoded.batch->entries.size());
  for (auto& e : decoded.batch->entries) rows.push_back({std::move(e.version), e.has_official});
  out.decoded = rows.size();
  out.applied = db.apply(rows, source, now_us);
  return out;
}

}  // namespace mirror::import
