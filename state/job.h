// A migration job as the store keeps it. Scalar columns that listing filters
// and sorts on are plain members; nested API objects are kept as normalised
// JSON text (see state/shapes.h). Times are simulated milliseconds since the
// epoch; 0 means unset.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "state/clock.h"
#include "state/transitions.h"

namespace dtsmock {

inline constexpr Millis kNever = std::numeric_limits<Millis>::max();

// One step of the transfer (StepDetailInfo). Progress is a pure function of
// time: work done = done + (now - seg_start) while the step runs.
struct Step {
  int64_t no = 0;  // 1-based
  std::string id, name;
  std::string status = "notStarted";  // notStarted | running | finished | failed | canceled
  Millis start = 0, finish = 0;
  Millis planned = 0;  // work the step needs (a Timing duration)
  Millis done = 0;     // work done before the current running segment
  int64_t incremental = 0;  // the incremental step: reaching `planned` means caught up (readyComplete)
  std::string message;
  std::string errors = "[]", warnings = "[]";  // JSON arrays of ProcessStepTip
};

struct Job {
  // Set when advancing changed the job since it was loaded (not stored):
  // a read that changed nothing must not write, or every Describe would
  // cost a durable commit.
  bool dirty = false;
  int64_t seq = 0;  // creation order (tie-break of CreateTime)
  std::string id, tenant, region, name;

  std::string status = "creating";
  Millis since = 0;     // when the job entered `status`
  Millis phase_ms = 0;  // planned duration of a transient status (or the auto-retry delay)
  Millis next_event = kNever;  // when the job next changes by itself (indexed; kept by save)
  Millis create_ms = 0, update_ms = 0, start_ms = 0, end_ms = 0;

  std::string run_mode = "immediate";
  Millis expect_run_ms = 0;

  // Link (immutable after purchase, except the instance ids/access types set by ModifyMigrationJob).
  std::string src_type, dst_type, src_region, dst_region;
  std::string src_instance, dst_instance, src_access, dst_access;

  int64_t configured = 0;  // ModifyMigrationJob has been called
  std::string src_info, dst_info;  // normalised DBEndpointInfo JSON
  std::string migrate_option;      // normalised MigrateOption JSON ("" before configuration)
  std::string migrate_type = "fullAndIncrement";
  int64_t auto_retry_minutes = 0;
  std::string brief_msg;
  std::string error_info = "[]";   // JSON array of ErrorInfoItem
  std::string rate_limit;          // JSON {DumpThread, DumpRps, LoadThread, LoadRps, SinkerThread, UserSet}; "" = defaults
  std::string runtime_attrs = "{}";  // ModifyMigrateRuntimeAttribute values, JSON object

  // TradeInfo.
  std::string instance_class = "medium";
  std::string trade_status = "normal";
  Millis trade_since = 0, trade_phase_ms = 0;
  std::string pay_type = "postpay", billing_type = "billing";
  std::string deal_name, last_deal_name;
  Millis expire_ms = 0, isolate_ms = 0, offline_ms = 0;
  std::string isolate_reason, offline_reason;
  std::string pre_isolate_status;  // restored by RecoverMigrateJob
  std::string pending_class;       // InstanceClass after the resize in progress

  // Pre-check (DescribeMigrationCheckJob).
  std::string check_status = "notStarted";  // notStarted | running | failed | success
  std::string check_flag;                   // "" | checkPass | checkNotPass
  std::string check_steps = "[]";           // JSON array of CheckStep (final results)
  std::string check_skipped = "[]";         // StepIds skipped by SkipCheckItem
  std::string check_fail = "[]";            // StepIds the control API makes fail
  std::string check_warn = "[]";            // StepIds the control API makes warn
  Millis check_start = 0, check_end = 0;

  // Transfer progress.
  int64_t cur_step = -1;  // index into steps; -1 before the first step
  Millis seg_start = 0;   // start of the current running segment of the current step
  std::string resume_option;  // last ResumeOption used ("" = never resumed)
  int64_t resume_count = 0, auto_resume_count = 0;
  std::string pending_failure;  // JSON of a scheduled failure ("" = none)
  int64_t removed = 0;          // destroyed: hidden from unfiltered lists, every action refused

  std::vector<Step> steps;
  std::vector<std::pair<std::string, std::string>> tags;

  Status st() const { return parse_status(status).value_or(Status::unknown); }
  Trade trade() const { return parse_trade(trade_status).value_or(Trade::normal); }
};

// Redis family (ResumeOption rules): decided by the SOURCE database type.
bool is_redis_family(std::string_view database_type);
bool is_redis_link(const Job& j);
JobView view_of(const Job& j);

}  // namespace dtsmock
