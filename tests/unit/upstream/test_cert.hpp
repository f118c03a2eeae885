#pragma once
// A throwaway self-signed certificate made with OpenSSL at test time (no key material in the
// repository), and a scope that makes the client trust it through SSL_CERT_FILE, the
// standard OpenSSL override that set_default_verify_paths() honors.
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "support/temp_dir.hpp"

namespace mirror::upstream::test {

struct test_cert {
  std::string cert_pem;
  std::string key_pem;
};

// `subject_alt_names` in OpenSSL config syntax, e.g. "DNS:localhost,IP:127.0.0.1".
test_cert make_self_signed(const std::string& subject_alt_names);

// A TLS server context presenting `cert`.
boost::asio::ssl::context server_context(const test_cert& cert);

// While alive, SSL_CERT_FILE points at a file holding only `cert` (restored afterwards).
// Create clients inside the scope: the CA store is read when the client is made.
class trust_scope {
 public:
  explicit trust_scope(const test_cert& cert);
  ~trust_scope();
  trust_scope(const trust_scope&) = delete;
  trust_scope& operator=(const trust_scope&) = delete;

 private:
  mirror::test::temp_dir dir_;
  std::optional<std::string> previous_;
};

}  // namespace mirror::upstream::test
