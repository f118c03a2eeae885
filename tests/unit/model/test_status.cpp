#include <doctest/doctest.h>

#include "model/server_version.hpp"
#include "model/status.hpp"

using namespace mirror::model;

TEST_CASE("status names are the exact strings of the official _meta block") {
  CHECK(to_string(status::active) == "active");
  CHECK(to_string(status::deprecated) == "deprecated");
  CHECK(to_string(status::deleted) == "deleted");
}

TEST_CASE("parse_status inverts to_string") {
  for (status s : {status::active, status::deprecated, status::deleted}) {
    CAPTURE(to_string(s));
    REQUIRE(parse_status(to_string(s)).has_value());
    CHECK(*parse_status(to_string(s)) == s);
  }
}

TEST_CASE("parse_status rejects anything but the exact lower-case names") {
  CHECK_FALSE(parse_status("").has_value());
  CHECK_FALSE(parse_status("Active").has_value());
  CHECK_FALSE(parse_status("DELETED").has_value());
  CHECK_FALSE(parse_status(" active").has_value());
  CHECK_FALSE(parse_status("active ").has_value());
  CHECK_FALSE(parse_status("archived").has_value());
}

TEST_CASE("source names are the local bookkeeping strings") {
  CHECK(to_string(source::upstream) == "upstream");
  CHECK(to_string(source::import) == "import");
  CHECK(to_string(source::seed) == "seed");
}
