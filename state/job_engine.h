// The simulated life of a migration job. No thread drives it: every call that
// reads or writes a job first advances it to the clock's "now" (advance), which
// replays every event that fell due since the job was last saved, each at its
// own exact time. Progress is a pure function of elapsed time, so the same calls
// at the same clock readings always give the same statuses, percentages and
// timestamps.
//
// The functions below change a Job in memory; callers save it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/job.h"
#include "state/timing.h"

namespace dtsmock {

// A failure the control API schedules (state/job_faults.h).
struct FailureSpec {
  Status status = Status::error;  // error | resumableErr | failed
  std::optional<std::string> step_id;  // fail in this step (nullopt: whichever runs)
  Millis after_ms = 0;                 // after arming (or after the step starts, if later)
  std::string code = "ERR_MIGRATE_FAILED";
  std::string message = "the simulated migration process failed";
  std::string solution;
};

namespace engine {

// The steps a newly started job will run (migrate-jobs.md §4.1).
std::vector<Step> plan_steps(const Job& j, const Timing& t);
// The pre-check steps of a job's link, in order: {StepId, StepName}.
std::vector<std::pair<std::string, std::string>> check_plan(const Job& j);

// Replays every event due at or before `now`. Returns true if the job changed.
bool advance(Job& j, Millis now, const Timing& t);
// When the job next changes by itself (kNever if it waits for a call).
Millis next_event(const Job& j);

// Actions (the transition table has already allowed them).
void enter(Job& j, Status s, Millis t, Millis phase_ms = 0);
void configure_done(Job& j, Millis t);  // ModifyMigrationJob: back to created, check results reset
void begin_check(Job& j, Millis t, const Timing& tm);
void start(Job& j, Millis t, const Timing& tm);
void pause(Job& j, Millis t, const Timing& tm);
void cont(Job& j, Millis t, const Timing& tm);
void resume(Job& j, Millis t, const Timing& tm, std::string_view option, bool automatic);
void stop(Job& j, Millis t, const Timing& tm);
void complete(Job& j, Millis t, const Timing& tm);
void isolate(Job& j, Millis t, const Timing& tm);
void recover(Job& j, Millis t, const Timing& tm);
void destroy(Job& j, Millis t, const Timing& tm);
void resize(Job& j, Millis t, const Timing& tm, std::string_view new_class, std::string_view new_deal);

// Arms a failure (replacing any pending one); it fires during advance.
void arm_failure(Job& j, Millis t, const FailureSpec& f);
// Applies a failure right now, in whatever step runs.
void fail_now(Job& j, Millis t, const Timing& tm, const FailureSpec& f);
// Puts the job into `s` with consistent steps (control API, fixtures).
void force(Job& j, Millis t, const Timing& tm, Status s);

// The ResumeOption a resume without one uses: normal on non-redis links, the
// job's DstWriteMode (default overwrite) on redis-family links.
std::string default_resume_option(const Job& j);
std::string dst_write_mode(const Job& j);

// Progress of one step at `now`, 0-100.
int64_t step_percent(const Job& j, size_t index, Millis now);
// Remaining incremental catch-up at `now` (ms), or -1 when no incremental step runs.
Millis catch_up_remaining(const Job& j, Millis now);

}  // namespace engine
}  // namespace dtsmock
