// Built only by the `layers: a forbidden include fails to compile` test, as if it were part of
// lib/api: api may use store, but not sync, so the second include must not be found.
#include "store/reader.hpp"
#include "sync/syncer.hpp"
