// The SQLite store: one connection, numbered schema migrations, WAL mode.
// All access happens under the dispatcher's lock (see server/app.cpp), so the
// connection is used by one thread at a time.
#pragma once
#include <string>

#include "state/sqlite.h"
#include "state/timing.h"

namespace dtsmock {

class Store {
 public:
  // Opens (creating if needed) and migrates the database. Throws StoreError,
  // including for a file written by a newer dtsmock than this binary.
  explicit Store(const std::string& path);

  Db& db() { return db_; }
  const std::string& path() const { return db_.path(); }
  int schema_version() const { return schema_version_; }

  // The active phase durations of simulated jobs (--timing, --phase). Handlers
  // read them through the Store& they are given.
  const Timing& timing() const { return timing_; }
  Timing& timing() { return timing_; }
  void set_timing(Timing t) { timing_ = std::move(t); }

 private:
  void migrate();
  Db db_;
  int schema_version_ = 0;
  Timing timing_ = Timing::fast();
};

}  // namespace dtsmock
