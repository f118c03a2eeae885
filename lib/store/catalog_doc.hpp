#pragma once
// What ranked search knows of a served name (0010_catalog_search.sql): the words it ranks on
// and the facets its filters match, all from the name's latest served version. Pure: the
// writer indexes these, and the search handler checks a view's own row against the same
// filters, so both read an entry the same way.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/row.hpp"

namespace mirror::store {

struct catalog_doc {
  std::string title, description;  // "" when absent or not a string
  std::string status;              // the version's status: active, deprecated, deleted
  // Distinct values, sorted: packages[].registryType; packages[].transport.type and remotes[].type.
  std::vector<std::string> registry_types, transports;
  std::string shape;  // "remote" (remotes only), "package" (packages only), "both", "none"
};

// Never throws: a server.json that does not parse (the store holds only parsed ones) gives an
// entry with no words and no facets.
catalog_doc catalog_doc_of(const row& r);

// The search's filters; each absent one matches everything, except `status`, whose absence
// means "not deleted" (the upstream's list hides deleted versions by default too).
struct catalog_filter {
  std::optional<std::string> registry_type, transport, shape, status;
};
bool matches(const catalog_doc& d, const catalog_filter& f);

// The FTS5 query for a user's search text: every word of it, as a prefix ("weath" finds
// "weather"), all required. Words split as the index's unicode61 tokenizer splits them (ASCII
// letters and digits, and every non-ASCII byte, are word characters). nullopt: no word at all.
std::optional<std::string> prefix_query(std::string_view text);

}  // namespace mirror::store
