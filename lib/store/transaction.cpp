#include "store/transaction.hpp"

namespace mirror::store {

transaction::transaction(connection& conn) : conn_(conn) { conn_.exec("BEGIN IMMEDIATE"); }

transaction::~transaction() {
  if (done_) return;
  try {
    conn_.exec("ROLLBACK");
  } catch (...) {
    // A failed rollback leaves SQLite to roll back when the connection closes; a destructor
    // must not throw.
  }
}

void transaction::commit() {
  conn_.exec("COMMIT");
  done_ = true;
}

}  // namespace mirror::store
