#include "state/routes.h"

#include "state/handlers.h"

namespace dtsmock {
namespace {

constexpr Route kRoutes[] = {
    // Purchase and configuration (state/migrate_config.cpp).
    {"CreateMigrationService", &CreateMigrationService},
    {"ModifyMigrationJob", &ModifyMigrationJob},
    {"ModifyMigrateName", &ModifyMigrateName},
    {"ModifyMigrateRateLimit", &ModifyMigrateRateLimit},
    {"ModifyMigrateRuntimeAttribute", &ModifyMigrateRuntimeAttribute},
    // Pre-check (state/check_jobs.cpp).
    {"CreateMigrateCheckJob", &CreateMigrateCheckJob},
    {"DescribeMigrationCheckJob", &DescribeMigrationCheckJob},
    {"SkipCheckItem", &SkipCheckItem},
    // Running lifecycle (state/migrate_jobs.cpp).
    {"StartMigrateJob", &StartMigrateJob},
    {"PauseMigrateJob", &PauseMigrateJob},
    {"ContinueMigrateJob", &ContinueMigrateJob},
    {"ResumeMigrateJob", &ResumeMigrateJob},
    {"StopMigrateJob", &StopMigrateJob},
    {"CompleteMigrateJob", &CompleteMigrateJob},
    // Reads (state/migrate_query.cpp).
    {"DescribeMigrationJobs", &DescribeMigrationJobs},
    {"DescribeMigrationDetail", &DescribeMigrationDetail},
    {"DescribeMigrateDBInstances", &DescribeMigrateDBInstances},
    // Billing (state/trade.cpp).
    {"IsolateMigrateJob", &IsolateMigrateJob},
    {"RecoverMigrateJob", &RecoverMigrateJob},
    {"DestroyMigrateJob", &DestroyMigrateJob},
    {"ModifyMigrateJobSpec", &ModifyMigrateJobSpec},
    // Consistency checks (state/compare_tasks.cpp).
    {"CreateCompareTask", &CreateCompareTask},
    {"StartCompare", &StartCompare},
    {"StopCompare", &StopCompare},
    {"DescribeCompareTasks", &DescribeCompareTasks},
    {"DescribeCompareReport", &DescribeCompareReport},
    {"DescribeCompareDiffItems", &DescribeCompareDiffItems},
    {"DeleteCompareTask", &DeleteCompareTask},
    {"ModifyCompareTask", &ModifyCompareTask},
    {"ModifyCompareTaskName", &ModifyCompareTaskName},
    {"DescribeMigrateGtidCompareReport", &DescribeMigrateGtidCompareReport},
};

size_t count_jobs(Store& store, std::string_view sql, std::string_view arg) {
  auto& st = store.db().prepare(sql);
  if (!arg.empty()) st.bind(1, arg);
  size_t n = st.step() ? static_cast<size_t>(st.col_int(0)) : 0;
  st.reset();
  return n;
}

}  // namespace

std::span<const Route> routes() { return kRoutes; }

size_t reset_all(Store& store) {
  size_t n = count_jobs(store, "SELECT COUNT(*) FROM jobs", "");
  // Steps, tags and compare tasks go with their jobs (ON DELETE CASCADE).
  store.db().exec("DELETE FROM jobs");
  return n;
}

size_t reset_tenant(Store& store, std::string_view tenant) {
  size_t n = count_jobs(store, "SELECT COUNT(*) FROM jobs WHERE tenant = ?", tenant);
  store.db().prepare("DELETE FROM jobs WHERE tenant = ?").bind(1, tenant).exec();
  return n;
}

}  // namespace dtsmock
