#include "state/schema.h"

namespace dtsmock {
namespace {
constexpr std::string_view kMigrations[] = {
    // 1: placeholder table so the schema version is meaningful from the start.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
    // 2: migration jobs, their steps and tags, compare tasks.
    // Columns DescribeMigrationJobs filters or sorts on are plain indexed
    // columns, always behind the (tenant, region) wall; nested API objects are
    // normalised JSON text. next_event (when the job next changes by itself)
    // lets a listing advance only the jobs that are due.
    R"sql(
CREATE TABLE jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL UNIQUE,
  tenant TEXT NOT NULL,
  region TEXT NOT NULL,
  job_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  status_since INTEGER NOT NULL DEFAULT 0,
  phase_ms INTEGER NOT NULL DEFAULT 0,
  next_event INTEGER NOT NULL,
  create_ms INTEGER NOT NULL,
  update_ms INTEGER NOT NULL,
  start_ms INTEGER NOT NULL DEFAULT 0,
  end_ms INTEGER NOT NULL DEFAULT 0,
  run_mode TEXT NOT NULL DEFAULT 'immediate',
  expect_run_ms INTEGER NOT NULL DEFAULT 0,
  src_type TEXT NOT NULL DEFAULT '',
  dst_type TEXT NOT NULL DEFAULT '',
  src_region TEXT NOT NULL DEFAULT '',
  dst_region TEXT NOT NULL DEFAULT '',
  src_instance TEXT NOT NULL DEFAULT '',
  dst_instance TEXT NOT NULL DEFAULT '',
  src_access TEXT NOT NULL DEFAULT '',
  dst_access TEXT NOT NULL DEFAULT '',
  configured INTEGER NOT NULL DEFAULT 0,
  src_info TEXT NOT NULL DEFAULT '',
  dst_info TEXT NOT NULL DEFAULT '',
  migrate_option TEXT NOT NULL DEFAULT '',
  migrate_type TEXT NOT NULL DEFAULT '',
  auto_retry_minutes INTEGER NOT NULL DEFAULT 0,
  brief_msg TEXT NOT NULL DEFAULT '',
  error_info TEXT NOT NULL DEFAULT '[]',
  rate_limit TEXT NOT NULL DEFAULT '',
  runtime_attrs TEXT NOT NULL DEFAULT '{}',
  instance_class TEXT NOT NULL DEFAULT '',
  trade_status TEXT NOT NULL DEFAULT 'normal',
  trade_since INTEGER NOT NULL DEFAULT 0,
  trade_phase_ms INTEGER NOT NULL DEFAULT 0,
  pay_type TEXT NOT NULL DEFAULT 'postpay',
  billing_type TEXT NOT NULL DEFAULT 'billing',
  deal_name TEXT NOT NULL DEFAULT '',
  last_deal_name TEXT NOT NULL DEFAULT '',
  expire_ms INTEGER NOT NULL DEFAULT 0,
  isolate_ms INTEGER NOT NULL DEFAULT 0,
  offline_ms INTEGER NOT NULL DEFAULT 0,
  isolate_reason TEXT NOT NULL DEFAULT '',
  offline_reason TEXT NOT NULL DEFAULT '',
  pre_isolate_status TEXT NOT NULL DEFAULT '',
  pending_class TEXT NOT NULL DEFAULT '',
  check_status TEXT NOT NULL DEFAULT 'notStarted',
  check_flag TEXT NOT NULL DEFAULT '',
  check_steps TEXT NOT NULL DEFAULT '[]',
  check_skipped TEXT NOT NULL DEFAULT '[]',
  check_fail TEXT NOT NULL DEFAULT '[]',
  check_warn TEXT NOT NULL DEFAULT '[]',
  check_start INTEGER NOT NULL DEFAULT 0,
  check_end INTEGER NOT NULL DEFAULT 0,
  cur_step INTEGER NOT NULL DEFAULT -1,
  seg_start INTEGER NOT NULL DEFAULT 0,
  resume_option TEXT NOT NULL DEFAULT '',
  resume_count INTEGER NOT NULL DEFAULT 0,
  auto_resume_count INTEGER NOT NULL DEFAULT 0,
  pending_failure TEXT NOT NULL DEFAULT '',
  removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_by_create ON jobs (tenant, region, create_ms, seq);
CREATE INDEX jobs_by_due ON jobs (tenant, region, next_event);
CREATE INDEX jobs_by_status ON jobs (tenant, region, status);
CREATE INDEX jobs_by_name ON jobs (tenant, region, job_name);
CREATE INDEX jobs_by_run_mode ON jobs (tenant, region, run_mode);
CREATE INDEX jobs_by_src_type ON jobs (tenant, region, src_type);
CREATE INDEX jobs_by_dst_type ON jobs (tenant, region, dst_type);
CREATE INDEX jobs_by_src_region ON jobs (tenant, region, src_region);
CREATE INDEX jobs_by_dst_region ON jobs (tenant, region, dst_region);
CREATE INDEX jobs_by_src_instance ON jobs (tenant, region, src_instance);
CREATE INDEX jobs_by_dst_instance ON jobs (tenant, region, dst_instance);
CREATE INDEX jobs_by_src_access ON jobs (tenant, region, src_access);
CREATE INDEX jobs_by_dst_access ON jobs (tenant, region, dst_access);

CREATE TABLE job_steps (
  job_id TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
  step_no INTEGER NOT NULL,
  step_id TEXT NOT NULL,
  step_name TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER NOT NULL DEFAULT 0,
  finish_ms INTEGER NOT NULL DEFAULT 0,
  planned_ms INTEGER NOT NULL DEFAULT 0,
  done_ms INTEGER NOT NULL DEFAULT 0,
  incremental INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  errors TEXT NOT NULL DEFAULT '[]',
  warnings TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (job_id, step_no)
);

CREATE TABLE job_tags (
  job_id TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
  pos INTEGER NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (job_id, pos)
);
CREATE INDEX job_tags_by_key ON job_tags (tag_key, tag_value, job_id);

CREATE TABLE compare_tasks (
  task_id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  task_name TEXT NOT NULL,
  object_mode TEXT NOT NULL DEFAULT 'sameAsMigrate',
  objects TEXT NOT NULL DEFAULT '',
  options TEXT NOT NULL DEFAULT '',
  auto_created INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  started_ms INTEGER NOT NULL DEFAULT 0,
  ready_ms INTEGER NOT NULL DEFAULT 0,
  run_ms INTEGER NOT NULL DEFAULT 0,
  stop_ms INTEGER NOT NULL DEFAULT 0,
  stopping_ms INTEGER NOT NULL DEFAULT 0,
  conclusion TEXT NOT NULL DEFAULT 'same',
  outcome TEXT NOT NULL DEFAULT 'success'
);
CREATE INDEX compare_tasks_by_job ON compare_tasks (job_id, seq);
)sql",
    // 3: list indexes that include `removed` (every list filters on it) and the
    // sort key, so a listing walks the index in order instead of the table.
    R"sql(
DROP INDEX jobs_by_create;
DROP INDEX jobs_by_status;
CREATE INDEX jobs_by_create ON jobs (tenant, region, removed, create_ms, seq);
CREATE INDEX jobs_by_status ON jobs (tenant, region, removed, status, create_ms, seq);
)sql",
};
}  // namespace

std::span<const std::string_view> schema_migrations() { return kMigrations; }

}  // namespace dtsmock
