#pragma once
// SQLite failures are not part of any normal flow (disk full, corruption, a locked file held past
// busy_timeout): they surface as store::error and are caught at a task boundary (a request → 500,
// an import → exit 1), never swallowed. Expected outcomes (not found, unchanged) are values.
#include <stdexcept>
#include <string>

namespace mirror::store {

class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace mirror::store
