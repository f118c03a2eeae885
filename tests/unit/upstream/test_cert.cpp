#include "test_cert.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace mirror::upstream::test {

namespace {

template <class T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;
using ext_ptr = std::unique_ptr<X509_EXTENSION, deleter<X509_EXTENSION, X509_EXTENSION_free>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ext_ptr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, "extension");
}

}  // namespace

test_cert make_self_signed(const std::string& subject_alt_names) {
  pkey_ptr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "key");
  x509_ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);  // v3, for extensions
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("mcp-mirror test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_subject_alt_name, subject_alt_names);
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "sign");

  test_cert out;
  bio_ptr cert_bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1, "PEM cert");
  out.cert_pem = drain(cert_bio.get());
  bio_ptr key_bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM key");
  out.key_pem = drain(key_bio.get());
  return out;
}

boost::asio::ssl::context server_context(const test_cert& cert) {
  namespace ssl = boost::asio::ssl;
  ssl::context ctx(ssl::context::tls_server);
  ctx.use_certificate(boost::asio::buffer(cert.cert_pem), ssl::context::pem);
  ctx.use_private_key(boost::asio::buffer(cert.key_pem), ssl::context::pem);
  return ctx;
}

trust_scope::trust_scope(const test_cert& cert) {
  if (const char* old = std::getenv("SSL_CERT_FILE")) previous_ = old;
  const auto file = dir_.path() / "ca.pem";
  std::ofstream(file) << cert.cert_pem;
  ::setenv("SSL_CERT_FILE", file.c_str(), 1);
}

trust_scope::~trust_scope() {
  if (previous_)
    ::setenv("SSL_CERT_FILE", previous_->c_str(), 1);
  else
    ::unsetenv("SSL_CERT_FILE");
}

}  // namespace mirror::upstream::test
