#include "util/yaml_load.hpp"

#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "util/yaml_fields.hpp"

namespace mirror::util {
namespace {

[[noreturn]] void refuse(const YAML::Mark& mark, std::string key, std::string message) {
  throw yaml_failure{{"", mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1,
                      key.empty() ? "(top level)" : std::move(key), std::move(message)}};
}

// The size of a node with its aliases expanded.
struct weight {
  std::size_t nodes = 0;
  std::size_t bytes = 0;
};

// Counts the expanded document while the parser runs; throws (which stops the parser) as soon
// as a bound is crossed, so a bomb costs as much as the bytes read before the bound.
class bounds_checker final : public YAML::EventHandler {
 public:
  explicit bounds_checker(const yaml_limits& l) : limits_(l) {}

  void OnDocumentStart(const YAML::Mark&) override { ++documents_; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor, {1, 0}); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    leaf(mark, anchor, {1, value.size()}, &value);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    one_document(mark);
    for (const auto& f : open_)
      if (f.anchor == anchor && anchor != 0)
        refuse(mark, path(), "a YAML alias refers to a node that contains it (an endless loop)");
    const auto it = anchored_.find(anchor);
    leaf(mark, 0, it == anchored_.end() ? weight{1, 0} : it->second);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct frame {
    YAML::anchor_t anchor;
    bool map;
    std::size_t items = 0;  // children seen (a map's keys and values both count)
    std::string key;        // a map's current key, for error paths
    weight w{1, 0};
  };

  std::string path() const {
    std::string p;
    for (const auto& f : open_) {
      if (f.map && !f.key.empty()) p = join_key(p, f.key);
      if (!f.map && f.items > 0) p = index_key(p, f.items - 1);
    }
    return p;
  }

  void add(const YAML::Mark& mark, weight w) {
    total_.nodes += w.nodes;
    total_.bytes += w.bytes;
    if (total_.nodes > limits_.max_nodes)
      refuse(mark, path(), fmt::format("more than {} YAML nodes once aliases are expanded", limits_.max_nodes));
    if (total_.bytes > limits_.max_scalar_bytes)
      refuse(mark, path(),
             fmt::format("more than {} bytes of YAML text once aliases are expanded", limits_.max_scalar_bytes));
  }

  // A child of the innermost open node has arrived: advance its position for error paths.
  void child(const std::string* scalar) {
    if (open_.empty()) return;
    auto& f = open_.back();
    if (f.map && f.items % 2 == 0) f.key = scalar ? *scalar : std::string("?");
    ++f.items;
  }

  // Refused at the second document's first node, which is where a reader looks for it.
  void one_document(const YAML::Mark& mark) {
    if (documents_ > 1)
      refuse(mark, "", "more than one YAML document (a `---` line, or text outside the document); "
                       "the file holds one");
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, weight w, const std::string* scalar = nullptr) {
    one_document(mark);
    child(scalar);
    add(mark, w);
    if (anchor != 0) anchored_[anchor] = w;
    if (!open_.empty()) {
      open_.back().w.nodes += w.nodes;
      open_.back().w.bytes += w.bytes;
    }
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool map) {
    one_document(mark);
    child(nullptr);
    if (open_.size() >= limits_.max_depth)
      refuse(mark, path(), fmt::format("nested deeper than {} levels", limits_.max_depth));
    add(mark, {1, 0});
    open_.push_back(frame{anchor, map, 0, {}, {1, 0}});
  }

  void close() {
    const frame f = open_.back();
    open_.pop_back();
    if (f.anchor != 0) anchored_[f.anchor] = f.w;
    if (!open_.empty()) {
      open_.back().w.nodes += f.w.nodes;
      open_.back().w.bytes += f.w.bytes;
    }
  }

  const yaml_limits& limits_;
  std::size_t documents_ = 0;
  weight total_;
  std::vector<frame> open_;
  std::unordered_map<YAML::anchor_t, weight> anchored_;
};

}  // namespace

YAML::Node load_bounded(std::string_view text, const yaml_limits& limits) {
  if (text.size() > limits.max_bytes)
    throw yaml_failure{{"", 0, 0, "(file)", fmt::format("larger than {} bytes", limits.max_bytes)}};
  // Two passes over one stream: yaml-cpp builds a node tree only through YAML::Load, which
  // expands every alias with no bound, so the events are counted first (stopping a bomb at its
  // bound) and the tree is built only from text that passed. Files are small (max_bytes), so
  // parsing twice is cheap next to what an unbounded alias expansion could cost.
  std::istringstream in{std::string(text)};
  {
    YAML::Parser parser(in);
    bounds_checker checker(limits);
    while (parser.HandleNextDocument(checker)) {
    }
  }
  in.clear();
  in.seekg(0);
  return YAML::Load(in);
}

}  // namespace mirror::util
