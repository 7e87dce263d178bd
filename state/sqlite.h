// A thin RAII layer over the SQLite C API: a connection, cached prepared
// statements that reset themselves, and a transaction that rolls back unless
// committed. SQLite failures become StoreError exceptions, which the dispatcher
// turns into InternalError.DatabaseError at the store boundary.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dtsmock {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int idx, int64_t v);
  Stmt& bind(int idx, double v);
  Stmt& bind(int idx, std::string_view v);
  Stmt& bind(int idx, const char* v) { return bind(idx, std::string_view(v)); }
  Stmt& bind(int idx, const std::string& v) { return bind(idx, std::string_view(v)); }
  Stmt& bind(int idx, int v) { return bind(idx, static_cast<int64_t>(v)); }
  Stmt& bind_null(int idx);

  // Binds all arguments from index 1 in order.
  template <typename... A>
  Stmt& bind_all(const A&... a) {
    int i = 1;
    (bind(i++, a), ...);
    return *this;
  }

  bool step();        // true while a row is available
  void exec();        // steps to completion, then resets
  void reset();

  int64_t col_int(int i) const;
  double col_double(int i) const;
  std::string col_text(int i) const;
  std::string_view col_view(int i) const;
  bool col_null(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

class Db {
 public:
  explicit Db(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  // A cached statement, reset and with bindings cleared, ready to bind.
  Stmt& prepare(std::string_view sql);
  int64_t changes() const;
  int64_t last_insert_rowid() const;
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

class Transaction {
 public:
  explicit Transaction(Db& db, bool write = true);
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace dtsmock
