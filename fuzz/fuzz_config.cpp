// mirror.yaml (config::parse: yaml-cpp, then the schema walk with file:line:column errors).
// Properties: an error names the file and says something; parsing is deterministic; an accepted
// listen address prints back to the same host and port.
#include <variant>

#include "config/config.hpp"
#include "fuzz_check.hpp"

using namespace mirror;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto yaml = fuzz::as_text(data, size);
  const auto r = config::parse(yaml, "mirror.yaml");
  if (const auto* e = std::get_if<config::error>(&r)) {
    FUZZ_CHECK(e->file == "mirror.yaml" && !e->message.empty());
    FUZZ_CHECK(e->to_string().starts_with("mirror.yaml:"));
    const auto again = config::parse(yaml, "mirror.yaml");
    FUZZ_CHECK(std::holds_alternative<config::error>(again) &&
               std::get<config::error>(again).to_string() == e->to_string());
    return 0;
  }
  const auto& c = std::get<config::mirror_config>(r);
  const auto& h = c.listen_host;
  const bool bracket = h.empty() || h.front() == '[' || h.find(':') != std::string::npos;
  const auto listen = (bracket ? "[" + h + "]" : h) + ":" + std::to_string(c.listen_port);
  std::string host;
  std::uint16_t port = 0;
  FUZZ_CHECK(config::parse_listen(listen, host, port) && host == c.listen_host && port == c.listen_port);
  return 0;
}
