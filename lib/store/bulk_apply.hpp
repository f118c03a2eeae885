#pragma once
// One writer::apply transaction fed in chunks: a streamed import adds its rows a few megabytes
// at a time and commits once, so a file of any size is stored whole or not at all while only
// one chunk of it is in memory. writer::apply is add() once and commit().
#include <cstdint>
#include <memory>
#include <span>

#include "store/writer.hpp"

namespace mirror::store {

class bulk_apply {
 public:
  // Takes the write lock (BEGIN IMMEDIATE). Destroyed without commit(), it rolls back: nothing
  // added is stored.
  bulk_apply(writer& w, model::source source, std::int64_t now_us, const apply_options& options = {});
  ~bulk_apply();
  bulk_apply(const bulk_apply&) = delete;
  bulk_apply& operator=(const bulk_apply&) = delete;

  // Stores mirrored rows. A name's isLatest flag and served rows are settled by commit(), after
  // every chunk that names it, exactly as if all rows had come in one apply.
  void add(std::span<const incoming> rows);

  // Repairs isLatest for every touched name, refreshes their served rows (or the whole view when
  // the rules changed), advances the change sequence and the sync state, and commits.
  apply_result commit();

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace mirror::store
