#include "snapshot/export.hpp"

#include <fstream>
#include <stdexcept>

#include "render/server_response.hpp"
#include "json/writer.hpp"
#include "model/timestamp.hpp"
#include "store/reader.hpp"
#include "util/sha256.hpp"

namespace mirror::snapshot {

namespace {

void write_file(const std::filesystem::path& file, std::string_view bytes) {
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, file);
}

}  // namespace

manifest export_snapshot(const std::filesystem::path& database, const std::filesystem::path& out_dir,
                         const export_options& options) {
  if (!std::filesystem::exists(database))
    throw std::runtime_error("export: no mirror database at " + database.string());
  auto reader = store::reader::open(database, options.curated ? store::view::served : store::view::mirrored, 0,
                                    options.source);
  const auto consistent = reader.snapshot();  // the state and every page from one commit

  manifest m;
  m.created_at = model::format_rfc3339(options.now_us);
  m.curated = options.curated;
  const auto state = reader.sync_state(options.source);
  if (state.watermark_us && state.upstream) {
    m.upstream = state.upstream;
    m.watermark_us = state.watermark_us;
  }

  render::render_options render;
  if (options.curated) {
    render.mirror_meta_key = options.mirror_meta_key;
    render.curation_meta_key = options.curation_meta_key;
  }
  std::string data;
  model::list_query q;
  q.limit = 100;
  q.include_deleted = true;
  for (store::page_walk walk(reader, q); auto page = walk.next();) {
    for (const auto& r : *page) {
      std::string line;
      json::writer lw(line);
      render::write_server_response(lw, r, render);
      data += line;
      data += '\n';
      m.counts.add(r.data.official.status);
    }
  }
  m.data_bytes = data.size();
  m.data_sha256 = util::sha256_hex(data);

  std::filesystem::create_directories(out_dir);
  // The manifest is what makes a directory a snapshot, so it goes first and comes back last: an
  // export killed in between (over an older export, too) leaves no manifest, and `import`
  // refuses the directory instead of pairing an old manifest with new data.
  std::filesystem::remove(out_dir / std::string(manifest_file));
  write_file(out_dir / std::string(data_file), data);
  write_file(out_dir / std::string(manifest_file), render_manifest(m));
  return m;
}

}  // namespace mirror::snapshot
