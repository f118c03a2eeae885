#pragma once
// The configured views (config `views:`) as the daemon holds them: each view's rules (what
// explain reads, swapped by a reload), its bearer tokens (re-read by a reload) and its
// generation (its change sequence, which the HTTP layer keys cached pages and ETags by).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/views.hpp"
#include "config/config.hpp"
#include "curation/rules_curator.hpp"
#include "store/writer.hpp"

namespace mirror::app {

// A token file: one token per line, blank lines and `#` comments skipped, each at least 16
// characters, one at least. The tokens, or an error naming the file.
std::variant<std::vector<std::string>, std::string> read_view_tokens(const std::filesystem::path& file);

// The rules of a view's curation file, or an error ("file:line:column: key: message").
std::variant<std::shared_ptr<const curation::rules_curator>, std::string> load_view_rules(
    const config::view_config& v, std::int64_t now_us);

class view_set {
 public:
  // Reads every view's rules and tokens; throws config::invalid_config naming the view.
  view_set(const config::mirror_config& cfg, std::int64_t now_us);

  // For the writer (store::writer::set_views), in configured order.
  std::vector<store::view_spec> specs() const;
  std::size_t size() const { return views_.size(); }
  const config::view_config& config_of(std::size_t i) const { return views_[i]->cfg; }
  curation::curation_state& rules(std::size_t i) { return *views_[i]->rules; }
  // Re-reads view i's token file: an error (kept the old tokens) or "".
  std::string reload_tokens(std::size_t i);

  // The API's view entries: tokens and explain (explain given how to explain under some rules).
  using explain_fn = std::function<std::optional<std::string>(const curation::rules_curator&, std::string_view,
                                                              std::optional<std::string_view>)>;
  std::vector<api::view_options> api_options(explain_fn explain);

  // The generation of the view `target` is under (api::split_view_path), or nullptr for the
  // root's. Only grows: publish() keeps the larger.
  std::atomic<std::uint64_t>* generation_of(std::string_view target);
  void publish(const std::vector<std::int64_t>& seqs);

 private:
  struct view {
    config::view_config cfg;
    std::unique_ptr<curation::curation_state> rules;
    mutable std::mutex tokens_mutex;
    std::shared_ptr<const std::vector<std::string>> tokens;  // null: public
    std::atomic<std::uint64_t> generation{0};
  };
  std::vector<std::unique_ptr<view>> views_;
};

}  // namespace mirror::app
