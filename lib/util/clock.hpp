#pragma once
// Wall-clock time as microseconds since the Unix epoch. Injected (a std::function) wherever time
// is recorded, so tests fix it instead of sleeping.
#include <chrono>
#include <cstdint>
#include <functional>

namespace mirror::util {

using clock_fn = std::function<std::int64_t()>;

inline std::int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace mirror::util
