#pragma once
// The one way JSON leaves this program (docs/design-habits.md H11). Appends to a caller-owned
// string, inserts commas itself, and escapes every string the way Go's encoding/json does with HTML
// escaping off (what the upstream emits, docs/upstream-api.md: Responses; Go 1.22+): `"` and `\`
// escaped, \b \f \n \r \t as short escapes, other control characters as \u00XX (lower-case hex),
// U+2028/U+2029 as \u2028/\u2029, each byte not starting a valid UTF-8 sequence as \ufffd;
// everything else (DEL, `<`, `>`, `&`, non-ASCII) raw. Numbers are integers only. `raw` embeds an
// already-valid JSON value (stored upstream `server` objects) without re-encoding it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mirror::json {

class writer {
 public:
  explicit writer(std::string& out) : out_(out) {}

  writer& begin_object();
  writer& end_object();
  writer& begin_array();
  writer& end_array();
  writer& key(std::string_view name);
  writer& string(std::string_view value);
  writer& number(std::int64_t value);
  writer& boolean(bool value);
  writer& null();
  writer& raw(std::string_view json_value);  // caller guarantees it is one valid JSON value
  // Inside an object: `"k":v,...` members already encoded (a relayed `_meta` part); "" adds none.
  writer& raw_members(std::string_view members);

  // Shorthands: key + value.
  writer& member(std::string_view name, std::string_view value) { return key(name).string(value); }
  writer& member(std::string_view name, const char* value) { return key(name).string(value); }
  writer& member(std::string_view name, std::int64_t value) { return key(name).number(value); }
  writer& member(std::string_view name, int value) { return key(name).number(value); }
  writer& member(std::string_view name, bool value) { return key(name).boolean(value); }

 private:
  void separate();  // a comma unless first in its container or right after a key
  std::string& out_;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
};

// Appends `value` escaped as above, with the surrounding quotes.
void append_escaped(std::string& out, std::string_view value);

}  // namespace mirror::json
