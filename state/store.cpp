#include "state/store.h"

#include <iterator>

#include "state/schema.h"

namespace dtsmock {

Store::Store(const std::string& path) : db_(path) {
  if (path != ":memory:") db_.exec("PRAGMA journal_mode=WAL");
  // FULL: a success envelope is only sent after the commit reached the disk.
  db_.exec("PRAGMA synchronous=FULL");
  db_.exec("PRAGMA foreign_keys=ON");
  migrate();
}

void Store::migrate() {
  db_.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  int current = 0;
  {
    auto& st = db_.prepare("SELECT version FROM schema_version LIMIT 1");
    if (st.step()) current = static_cast<int>(st.col_int(0));
    st.reset();
  }
  const auto migrations = schema_migrations();
  const int known = static_cast<int>(migrations.size());
  if (current > known)
    throw StoreError("database " + db_.path() + " has schema version " + std::to_string(current) +
                     ", newer than this dtsmock knows (" + std::to_string(known) + "); upgrade dtsmock or use another --db file");
  for (int v = current; v < known; ++v) {
    Transaction tx(db_);
    db_.exec(migrations[static_cast<size_t>(v)]);
    db_.exec("DELETE FROM schema_version");
    db_.prepare("INSERT INTO schema_version(version) VALUES (?)").bind(1, v + 1).exec();
    tx.commit();
  }
  schema_version_ = known;
}

}  // namespace dtsmock
