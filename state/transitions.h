// The one transition table of a migration job: for every state-checked action,
// the job statuses (and TradeStatus values) it is allowed from, the status it
// passes through, where it ends, and the code a refusal answers with
// (migrate-jobs.md §3, §3.1). Handlers, MigrateAction.AllowedAction, the docs
// and the tests all read this table; nothing else decides whether an action
// may run.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "state/errors.h"

namespace dtsmock {

// Job Status (JobItem.Status, 19 values).
enum class Status : uint8_t {
  creating, created, checking, checkPass, checkNotPass, readyRun, running, readyComplete, completing, success,
  failed, stopping, canceled, pausing, manualPaused, resumableErr, resuming, unknown, error,
  Count_
};
inline constexpr Status kNoStatus = Status::Count_;

// TradeInfo.TradeStatus.
enum class Trade : uint8_t { normal, resizing, reversing, isolating, isolated, offlining, offlined, notBilled, Count_ };

std::string_view status_name(Status s);
std::optional<Status> parse_status(std::string_view s);
std::span<const Status> all_statuses();
// Statuses the job leaves by itself (a timer runs).
bool is_transient(Status s);
std::string_view trade_name(Trade t);
std::optional<Trade> parse_trade(std::string_view s);

// The state-checked job actions.
enum class Act : uint8_t {
  Configure,      // ModifyMigrationJob
  Check,          // CreateMigrateCheckJob
  SkipCheck,      // SkipCheckItem
  Start,          // StartMigrateJob
  Pause,          // PauseMigrateJob
  Continue,       // ContinueMigrateJob
  Resume,         // ResumeMigrateJob
  Stop,           // StopMigrateJob
  Complete,       // CompleteMigrateJob
  Isolate,        // IsolateMigrateJob
  Recover,        // RecoverMigrateJob
  Destroy,        // DestroyMigrateJob
  Resize,         // ModifyMigrateJobSpec
  RateLimit,      // ModifyMigrateRateLimit
  CreateCompare,  // CreateCompareTask
  StartCompare,   // StartCompare
  Rename,         // ModifyMigrateName
  RuntimeAttr,    // ModifyMigrateRuntimeAttribute
  Count_
};

using StatusSet = uint32_t;
using TradeSet = uint16_t;
constexpr StatusSet bit(Status s) { return StatusSet{1} << static_cast<unsigned>(s); }
constexpr TradeSet bit(Trade t) { return static_cast<TradeSet>(1u << static_cast<unsigned>(t)); }

struct Rule {
  Act act;
  std::string_view api;        // the API action name
  std::string_view verb;       // its name in MigrateAction lists ("" = not listed)
  StatusSet from;              // statuses it is allowed from, on every link
  StatusSet from_redis;        // statuses additionally allowed on redis-family links
  TradeSet trade;              // TradeStatus values it is allowed under
  bool postpay_only;           // only for PayType postpay
  Status intermediate;         // status entered at once (kNoStatus: none)
  Status final_;               // status it ends in (kNoStatus: unchanged / decided by the job)
  std::string_view phase;      // Timing phase of the intermediate status
  Err refusal;                 // code for a call from a wrong status
};

std::span<const Rule> rules();
const Rule& rule(Act a);

// What the table needs to know about a job.
struct JobView {
  std::string_view job_id;
  Status status = Status::created;
  Trade trade = Trade::normal;
  bool redis = false;     // redis-family link (see is_redis_family)
  bool postpay = true;
  bool removed = false;   // destroyed (offlined, or a non-billed job isolated)
};

bool allowed(Act a, const JobView& j);
// nullopt when allowed; otherwise the rule's refusal code with a message naming
// the current status and the statuses (or TradeStatus values) it is allowed from.
std::optional<ApiError> refusal(Act a, const JobView& j);

// MigrateAction.AllAction and AllowedAction ("view" first, then every allowed verb).
std::span<const std::string_view> all_action_verbs();
std::vector<std::string> allowed_action_verbs(const JobView& j);

// Statuses an action is allowed from, as the message lists them ("a, b, c").
std::string allowed_from_text(Act a, bool redis);

}  // namespace dtsmock
