// /health, /ping, /version, /openapi.yaml and the read-only answers to write operations.
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "json/writer.hpp"

namespace mirror::api::handlers {
namespace {

response json_body(std::string body) {
  response r;
  r.body = std::move(body);
  r.body += '\n';
  return r;
}

}  // namespace

response ping() {
  std::string body;
  json::writer(body).begin_object().member("pong", true).end_object();
  return json_body(std::move(body));
}

response version_info(const service_options& options) {
  std::string body;
  json::writer w(body);
  w.begin_object()
      .member("version", options.version)
      .member("git_commit", options.git_commit)
      .member("build_time", options.build_time)
      .end_object();
  return json_body(std::move(body));
}

response openapi(const service_options& options) {
  response r;
  r.content_type = "application/openapi+yaml";
  r.body = options.openapi_yaml;
  r.cacheable = true;
  return r;
}

response read_only(std::string_view detail) { return problem(501, detail); }

}  // namespace mirror::api::handlers
