#include <doctest/doctest.h>

#include "json/token.hpp"

namespace token = mirror::json::token;

TEST_CASE("token::is_number follows the JSON grammar") {
  for (const char* ok : {"0", "-0", "1", "10", "1.0", "1e3", "1E+3", "-2.5e-10", "123456789012345678901234567890"}) {
    CAPTURE(ok);
    CHECK(token::is_number(ok));
  }
  for (const char* bad : {"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "-abc", "1 "}) {
    CAPTURE(bad);
    CHECK_FALSE(token::is_number(bad));
  }
}

TEST_CASE("token::is_string checks quotes, escapes and raw control characters") {
  CHECK(token::is_string(R"("")"));
  CHECK(token::is_string(R"("a \" \\ \/ \b \f \n \r \t \u00e9 \uD83D\uDE00")"));
  CHECK(token::is_string("\"caf\xC3\xA9\""));
  CHECK_FALSE(token::is_string(R"(")"));
  CHECK_FALSE(token::is_string(R"("abc)"));
  CHECK_FALSE(token::is_string(R"("\q")"));
  CHECK_FALSE(token::is_string(R"("\u00g0")"));
  CHECK_FALSE(token::is_string(R"("\u00")"));
  CHECK_FALSE(token::is_string(R"("\")"));
  CHECK_FALSE(token::is_string("\"a\tb\""));
  CHECK_FALSE(token::is_string(R"("a"b")"));
}

TEST_CASE("token::unescape decodes like Go") {
  CHECK(token::unescape(R"("plain")") == "plain");
  CHECK(token::unescape(R"("\"\\\/\b\f\n\r\t")") == "\"\\/\b\f\n\r\t");
  CHECK(token::unescape(R"("caf\u00e9")") == "caf\xC3\xA9");
  CHECK(token::unescape(R"("\u2028")") == "\xE2\x80\xA8");
  CHECK(token::unescape(R"("\ud83d\ude00")") == "\xF0\x9F\x98\x80");
  CHECK(token::unescape(R"("\ud83d")") == "\xEF\xBF\xBD");          // lone high surrogate
  CHECK(token::unescape(R"("\ude00x")") == "\xEF\xBF\xBDx");        // lone low surrogate
  CHECK(token::unescape(R"("\ud83d\u0041")") == "\xEF\xBF\xBD" "A");  // high + non-low
  CHECK(token::unescape(R"("\u0000")") == std::string("\0", 1));
}

TEST_CASE("token::trim_right and escaped_key_length") {
  CHECK(token::trim_right("\"a\" \t\r\n") == "\"a\"");
  CHECK(token::trim_right("12") == "12");
  CHECK(token::escaped_key_length(R"(name":1)") == 4);
  CHECK(token::escaped_key_length(R"(a\"b\\":1)") == 6);
}
