// The whole request pipeline, without sockets:
//   parse style → authenticate → common parameters → rate limit → faults
//   → decode + validate against the API model → dispatch (one transaction)
//   → envelope → journal.
// The session (server/net/) hands every request to App::handle and writes back
// what it returns, honouring the transport effects of fault rules.
#pragma once
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "server/auth.h"
#include "server/config.h"
#include "server/control/control_api.h"
#include "server/control/faults.h"
#include "server/control/journal.h"
#include "server/http.h"
#include "server/ratelimit.h"
#include "state/clock.h"
#include "state/ids.h"
#include "state/store.h"

namespace dtsmock {

class App {
 public:
  App(const Config& cfg, Store& store, Clock& clock, IdSource& ids, Credentials creds);

  // Thread-safe. Never throws.
  HttpResponse handle(const HttpRequest& req);
  // An error envelope for a request the transport could not hand over whole
  // (size limits, broken HTTP framing).
  HttpResponse reject(const ApiError& e);
  // The control API alone (for --admin-listen's separate socket).
  HttpResponse handle_control_only(const HttpRequest& req);

  // Loads fixture JSON that may also carry "faults" (fault rules) and
  // "jobFaults" (scheduled job failures): all or nothing. Returns "" or why not.
  std::string load_scenario(const JsonValue& doc, size_t* jobs_loaded = nullptr);
  // Every *.json file of dir, in name order (--fixtures). Throws on a bad file.
  size_t load_fixture_dir(const std::string& dir);

  FaultEngine& faults() { return faults_; }
  Journal& journal() { return journal_; }
  // Runs f with exclusive access to the store (startup fixture loading, tests).
  template <typename F>
  auto with_store(F&& f) {
    std::lock_guard lk(store_mu_);
    return f(store_);
  }

 private:
  HttpResponse api(const HttpRequest& req);
  HttpResponse health();
  HttpResponse control(const HttpRequest& req);
  void wire_control_hooks();

  const Config& cfg_;
  Store& store_;
  Clock& clock_;
  IdSource& ids_;
  Credentials creds_;
  RateLimiter limiter_;
  FaultEngine faults_;
  Journal journal_;
  ControlDeps control_;
  std::mutex store_mu_;  // the SQLite connection is used by one thread at a time
  std::chrono::steady_clock::time_point started_;
};

}  // namespace dtsmock
