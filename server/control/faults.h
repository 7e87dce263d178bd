// Fault injection: rules added through the control API that make chosen calls
// fail, stall or break the transport, so clients' error paths can be tested.
//
// A rule filters on action, jobId, tenant and region (an absent filter matches
// anything) and carries exactly one effect (error, transport or http), an
// optional delay, or both. Rules are consulted in the order they were added;
// every rule whose filters match counts the call, and the first one that
// decides to fire answers it (later rules are not consulted for that call).
// A rule decides in this order: skip the first `after` matches; then roll its
// `probability` (a seeded rule draws the same sequence on every run); then
// fire. A rule with `times` retires after firing that many times; a retired
// rule stays in the listing (with its counters) but no longer matches.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http.h"
#include "state/errors.h"
#include "state/json.h"

namespace dtsmock {

// An error to answer in the Tencent envelope. The code may be outside the
// catalogue (fault rules may use any code); `err` is set when it is catalogued.
struct InjectedError {
  std::string code;
  std::optional<Err> err;
  std::string en, zh;  // the rule's message in both, or the code's default texts
  const std::string& message(Lang l) const { return l == Lang::Zh ? zh : en; }
};

// What a firing rule asks the pipeline to do instead of (or before) the call.
struct FaultHit {
  std::string rule_id;
  std::optional<InjectedError> error;      // answer this error (HTTP 200, Tencent envelope)
  Transport transport = Transport::Normal;  // break the transport
  std::optional<int> http_status;           // answer this raw HTTP response
  std::string http_body;
  std::string http_content_type;
  int64_t delay_ms = 0;                     // wait before answering (alone: then run the call normally)

  // True when the rule only delays the call: the pipeline goes on to validate
  // and dispatch, and answers after delay_ms.
  bool delay_only() const { return !error && transport == Transport::Normal && !http_status; }
};

// Applies the hit's non-envelope effects to a response: the delay, the
// transport fault, and for an http effect its status, body and content type.
// For an error effect, build the envelope first (envelope_error with
// hit.error->code and message), then call this to add the delay.
void apply_fault(const FaultHit& hit, HttpResponse& resp);

struct FaultAddResult {
  std::vector<std::string> ids;  // in the order given; empty on error
  std::string error;             // non-empty: nothing was added (a list is all or nothing)
  bool conflict = false;         // the error is a duplicate id (HTTP 409 rather than 400)
  bool ok() const { return error.empty(); }
};

class FaultEngine {
 public:
  FaultEngine();
  ~FaultEngine();
  FaultEngine(const FaultEngine&) = delete;
  FaultEngine& operator=(const FaultEngine&) = delete;

  // Adds one rule (an object) or several (an array of objects, as in scenario
  // files). Every rule is validated strictly first; on any error nothing is
  // added and the message names the offending rule and member.
  FaultAddResult add(const JsonValue& rule_or_rules);

  // {"faults": [rule..., each with "id", "matched", "fired", "active"]}
  Json list() const;
  // One rule as listed, or nullopt.
  std::optional<Json> get(std::string_view id) const;
  bool remove(std::string_view id);
  size_t clear();  // returns how many were removed
  size_t size() const;

  // Called for every API call after auth, rate limiting and validation. Cheap when there
  // are no rules (one atomic load).
  std::optional<FaultHit> match(std::string_view action, std::string_view job_id, std::string_view tenant,
                                std::string_view region);

  struct Rule;  // defined in faults.cpp

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::atomic<size_t> active_{0};
  uint64_t next_id_ = 1;
};

}  // namespace dtsmock
