#include "model/status.hpp"

namespace mirror::model {

std::string_view to_string(status s) {
  switch (s) {
    case status::active: return "active";
    case status::deprecated: return "deprecated";
    case status::deleted: return "deleted";
  }
  return "active";  // unreachable for valid enum values; keeps -Wreturn-type quiet
}

std::optional<status> parse_status(std::string_view text) {
  // Exact, case-sensitive match: upstream validates against an enum of these literals, so
  // "Active" or " active" would never appear in a block it served.
  if (text == "active") return status::active;
  if (text == "deprecated") return status::deprecated;
  if (text == "deleted") return status::deleted;
  return std::nullopt;
}

}  // namespace mirror::model
