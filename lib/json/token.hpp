#pragma once
// Checks on single JSON tokens, used by the import decoder. simdjson On-Demand (3.0.1) hands
// out a scalar's raw bytes (`raw_json_token`) without validating them: `tru` or `-x` pass as
// tokens. Everything the decoder stores goes through these checks first, so stored `server`
// bytes are always valid JSON (what json::writer::raw requires).
#include <string>
#include <string_view>

namespace mirror::json::token {

// Drops JSON whitespace (space, \t, \n, \r) from the end; raw_json_token includes it.
std::string_view trim_right(std::string_view text);

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_number(std::string_view text);

// A complete string token: opening and closing quote, no raw control characters (< 0x20),
// escapes limited to \" \\ \/ \b \f \n \r \t \uXXXX. UTF-8 validity is simdjson's job (stage 1
// rejects invalid UTF-8 for the whole document).
bool is_string(std::string_view text);

// The content of a string token that passed is_string, unescaped the way Go's encoding/json
// does: surrogate pairs combined, a lone surrogate becomes U+FFFD.
std::string unescape(std::string_view text);

// Length of the escaped content of a key starting right after its opening quote (what
// simdjson's raw_json_string::raw() points at): the bytes up to the closing quote.
std::size_t escaped_key_length(const char* raw);

}  // namespace mirror::json::token
