#pragma once
// `mcp-mirror import FILE` without holding the file in memory. A JSON-lines file (the export
// format, and what a 100k-version import is) is read and decoded a part at a time and applied
// in ONE writer transaction (store::bulk_apply), so memory stays near `part_bytes` whatever the
// file's size, while the file is still stored whole or not at all: a file in which no line
// holds an object is rejected, and a failure anywhere rolls everything back. Other shapes (an
// array, a ServerList, one pretty-printed object) are single JSON documents that the decoder
// needs whole: they are read into memory and imported as import_bytes does. Results, skipped
// entries and their line numbers are the same as import_bytes on the same bytes.
#include <cstddef>
#include <cstdint>
#include <istream>

#include "import/importer.hpp"

namespace mirror::import {

struct stream_options {
  std::size_t part_bytes = 8u << 20;  // read and decode this much at a time
  // A line longer than this is a bad entry, skipped without being held whole (an entry's
  // `server` is limited to 1 MiB: json::decode_options::max_entry_bytes).
  std::size_t max_line_bytes = (1u << 20) + (64u << 10);
};

struct stream_report : report {
  bool streamed = false;            // decoded a part at a time (JSON lines)
  std::size_t max_buffered_bytes = 0;  // the most input bytes held at once
};

stream_report import_stream(store::writer& db, std::istream& in, model::source source, std::int64_t now_us,
                            const stream_options& options = {});

}  // namespace mirror::import
