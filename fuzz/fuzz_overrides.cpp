// Curation's override rewriter (curation/decide apply_overrides over json/tree, and the per-name
// view around it) on arbitrary stored server.json bytes, with a fixed rule set that uses every
// override kind. Properties: the served bytes are valid minified JSON; applying the same
// overrides a second time changes nothing (each rule's `to` does not start with its `from`).
#include "curation/decide.hpp"
#include "curation/view.hpp"
#include "fuzz_check.hpp"
#include "json/tree.hpp"

using namespace mirror;

namespace {

curation::rule_set make_rules() {
  using curation::rewrite;
  curation::rule_set rules;
  rules.file = "fuzz.yaml";
  curation::rule texts;
  texts.id = "texts";
  texts.set.title = "Title \"quoted\" \xC3\xA9";
  texts.set.description = "A description";
  texts.set.website_url = "https://example.com/";
  texts.set.icons_json = R"([{"src":"https://example.com/icon.png","mimeType":"image/png"}])";
  rules.rules.push_back(texts);

  curation::rule rewrites;
  rewrites.id = "rewrites";
  rewrites.when.registry_types = {"npm", "oci", "pypi"};
  rewrites.set.rewrites = {
      {rewrite::field::package_identifier, "@acme/", "@internal/", std::nullopt},
      {rewrite::field::registry_base_url, "", "https://npm.internal.example", std::string("npm")},
      {rewrite::field::registry_base_url, "https://pypi.registry.example", "https://pypi.internal.example", std::nullopt},
      {rewrite::field::oci_host, "docker.io/", "registry.internal.example/", std::nullopt},
      {rewrite::field::oci_host, "ghcr.io", "mirror.internal.example:5000", std::nullopt},
      {rewrite::field::remote_url, "https://api.acme.example/", "https://proxy.internal.example/acme/", std::nullopt},
  };
  rewrites.set.env_defaults = {{"API_KEY", "unset"}, {"LOG_LEVEL", "info"}};
  rules.rules.push_back(rewrites);

  curation::rule old;
  old.id = "old";
  old.when.versions = {"0.*"};
  old.deprecate = "use 1.x";
  old.action = curation::visibility::include;
  rules.rules.push_back(old);
  return rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const curation::rule_set rules = make_rules();
  const auto text = fuzz::as_text(data, size);
  auto parsed = json::parse_tree(text);
  if (!parsed.value || !parsed.value->is_object()) return 0;  // stored bytes are always objects

  // Every rule matched: each override kind runs whatever the server looks like.
  curation::decision all;
  for (const auto& r : rules.rules) all.matched.push_back(&r);
  auto server = *parsed.value;
  curation::apply_overrides(all, server);
  const auto served = server.to_string();
  const auto reparsed = json::parse_tree(served);
  FUZZ_CHECK(reparsed.value && reparsed.value->to_string() == served);
  FUZZ_CHECK(curation::apply_overrides(all, server).empty());

  // The view: facts, matching, deprecation and isLatest over two versions of one name.
  const auto* name = parsed.value->find("name");
  model::server_version v;
  v.name = name && name->text() ? *name->text() : "io.example/fuzz";
  v.version = "0.1.0";
  v.server_json = parsed.value->to_string();
  v.official.is_latest = true;
  curation::input_version a{v}, b{v};
  b.data.version = "1.0.0";
  b.data.official.is_latest = false;
  const auto view = curation::curate_name(rules, {a, b}, 1'759'147'200'000'000);
  FUZZ_CHECK(view.versions.size() == 2);
  for (const auto& cv : view.versions) {
    if (!cv.visible) continue;
    const auto out = json::parse_tree(cv.served.server_json);
    FUZZ_CHECK(out.value && out.value->to_string() == cv.served.server_json);
  }
  return 0;
}
