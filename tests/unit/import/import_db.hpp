#pragma once
// A fresh database with its writer and one reader, for the import tests.
#include <cstdint>

#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/temp_dir.hpp"

namespace mirror::test {

inline constexpr std::int64_t import_t0 = 1'760'000'000'000'000;

struct import_db {
  temp_dir dir;
  store::writer w = store::writer::open(dir.path() / "m.db");
  store::reader r = store::reader::open(dir.path() / "m.db");
};

}  // namespace mirror::test
