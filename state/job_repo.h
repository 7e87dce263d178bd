// Loading and saving jobs (tables jobs, job_steps, job_tags; state/schema.cpp).
// Every function runs inside the caller's transaction.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/job.h"
#include "state/json.h"
#include "state/store.h"

namespace dtsmock {

// A job of (tenant, region); nullopt if there is none (or it belongs to someone else).
std::optional<Job> load_job(Store& s, std::string_view tenant, std::string_view region, std::string_view job_id);
// A job by id alone (control API: across tenants).
std::optional<Job> load_job_any(Store& s, std::string_view job_id);
bool job_exists(Store& s, std::string_view job_id);
// Inserts a new job (assigns seq when 0) or replaces every column of an existing one.
void save_job(Store& s, Job& j);
void delete_job(Store& s, std::string_view job_id);
// Ids of the jobs of (tenant, region) whose next self-driven change is due.
std::vector<std::string> due_jobs(Store& s, std::string_view tenant, std::string_view region, Millis now);

// Every column of a job (and its steps and tags) as JSON, and back: the
// fixture format's exact-state extension (state/fixtures.cpp).
JsonValue job_to_json(const Job& j, Alloc& a);
Job job_from_json(const JsonValue& v);

}  // namespace dtsmock
