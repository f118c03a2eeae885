#pragma once
// Reading response bodies in tests with simdjson's DOM (tests only; the daemon uses On-Demand).
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace mirror::test {

struct listed {
  std::string name, version, status;
  bool is_latest = false;
};

// Parses a ServerList body; throws simdjson_error on malformed JSON.
struct server_list {
  std::vector<listed> servers;
  std::string next_cursor;  // "" when absent
  bool has_next_cursor = false;
  std::int64_t count = -1;
};

inline server_list parse_server_list(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(body));
  server_list out;
  for (simdjson::dom::element item : doc["servers"].get_array()) {
    listed l;
    l.name = std::string(item["server"]["name"].get_string().value());
    l.version = std::string(item["server"]["version"].get_string().value());
    auto official = item["_meta"]["io.modelcontextprotocol.registry/official"];
    l.status = std::string(official["status"].get_string().value());
    l.is_latest = official["isLatest"].get_bool().value();
    out.servers.push_back(l);
  }
  auto meta = doc["metadata"];
  out.count = meta["count"].get_int64().value();
  std::string_view cursor;
  if (meta["nextCursor"].get(cursor) == simdjson::SUCCESS) {
    out.has_next_cursor = true;
    out.next_cursor = std::string(cursor);
  }
  return out;
}

inline std::string string_at(std::string_view body, std::string_view pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(body));
  return std::string(doc.at_pointer(pointer).get_string().value());
}

inline bool has_pointer(std::string_view body, std::string_view pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(body));
  return doc.at_pointer(pointer).error() == simdjson::SUCCESS;
}

}  // namespace mirror::test
