#include "model/server_version.hpp"

namespace mirror::model {

std::string_view to_string(source s) {
  switch (s) {
    case source::upstream: return "upstream";
    case source::import: return "import";
    case source::seed: return "seed";
    case source::local: return "local";
  }
  return "upstream";  // unreachable for valid enum values; keeps -Wreturn-type quiet
}

}  // namespace mirror::model
