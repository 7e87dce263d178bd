// Job-level fault injection for the control API (/_dtsmock/jobs/{JobId}/...).
// These work across tenants: the job id alone names the job. Each runs inside
// the caller's transaction and advances the job to the clock first.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "state/clock.h"
#include "state/job_engine.h"
#include "state/json.h"
#include "state/store.h"

namespace dtsmock {

struct FaultError {
  enum Kind { NotFound, BadRequest } kind;
  std::string message;
};

// Arms a failure: it fires `after_ms` after now (or after `step_id` starts, if
// later) while the job is running or readyComplete; a job that is not running
// then fails as soon as it is. The failing step gets Errors, the job ErrorInfo
// and BriefMsg, as the real service shows them. One failure per job: a new one
// replaces the pending one.
std::optional<FaultError> schedule_failure(Store& s, const Clock& c, std::string_view job_id, const FailureSpec& f);

// Puts the job straight into `status` (with consistent steps and check
// results) and optionally sets its TradeStatus.
std::optional<FaultError> force_status(Store& s, const Clock& c, std::string_view job_id, Status status, std::optional<Trade> trade = std::nullopt);

// Makes the job's next pre-checks fail (or warn) in these check steps, until set again.
std::optional<FaultError> set_check_outcome(Store& s, const Clock& c, std::string_view job_id, const std::vector<std::string>& fail_steps,
                                            const std::vector<std::string>& warn_steps);

// Sets the result of the job's compare tasks that have not finished yet:
// conclusion same|different, outcome success|failed.
std::optional<FaultError> set_compare_outcome(Store& s, const Clock& c, std::string_view job_id, std::string_view conclusion,
                                              std::string_view outcome);

// Parses a control-API body into a FailureSpec:
// {"status": "error|resumableErr|failed", "stepId": "loader", "afterMs": 5000 | "afterSeconds": 5,
//  "code": "...", "message": "...", "solution": "..."}; every member optional
// (default: error, whichever step runs, now, a generic code and message).
std::variant<FailureSpec, FaultError> failure_from_json(const JsonValue& body);

// The job as DescribeMigrationDetail shows it (no tenant wall), for control-API answers.
std::optional<Json> describe_job_any(Store& s, const Clock& c, std::string_view job_id);

}  // namespace dtsmock
