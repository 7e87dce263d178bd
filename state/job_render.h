// A job as the API shows it: JobItem (DescribeMigrationJobs) and
// DescribeMigrationDetail, the check job, and their nested objects.
#pragma once
#include <string>

#include "state/errors.h"
#include "state/job.h"
#include "state/json.h"
#include "state/timefmt.h"

namespace dtsmock {

struct RenderCtx {
  Millis now = 0;
  TimeFmt tf;
  Lang lang = Lang::En;
};

// JobItem.CompareTask.
struct CompareBrief {
  std::string id;
  std::string status = "notexist";
};

// detail=false: a JobItem; detail=true: the DescribeMigrationDetail fields.
JsonValue render_job(const Job& j, const RenderCtx& rc, const CompareBrief& cmp, bool detail, Alloc& a);
// The DescribeMigrationCheckJob fields (Status, BriefMsg, StepInfo, CheckFlag).
JsonValue render_check_job(const Job& j, const RenderCtx& rc, Alloc& a);

// BriefMsg: the error message while the job is failed; otherwise, once the job
// has been resumed, which ResumeOption the last resume used and how many
// resumes there were ([G] the API has no field for them).
std::string brief_msg(const Job& j, Lang lang);

// Rate limits (RateLimitOption): defaults follow the InstanceClass.
struct RateLimits {
  int64_t dump_thread = 0, dump_rps = 0, load_thread = 0, load_rps = 0, sinker_thread = 0;
  bool user_set = false;
};
RateLimits default_rate_limits(std::string_view instance_class);
RateLimits current_rate_limits(const Job& j);
std::string rate_limits_json(const RateLimits& r);

// Moves every member of `from` into `to`.
void merge_into(JsonValue& to, JsonValue& from, Alloc& a);

}  // namespace dtsmock
