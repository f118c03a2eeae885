#include "import/stream_import.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/bulk_apply.hpp"

namespace mirror::import {
namespace {

// Input read so far and not yet decoded.
class reader {
 public:
  reader(std::istream& in, std::size_t part_bytes) : in_(in), part_bytes_(part_bytes) {}

  // Appends up to one part; false at end of input.
  bool more() {
    if (eof_) return false;
    const std::size_t old = buf_.size();
    buf_.resize(old + part_bytes_);
    in_.read(buf_.data() + old, static_cast<std::streamsize>(part_bytes_));
    buf_.resize(old + static_cast<std::size_t>(in_.gcount()));
    if (in_.bad()) throw std::runtime_error("read error");  // not an end: never import a truncated file
    if (!in_) eof_ = true;
    max_held_ = std::max(max_held_, buf_.size());
    return buf_.size() > old || !eof_;
  }
  void read_all() {
    while (more()) {
    }
  }
  bool eof() const { return eof_; }
  std::string& buffer() { return buf_; }
  std::size_t max_held() const { return max_held_; }

 private:
  std::istream& in_;
  std::size_t part_bytes_;
  std::string buf_;
  bool eof_ = false;
  std::size_t max_held_ = 0;
};

// The first non-blank line of `text` (after a UTF-8 BOM; "" when there is none), or nullopt
// when it does not end inside `text` and more input may follow.
std::optional<std::string_view> first_line(std::string_view text, bool complete) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  for (;;) {
    const auto nl = text.find('\n');
    const auto line = text.substr(0, nl);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      if (nl == std::string_view::npos && !complete) return std::nullopt;
      return line;
    }
    if (nl == std::string_view::npos) return complete ? std::optional(std::string_view()) : std::nullopt;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace

stream_report import_stream(store::writer& db, std::istream& in, model::source source, std::int64_t now_us,
                            const stream_options& options) {
  stream_report out;
  reader input(in, options.part_bytes);
  std::optional<std::string_view> line;
  while (!(line = first_line(input.buffer(), input.eof())) && input.buffer().size() <= options.max_line_bytes)
    input.more();
  if (!line || !json::starts_json_lines(*line)) {
    // One JSON document (or an empty or unreadable start): the decoder needs it whole.
    input.read_all();
    static_cast<report&>(out) = import_bytes(db, input.buffer(), source, now_us);
    out.max_buffered_bytes = input.max_held();
    return out;
  }
  out.streamed = true;
  const json::decode_options decode{.now_us = now_us};
  store::bulk_apply batch(db, source, now_us);
  std::string& buf = input.buffer();
  std::size_t next_line = 0;   // 0-based index of the first line in buf
  std::size_t next_byte = 0;   // where buf starts in the file
  std::size_t objects = 0;
  std::string first_problem;
  std::vector<store::incoming> rows;
  auto note = [&](json::entry_error e) {
    if (first_problem.empty()) first_problem = e.reason + " (line " + std::to_string(e.index + 1) + ")";
    out.skipped.push_back(std::move(e));
  };
  for (;;) {
    // buf starts at a line's start: decode up to its last newline (everything at the end).
    std::size_t cut = buf.rfind('\n');
    while (cut == std::string::npos && !input.eof() && buf.size() <= options.max_line_bytes) {
      input.more();
      cut = buf.rfind('\n');
    }
    if (cut == std::string::npos && !input.eof()) {
      // A line longer than any entry may be: a bad entry, skipped to its end without keeping it.
      note({next_line++, "line longer than " + std::to_string(options.max_line_bytes) + " bytes"});
      std::size_t nl = std::string::npos;
      while (nl == std::string::npos) {
        next_byte += buf.size();
        buf.clear();
        if (!input.more()) break;
        nl = buf.find('\n');
      }
      const std::size_t skip = nl == std::string::npos ? buf.size() : nl + 1;
      next_byte += skip;
      buf.erase(0, skip);
      continue;
    }
    const bool last = input.eof();
    const std::string_view part(buf.data(), last ? buf.size() : cut);
    auto decoded = json::decode_json_lines(part, decode, next_line, next_byte);
    objects += decoded.objects;
    for (auto& e : decoded.errors) note(std::move(e));
    rows.clear();
    for (auto& e : decoded.entries) rows.push_back({std::move(e.version), e.has_official});
    out.decoded += rows.size();
    batch.add(rows);
    if (last) break;
    next_line += static_cast<std::size_t>(std::count(part.begin(), part.end(), '\n')) + 1;
    next_byte += cut + 1;
    buf.erase(0, cut + 1);
    input.more();
  }
  out.max_buffered_bytes = input.max_held();
  if (objects == 0) {  // as decode_import: a JSON-lines file with no object line is malformed
    out.rejected = true;
    out.error = first_problem;
    return out;  // `batch` rolls back
  }
  out.applied = batch.commit();
  return out;
}

}  // namespace mirror::import
