#include "util/file_error.hpp"

#include <fmt/format.h>

namespace mirror::util {

std::string file_error::to_string() const { return fmt::format("{}:{}:{}: {}: {}", file, line, column, key, message); }

}  // namespace mirror::util
