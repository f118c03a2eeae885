// An upstream ServerList page as lib/sync decodes it (json::decode_server_list: the document
// decoder and the server_rewrite walk). Properties: decoded_checks.hpp; a page that decodes
// decodes the same way again (the decoder keeps no state between calls).
#include "decoded_checks.hpp"

using namespace mirror;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = fuzz::as_text(data, size);
  const auto& options = fuzz::decode_options;
  const auto r = json::decode_server_list(bytes, options);
  fuzz::check_decoded(r, options.max_entry_bytes);
  if (r.batch) {
    const auto again = json::decode_server_list(bytes, options);
    FUZZ_CHECK(again.batch && again.batch->entries.size() == r.batch->entries.size() &&
               again.batch->next_cursor == r.batch->next_cursor);
  }
  return 0;
}
