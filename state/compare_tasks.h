// Data-consistency compare tasks of migration jobs (CreateCompareTask & co).
// A task's status is a pure function of its stored timestamps and the clock:
// created → readyRun → running → success|failed, StopCompare → stopping → canceled.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "state/ids.h"
#include "state/job.h"
#include "state/job_render.h"
#include "state/store.h"
#include "state/timing.h"

namespace dtsmock {

struct CompareTask {
  std::string id, job_id, name;
  int64_t seq = 0;
  std::string object_mode = "sameAsMigrate";
  std::string objects;  // normalised CompareObject JSON ("" = same as the migration)
  std::string options;  // normalised CompareOptions JSON
  int64_t auto_created = 0;  // the defaultCmpTask a job with Consistency.Mode=full creates at start
  Millis created_ms = 0, started_ms = 0, ready_ms = 0, run_ms = 0, stop_ms = 0, stopping_ms = 0;
  std::string conclusion = "same";  // same | different
  std::string outcome = "success";  // success | failed
};

// Status of a task at `now` (created, readyRun, running, success, failed, stopping, canceled).
std::string compare_status(const CompareTask& t, Millis now);
// JobItem.CompareTask of a job: its latest task (notexist if none).
CompareBrief compare_brief(Store& s, const Job& j, Millis now);
// Called when a job starts: with MigrateOption.Consistency.Mode=full it gets a
// defaultCmpTask that starts by itself once the incremental step begins (or the
// full transfer ends).
void create_default_compare(Store& s, const Job& j, Millis now, IdSource* ids);

std::vector<CompareTask> load_compare_tasks(Store& s, std::string_view job_id);
std::optional<CompareTask> load_compare_task(Store& s, std::string_view job_id, std::string_view task_id);
void save_compare_task(Store& s, const CompareTask& t);
// Resolves the start of an auto-created task from the job's progress.
void settle_compare_task(CompareTask& t, const Job& j, Millis now);

}  // namespace dtsmock
