// JSON lines (and a lone object): each line its own document, a broken line a bad entry.
#include "json/document_decoder.hpp"

#include "json/entry_builder.hpp"

namespace mirror::json::detail {

// Splits at '\n' (a '\r' before it is JSON whitespace); blank lines are skipped but counted,
// so an entry's index is its 0-based line number.
std::vector<document_decoder::chunk> document_decoder::line_chunks(std::size_t first_line) const {
  std::vector<chunk> chunks;
  const char* p = begin_;
  for (std::size_t index = first_line;; ++index) {
    const char* nl = p;
    while (nl < end_ && *nl != '\n') ++nl;
    bool blank = true;
    for (const char* c = p; c < nl && blank; ++c) blank = is_space(*c);
    if (!blank) chunks.push_back({index, p, static_cast<std::size_t>(nl - p)});
    if (nl == end_) break;
    p = nl + 1;
  }
  return chunks;
}

decode_result document_decoder::lines(const std::string& earlier_problem) {
  return documents(line_chunks(0), earlier_problem);
}

decoded_batch document_decoder::lines_part(std::size_t first_line, std::size_t first_byte) {
  first_byte_ = first_byte;
  return std::move(*documents(line_chunks(first_line), {}, false).batch);
}

// Each chunk is one document holding one element. `earlier_problem` is what made the caller
// fall back to lines (the whole-input parse failed); it is the better message when no chunk
// holds an object.
decode_result document_decoder::documents(const std::vector<chunk>& chunks,
                                          const std::string& earlier_problem, bool need_object) {
  std::size_t objects = 0;  // lines that held a JSON object
  std::string first_problem;
  for (const chunk& c : chunks) {
    auto bad = [&](std::string reason) {
      if (first_problem.empty()) {
        first_problem = reason + " (line " + std::to_string(c.index + 1) + ")";
      }
      batch_.errors.push_back({c.index, std::move(reason)});
    };
    ondemand::document doc;
    if (auto e = iterate(c.begin, c.size).get(doc)) {
      bad("not JSON: " + describe(e));
      continue;
    }
    ondemand::json_type type{};
    ondemand::object object;
    element_capture element;
    bool ok = true;
    if (auto e = doc.type().get(type)) ok = fail(e);
    if (ok && type != ondemand::json_type::object) {
      bad("expected an object, got " + std::string(type_name(type)));
      continue;
    }
    if (ok) {
      if (auto e = doc.get_object().get(object)) ok = fail(e);
    }
    if (ok) ok = walker_.element(object, element) || fail_walk();
    if (ok) ok = at_end(doc);
    if (!ok) {
      bad("not JSON: " + problem(doc));
      continue;
    }
    ++objects;
    add(build_entry(c.index, std::move(element), false, options_));
  }
  if (objects == 0 && need_object) {
    return {std::nullopt, earlier_problem.empty() ? first_problem : earlier_problem};
  }
  batch_.objects = objects;
  return {std::move(batch_), {}};
}

}  // namespace mirror::json::detail
