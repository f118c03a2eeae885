#include "upstream/errors.hpp"

#include <string>

namespace mirror::upstream {

namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "mirror.upstream"; }

  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::response_too_large: return "upstream response larger than the configured cap";
      case errc::bad_gzip: return "upstream sent a corrupt or truncated gzip body";
      case errc::unsupported_encoding: return "upstream sent a Content-Encoding we did not ask for";
      case errc::bad_base_url: return "upstream base URL is not an absolute http(s) URL";
      case errc::concurrent_get: return "concurrent get() on one upstream client";
      case errc::connect_timeout: return "upstream resolve/connect timed out";
      case errc::handshake_timeout: return "upstream TLS handshake timed out";
      case errc::write_timeout: return "upstream request write timed out";
      case errc::read_timeout: return "upstream response read timed out";
    }
    return "unknown upstream error";
  }

  boost::system::error_condition default_error_condition(int value) const noexcept override {
    switch (static_cast<errc>(value)) {
      case errc::connect_timeout:
      case errc::handshake_timeout:
      case errc::write_timeout:
      case errc::read_timeout:
        return boost::system::errc::make_error_condition(boost::system::errc::timed_out);
      default:
        return {value, *this};
    }
  }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
  static const category instance;
  return instance;
}

}  // namespace mirror::upstream
