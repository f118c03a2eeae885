#include "sync/parent_feed.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "json/tree.hpp"

namespace mirror::sync {
namespace {

std::variant<std::int64_t, std::string> integer(const json::node* n, std::string_view what) {
  if (!n || n->type() != json::node::kind::number) return std::string(what) + ": expected an integer";
  const auto& raw = n->raw();
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
  if (ec != std::errc() || end != raw.data() + raw.size() || v < 0)
    return std::string(what) + ": expected a non-negative integer";
  return v;
}

}  // namespace

bool valid_instance_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
  return true;
}

std::variant<parent_info, std::string> parse_parent_info(std::string_view body) {
  auto parsed = json::parse_tree(body);
  if (!parsed.value) return "info: not JSON: " + parsed.error;
  const auto& doc = *parsed.value;
  if (!doc.is_object()) return std::string("info: expected an object");
  parent_info out;
  const auto* id = doc.find("instanceId");
  const auto id_text = id ? id->text() : std::nullopt;
  if (!id_text || !valid_instance_id(*id_text)) return std::string("info: instanceId: expected 1-64 of [A-Za-z0-9-]");
  out.instance_id = *id_text;
  if (const auto* a = doc.find("ancestry")) {
    if (!a->is_array()) return std::string("info: ancestry: expected an array");
    if (a->items().size() > max_ancestry)
      return "info: ancestry: more than " + std::to_string(max_ancestry) + " instances";
    for (const auto& item : a->items()) {
      const auto t = item.text();
      if (!t || !valid_instance_id(*t)) return std::string("info: ancestry: expected instance ids");
      out.ancestry.push_back(*t);
    }
  }
  const auto* changes = doc.find("changes");
  if (!changes || !changes->is_object()) return std::string("info: changes: expected an object");
  auto seq = integer(changes->find("seq"), "info: changes.seq");
  if (auto* e = std::get_if<std::string>(&seq)) return std::move(*e);
  out.seq = std::get<std::int64_t>(seq);
  return out;
}

std::variant<feed_page, std::string> parse_feed_page(std::string_view body, std::int64_t since, int limit) {
  auto parsed = json::parse_tree(body);
  if (!parsed.value) return "changes: not JSON: " + parsed.error;
  const auto* rows = parsed.value->find("changes");
  if (!rows || !rows->is_array()) return std::string("changes: expected an array");
  if (rows->items().size() > static_cast<std::size_t>(limit))
    return "changes: more than the " + std::to_string(limit) + " rows asked for";
  feed_page page;
  page.last_seq = since;
  for (const auto& row : rows->items()) {
    auto seq = integer(row.find("seq"), "changes[].seq");
    if (auto* e = std::get_if<std::string>(&seq)) return std::move(*e);
    const auto s = std::get<std::int64_t>(seq);
    // The feed is in sequence order after `since`: anything else would make the replica skip or
    // repeat changes without knowing.
    if (s <= page.last_seq) return std::string("changes: sequence numbers out of order");
    page.last_seq = s;
    const auto* name = row.find("name");
    auto text = name ? name->text() : std::nullopt;
    if (!text || text->empty() || text->size() > 200) return std::string("changes[].name: expected a server name");
    page.names.push_back(std::move(*text));
  }
  page.full = rows->items().size() == static_cast<std::size_t>(limit);
  return page;
}

std::string ancestry_text(const parent_info& parent) {
  // At most max_ancestry ids, nearest first, so a child can always read this mirror's /info.
  std::string out = parent.instance_id;
  for (std::size_t i = 0; i + 1 < max_ancestry && i < parent.ancestry.size(); ++i) out += " " + parent.ancestry[i];
  return out;
}

std::optional<std::string> loop_error(const parent_info& parent, std::string_view own_id, std::string_view url) {
  const bool loop = parent.instance_id == own_id ||
                    std::find(parent.ancestry.begin(), parent.ancestry.end(), own_id) != parent.ancestry.end();
  if (!loop) return std::nullopt;
  // The chain from this mirror up to itself again: own → parent → ... → own.
  std::string chain = fmt::format("{} -> {}", own_id, parent.instance_id);
  for (const auto& id : parent.ancestry) {
    if (parent.instance_id == own_id) break;
    chain += " -> " + id;
    if (id == own_id) break;
  }
  return fmt::format("loop refused: {} ({}) is downstream of this mirror: {}; nothing was synced", url,
                     parent.instance_id, chain);
}

}  // namespace mirror::sync
