#pragma once
// The Date header's value (RFC 9110 IMF-fixdate), reformatted at most once a second. One per
// server, used from the io thread only.
#include <algorithm>
#include <ctime>
#include <string>
#include <string_view>

namespace mirror::http {

class date_header {
 public:
  std::string_view now() {
    const std::time_t t = std::time(nullptr);
    if (t != last_) {
      std::tm tm{};
      gmtime_r(&t, &tm);
      text_.resize(std::strftime(buf_, sizeof buf_, "%a, %d %b %Y %H:%M:%S GMT", &tm));
      std::copy(buf_, buf_ + text_.size(), text_.begin());
      last_ = t;
    }
    return text_;
  }

 private:
  std::time_t last_ = 0;
  char buf_[64] = {};
  std::string text_;
};

}  // namespace mirror::http
