// Every API action dtsmock emulates, one family per source file. Each is a
// Handler (state/handler.h); state/routes.cpp lists them for the dispatcher.
#pragma once
#include "state/handler.h"

namespace dtsmock {

#define DTS_HANDLER(name) Outcome name(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock)

// state/migrate_config.cpp: purchase and configuration.
DTS_HANDLER(CreateMigrationService);
DTS_HANDLER(ModifyMigrationJob);
DTS_HANDLER(ModifyMigrateName);
DTS_HANDLER(ModifyMigrateRateLimit);
DTS_HANDLER(ModifyMigrateRuntimeAttribute);

// state/migrate_jobs.cpp: the running lifecycle.
DTS_HANDLER(StartMigrateJob);
DTS_HANDLER(PauseMigrateJob);
DTS_HANDLER(ContinueMigrateJob);
DTS_HANDLER(ResumeMigrateJob);
DTS_HANDLER(StopMigrateJob);
DTS_HANDLER(CompleteMigrateJob);

// state/check_jobs.cpp: the pre-check.
DTS_HANDLER(CreateMigrateCheckJob);
DTS_HANDLER(DescribeMigrationCheckJob);
DTS_HANDLER(SkipCheckItem);

// state/migrate_query.cpp: reads.
DTS_HANDLER(DescribeMigrationJobs);
DTS_HANDLER(DescribeMigrationDetail);
DTS_HANDLER(DescribeMigrateDBInstances);

// state/trade.cpp: billing.
DTS_HANDLER(IsolateMigrateJob);
DTS_HANDLER(RecoverMigrateJob);
DTS_HANDLER(DestroyMigrateJob);
DTS_HANDLER(ModifyMigrateJobSpec);

// state/compare_tasks.cpp: consistency checks of migration jobs.
DTS_HANDLER(CreateCompareTask);
DTS_HANDLER(StartCompare);
DTS_HANDLER(StopCompare);
DTS_HANDLER(DescribeCompareTasks);
DTS_HANDLER(DescribeCompareReport);
DTS_HANDLER(DescribeCompareDiffItems);
DTS_HANDLER(DeleteCompareTask);
DTS_HANDLER(ModifyCompareTask);
DTS_HANDLER(ModifyCompareTaskName);
DTS_HANDLER(DescribeMigrateGtidCompareReport);

#undef DTS_HANDLER

}  // namespace dtsmock
