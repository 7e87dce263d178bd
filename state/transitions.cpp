#include "state/transitions.h"

#include <array>

namespace dtsmock {
namespace {

constexpr std::string_view kStatusNames[] = {
    "creating", "created",  "checking", "checkPass", "checkNotPass", "readyRun",     "running",
    "readyComplete", "completing", "success", "failed", "stopping", "canceled", "pausing",
    "manualPaused", "resumableErr", "resuming", "unknown", "error",
};
static_assert(std::size(kStatusNames) == static_cast<size_t>(Status::Count_));

constexpr std::string_view kTradeNames[] = {"normal", "resizing", "reversing", "isolating", "isolated", "offlining", "offlined", "notBilled"};
static_assert(std::size(kTradeNames) == static_cast<size_t>(Trade::Count_));

constexpr std::array<Status, static_cast<size_t>(Status::Count_)> kAllStatuses = [] {
  std::array<Status, static_cast<size_t>(Status::Count_)> a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<Status>(i);
  return a;
}();

using S = Status;
using T = Trade;

constexpr StatusSet kAll = (StatusSet{1} << static_cast<unsigned>(Status::Count_)) - 1;
constexpr StatusSet kTransient = bit(S::creating) | bit(S::checking) | bit(S::readyRun) | bit(S::completing) |
                                 bit(S::stopping) | bit(S::pausing) | bit(S::resuming);
constexpr StatusSet kTerminal = bit(S::success) | bit(S::failed) | bit(S::canceled);
constexpr StatusSet kConfigurable = bit(S::created) | bit(S::checkPass) | bit(S::checkNotPass);

constexpr TradeSet kAnyTrade = static_cast<TradeSet>((1u << static_cast<unsigned>(Trade::Count_)) - 1);
// TradeStatus values under which the job itself can be operated.
constexpr TradeSet kUsable = bit(T::normal) | bit(T::resizing) | bit(T::reversing) | bit(T::notBilled);

// clang-format off
constexpr Rule kRules[] = {
  // act             api                              verb             from                                     from_redis     trade                          postpay intermediate     final            phase         refusal
  {Act::Configure,   "ModifyMigrationJob",            "configure",     kConfigurable,                           0,             kUsable,                       false, kNoStatus,       S::created,      "",           Err::OperationDenied_OperationDeniedError},
  {Act::Check,       "CreateMigrateCheckJob",         "check",         kConfigurable,                           0,             kUsable,                       false, S::checking,     kNoStatus,       "checking",   Err::OperationDenied_JobOperationDeniedError},
  {Act::SkipCheck,   "SkipCheckItem",                 "",              bit(S::checkNotPass),                    0,             kUsable,                       false, kNoStatus,       kNoStatus,       "",           Err::OperationDenied_OperationDeniedError},
  {Act::Start,       "StartMigrateJob",               "start",         bit(S::checkPass),                       0,             kUsable,                       false, S::readyRun,     S::running,      "readyRun",   Err::FailedOperation_StatusInConflict},
  {Act::Pause,       "PauseMigrateJob",               "pause",         bit(S::running),                         0,             kUsable,                       false, S::pausing,      S::manualPaused, "pausing",    Err::OperationDenied_OperationDeniedError},
  {Act::Continue,    "ContinueMigrateJob",            "continue",      bit(S::manualPaused),                    0,             kUsable,                       false, S::resuming,     S::running,      "resuming",   Err::OperationDenied_OperationDeniedError},
  {Act::Resume,      "ResumeMigrateJob",              "resume",        bit(S::error) | bit(S::resumableErr),    bit(S::failed),kUsable,                       false, S::resuming,     kNoStatus,       "resuming",   Err::FailedOperation_NotAllowOperation},
  {Act::Stop,        "StopMigrateJob",                "stop",          bit(S::running) | bit(S::readyRun) | bit(S::readyComplete) | bit(S::error) | bit(S::manualPaused) | bit(S::unknown),
                                                                                                                  0,             kUsable,                       false, S::stopping,     S::canceled,     "stopping",   Err::FailedOperation_StatusInConflict},
  {Act::Complete,    "CompleteMigrateJob",            "complete",      bit(S::readyComplete),                   0,             kUsable,                       false, S::completing,   S::success,      "completing", Err::FailedOperation_StatusInConflict},
  {Act::Isolate,     "IsolateMigrateJob",             "isolate",       kAll & ~kTransient,                      0,             bit(T::normal) | bit(T::notBilled), false, kNoStatus,  kNoStatus,       "isolating",  Err::OperationDenied_OperationDeniedError},
  {Act::Recover,     "RecoverMigrateJob",             "recover",       kAll,                                    0,             bit(T::isolated),              false, kNoStatus,       kNoStatus,       "",           Err::OperationDenied_OperationDeniedError},
  {Act::Destroy,     "DestroyMigrateJob",             "offline",       kAll,                                    0,             bit(T::isolated),              false, kNoStatus,       kNoStatus,       "offlining",  Err::OperationDenied_OperationDeniedError},
  {Act::Resize,      "ModifyMigrateJobSpec",          "resize",        kAll & ~kTransient & ~kTerminal,         0,             bit(T::normal),                true,  kNoStatus,       kNoStatus,       "resizing",   Err::OperationDenied_OperationDeniedError},
  {Act::RateLimit,   "ModifyMigrateRateLimit",        "modify",        bit(S::running),                         0,             kUsable,                       false, kNoStatus,       kNoStatus,       "",           Err::FailedOperation_StatusInConflict},
  {Act::CreateCompare,"CreateCompareTask",            "createCmpTask", bit(S::running) | bit(S::readyComplete), 0,             kUsable,                       false, kNoStatus,       kNoStatus,       "",           Err::OperationDenied_OperationDeniedError},
  {Act::StartCompare,"StartCompare",                  "",              bit(S::running) | bit(S::readyComplete), 0,             kUsable,                       false, kNoStatus,       kNoStatus,       "",           Err::OperationDenied_OperationDeniedError},
  {Act::Rename,      "ModifyMigrateName",             "",              kAll,                                    0,             kAnyTrade,                     false, kNoStatus,       kNoStatus,       "",           Err::OperationDenied_OperationDeniedError},
  {Act::RuntimeAttr, "ModifyMigrateRuntimeAttribute", "",              kAll,                                    0,             kAnyTrade,                     false, kNoStatus,       kNoStatus,       "",           Err::OperationDenied_OperationDeniedError},
};
// clang-format on
static_assert(std::size(kRules) == static_cast<size_t>(Act::Count_));

constexpr bool rules_in_order() {
  for (size_t i = 0; i < std::size(kRules); ++i)
    if (static_cast<size_t>(kRules[i].act) != i) return false;
  return true;
}
static_assert(rules_in_order(), "kRules must be indexed by Act");

// AllAction: the 2022 example's list plus pause/continue (migrate-jobs.md §3.2).
constexpr std::string_view kAllVerbs[] = {"view",  "modify",        "check",   "start",  "configure", "stop",     "complete", "resume",
                                          "createCmpTask", "isolate", "offline", "resize", "recover",   "pause", "continue"};

std::string join_statuses(StatusSet set) {
  std::string s;
  for (Status st : kAllStatuses) {
    if (!(set & bit(st))) continue;
    if (!s.empty()) s += ", ";
    s += status_name(st);
  }
  return s;
}

std::string join_trades(TradeSet set) {
  std::string s;
  for (size_t i = 0; i < static_cast<size_t>(Trade::Count_); ++i) {
    if (!(set & bit(static_cast<Trade>(i)))) continue;
    if (!s.empty()) s += ", ";
    s += kTradeNames[i];
  }
  return s;
}

}  // namespace

std::string_view status_name(Status s) { return s < Status::Count_ ? kStatusNames[static_cast<size_t>(s)] : ""; }

std::optional<Status> parse_status(std::string_view s) {
  for (size_t i = 0; i < std::size(kStatusNames); ++i)
    if (kStatusNames[i] == s) return static_cast<Status>(i);
  return std::nullopt;
}

std::span<const Status> all_statuses() { return kAllStatuses; }

bool is_transient(Status s) { return (kTransient & bit(s)) != 0; }

std::string_view trade_name(Trade t) { return t < Trade::Count_ ? kTradeNames[static_cast<size_t>(t)] : ""; }

std::optional<Trade> parse_trade(std::string_view s) {
  for (size_t i = 0; i < std::size(kTradeNames); ++i)
    if (kTradeNames[i] == s) return static_cast<Trade>(i);
  return std::nullopt;
}

std::span<const Rule> rules() { return kRules; }
const Rule& rule(Act a) { return kRules[static_cast<size_t>(a)]; }

// The same conditions as refusal(), without building messages: AllowedAction
// lists call this for every action of every listed job.
bool allowed(Act a, const JobView& j) {
  const Rule& r = rule(a);
  if (j.removed || !(r.trade & bit(j.trade)) || (r.postpay_only && !j.postpay)) return false;
  return ((r.from | (j.redis ? r.from_redis : 0)) & bit(j.status)) != 0;
}

std::string allowed_from_text(Act a, bool redis) {
  const Rule& r = rule(a);
  return join_statuses(r.from | (redis ? r.from_redis : 0));
}

std::optional<ApiError> refusal(Act a, const JobView& j) {
  const Rule& r = rule(a);
  if (j.removed) return make_error(r.refusal, Msg::JobDestroyed, {j.job_id, r.api});
  if (!(r.trade & bit(j.trade))) return make_error(r.refusal, Msg::WrongTradeStatus, {j.job_id, trade_name(j.trade), r.api, join_trades(r.trade)});
  if (r.postpay_only && !j.postpay) return make_error(r.refusal, Msg::PostpayOnly, {j.job_id, r.api});
  StatusSet from = r.from | (j.redis ? r.from_redis : 0);
  if (from & bit(j.status)) return std::nullopt;
  if (r.from_redis && !j.redis)
    return make_error(r.refusal, Msg::WrongStatusRedisExtra,
                      {j.job_id, status_name(j.status), r.api, join_statuses(r.from), join_statuses(r.from_redis)});
  return make_error(r.refusal, Msg::WrongStatus, {j.job_id, status_name(j.status), r.api, join_statuses(from)});
}

std::span<const std::string_view> all_action_verbs() { return kAllVerbs; }

std::vector<std::string> allowed_action_verbs(const JobView& j) {
  std::vector<std::string> out{"view"};
  // In AllAction order, so the list reads the same way for every job.
  for (std::string_view verb : kAllVerbs) {
    for (const Rule& r : kRules)
      if (r.verb == verb && allowed(r.act, j)) out.emplace_back(verb);
  }
  return out;
}

}  // namespace dtsmock
