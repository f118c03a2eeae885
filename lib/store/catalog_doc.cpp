#include "store/catalog_doc.hpp"

#include <algorithm>

#include <simdjson.h>

namespace mirror::store {
namespace {

std::string string_at(simdjson::dom::element e, std::string_view pointer) {
  std::string_view s;
  if (e.at_pointer(pointer).get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

void add_distinct(std::vector<std::string>& to, std::string value) {
  if (value.empty()) return;
  auto at = std::lower_bound(to.begin(), to.end(), value);
  if (at == to.end() || *at != value) to.insert(at, std::move(value));
}

bool has(const std::vector<std::string>& values, const std::optional<std::string>& wanted) {
  return !wanted || std::binary_search(values.begin(), values.end(), *wanted);
}

}  // namespace

catalog_doc catalog_doc_of(const row& r) {
  catalog_doc d;
  d.status = std::string(model::to_string(r.data.official.status));
  d.shape = "none";
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(r.data.server_json).get(root) != simdjson::SUCCESS) return d;
  d.title = string_at(root, "/title");
  d.description = string_at(root, "/description");
  std::size_t packages = 0, remotes = 0;
  simdjson::dom::array list;
  if (root.at_pointer("/packages").get_array().get(list) == simdjson::SUCCESS)
    for (auto p : list) {
      ++packages;
      add_distinct(d.registry_types, string_at(p, "/registryType"));
      add_distinct(d.transports, string_at(p, "/transport/type"));
    }
  if (root.at_pointer("/remotes").get_array().get(list) == simdjson::SUCCESS)
    for (auto remote : list) {
      ++remotes;
      add_distinct(d.transports, string_at(remote, "/type"));
    }
  d.shape = packages && remotes ? "both" : packages ? "package" : remotes ? "remote" : "none";
  return d;
}

bool matches(const catalog_doc& d, const catalog_filter& f) {
  if (f.status ? d.status != *f.status : d.status == "deleted") return false;
  if (f.shape && d.shape != *f.shape) return false;
  return has(d.registry_types, f.registry_type) && has(d.transports, f.transport);
}

std::optional<std::string> prefix_query(std::string_view text) {
  auto word_char = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  std::string query;
  for (std::size_t i = 0; i < text.size();) {
    if (!word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && word_char(text[end])) ++end;
    if (!query.empty()) query += ' ';
    // A word has no double quote in it, so it needs no escaping inside the FTS5 string.
    query += '"';
    query += text.substr(i, end - i);
    query += "\"*";
    i = end;
  }
  if (query.empty()) return std::nullopt;
  return query;
}

}  // namespace mirror::store
