// metrics text-format primitives: number spelling, escaping, name syntax.
#include <doctest/doctest.h>

#include <limits>

#include "metrics/text_format.hpp"

using mirror::metrics::format_value;

TEST_CASE("metrics: numbers are spelled like Prometheus client libraries") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  CHECK(format_value(0) == "0");
  CHECK(format_value(-0.0) == "0");
  CHECK(format_value(1) == "1");
  CHECK(format_value(-3) == "-3");
  CHECK(format_value(1e6) == "1000000");
  CHECK(format_value(9007199254740992.0) == "9007199254740992");
  CHECK(format_value(1e20) == "100000000000000000000");
  CHECK(format_value(1e21) == "1e+21");
  CHECK(format_value(1.5) == "1.5");
  CHECK(format_value(0.1) == "0.1");
  CHECK(format_value(0.0005) == "0.0005");
  CHECK(format_value(0.00012) == "0.00012");
  CHECK(format_value(1e-5) == "1e-05");
  CHECK(format_value(-2.5e-7) == "-2.5e-07");
  CHECK(format_value(1.0 / 3) == "0.3333333333333333");
  CHECK(format_value(123456789.125) == "123456789.125");
  CHECK(format_value(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(format_value(inf) == "+Inf");
  CHECK(format_value(-inf) == "-Inf");
  CHECK(format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEST_CASE("metrics: label values escape backslash, quote and newline - help keeps quotes") {
  std::string label, help;
  mirror::metrics::append_escaped_label_value(label, "a\\b\"c\nd\te");
  mirror::metrics::append_escaped_help(help, "a\\b\"c\nd");
  CHECK(label == "a\\\\b\\\"c\\nd\te");
  CHECK(help == "a\\\\b\"c\\nd");
}

TEST_CASE("metrics: metric and label name syntax") {
  using mirror::metrics::valid_label_name;
  using mirror::metrics::valid_metric_name;
  CHECK(valid_metric_name("mcp_mirror:http_requests_total"));
  CHECK(valid_metric_name("_x9"));
  CHECK_FALSE(valid_metric_name(""));
  CHECK_FALSE(valid_metric_name("9x"));
  CHECK_FALSE(valid_metric_name("a-b"));
  CHECK(valid_label_name("route"));
  CHECK_FALSE(valid_label_name("a:b"));
  CHECK_FALSE(valid_label_name("__name__"));
  CHECK_FALSE(valid_label_name("1a"));
}
