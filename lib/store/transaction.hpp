#pragma once
// RAII write transaction: BEGIN IMMEDIATE takes the write lock up front (no busy upgrade halfway
// through), the destructor rolls back unless commit() ran (SQLiteCpp's Transaction shape).
#include "store/connection.hpp"

namespace mirror::store {

class transaction {
 public:
  explicit transaction(connection& conn);
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();
  void commit();

 private:
  connection& conn_;
  bool done_ = false;
};

}  // namespace mirror::store
