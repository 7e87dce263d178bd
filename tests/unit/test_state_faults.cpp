// The control API's job functions (state/job_faults.h) and the output shape of
// a failed job.
#include "state/job_faults.h"
#include "tests/unit/test_state_env.h"

using namespace dtsmock;
using namespace dtsmock::test;

namespace {
std::optional<FaultError> in_tx(Env& env, auto f) {
  Transaction tx(env.store.db());
  auto r = f();
  if (!r) tx.commit();
  return r;
}
}  // namespace

TEST_CASE("schedule_failure works across tenants and checks its input") {
  Env env;
  RequestContext other = env.ctx;
  other.tenant = "someone-else";
  std::string id = env.running_job();
  FailureSpec bad;
  bad.status = Status::running;
  auto e = in_tx(env, [&] { return schedule_failure(env.store, env.clock, id, bad); });
  REQUIRE(e);
  CHECK(e->kind == FaultError::BadRequest);
  FailureSpec unknown_step;
  unknown_step.step_id = "fullSync";
  e = in_tx(env, [&] { return schedule_failure(env.store, env.clock, id, unknown_step); });
  REQUIRE(e);
  CHECK(e->message.find("dumper, loader, sinker") != std::string::npos);
  e = in_tx(env, [&] { return schedule_failure(env.store, env.clock, "dts-nope0000", FailureSpec{}); });
  REQUIRE(e);
  CHECK(e->kind == FaultError::NotFound);

  // A failure now, on a job of a tenant the caller does not need to name.
  FailureSpec f;
  f.status = Status::failed;
  f.code = "ERR_X";
  f.message = "boom";
  f.solution = "retry later";
  CHECK_FALSE(in_tx(env, [&] { return schedule_failure(env.store, env.clock, id, f); }));
  Json d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "failed");
  CHECK(std::string(d["ErrorInfo"][0]["Code"].GetString()) == "ERR_X");
  CHECK(std::string(d["ErrorInfo"][0]["ErrorLog"].GetString()) == "boom");
  CHECK(std::string(d["ErrorInfo"][0]["Solution"].GetString()) == "retry later");
  CHECK(d["ErrorInfo"][0].HasMember("HelpDoc"));
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["Errors"][0]["Solution"].GetString()) == "retry later");
  CHECK(env.fails(DescribeMigrationDetail, Env::job(id), &other) == "ResourceNotFound.ResourceNotFoundError");
}

TEST_CASE("a failure scheduled before the start fires once the job runs") {
  Env env;
  std::string id = env.create();
  env.advance(1000);
  env.ok(ModifyMigrationJob, Env::config(id));
  FailureSpec f;
  f.status = Status::error;
  f.after_ms = 100;
  CHECK_FALSE(in_tx(env, [&] { return schedule_failure(env.store, env.clock, id, f); }));
  env.ok(CreateMigrateCheckJob, Env::job(id));
  env.advance(3000);
  CHECK(env.status(id) == "checkPass");
  env.ok(StartMigrateJob, Env::job(id));
  env.advance(1999);
  CHECK(env.status(id) == "readyRun");
  env.advance(1);
  CHECK(env.status(id) == "error");  // the moment it starts running
}

TEST_CASE("a step failure hits its step even when the delay outlasts it") {
  Env env;
  std::string id = env.running_job();
  FailureSpec f;
  f.step_id = "dumper";
  f.after_ms = 3600 * 1000;
  CHECK_FALSE(in_tx(env, [&] { return schedule_failure(env.store, env.clock, id, f); }));
  env.advance(3600 * 1000);
  Json d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "error");
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["Status"].GetString()) == "failed");
  CHECK(d["StepInfo"]["StepInfo"][0]["Percent"].GetInt() == 100);
}

TEST_CASE("force_status sets status and TradeStatus") {
  Env env;
  std::string id = env.create();
  CHECK_FALSE(in_tx(env, [&] { return force_status(env.store, env.clock, id, Status::readyComplete, Trade::isolated); }));
  Json d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "readyComplete");
  CHECK(std::string(d["TradeInfo"]["TradeStatus"].GetString()) == "isolated");
  CHECK(d["StepInfo"]["StepNow"].GetInt() == 3);
  auto e = in_tx(env, [&] { return force_status(env.store, env.clock, "dts-nope0000", Status::running); });
  REQUIRE(e);
  CHECK(e->kind == FaultError::NotFound);
  CHECK_FALSE(in_tx(env, [&] { return force_status(env.store, env.clock, id, Status::success, Trade::offlined); }));
  CHECK(env.ok(DescribeMigrationJobs, "{}")["TotalCount"].GetInt() == 0);
}

TEST_CASE("failure_from_json reads the control API's body") {
  Json body;
  REQUIRE(parse_json(R"({"status":"resumableErr","stepId":"loader","afterSeconds":2.5,"code":"C","message":"M"})", body));
  auto r = failure_from_json(body);
  REQUIRE(std::holds_alternative<FailureSpec>(r));
  auto f = std::get<FailureSpec>(r);
  CHECK(f.status == Status::resumableErr);
  CHECK(f.step_id == "loader");
  CHECK(f.after_ms == 2500);
  CHECK(f.code == "C");
  REQUIRE(parse_json(R"({"status":"sleepy"})", body));
  CHECK(std::holds_alternative<FaultError>(failure_from_json(body)));
  Json null_body;
  CHECK(std::holds_alternative<FailureSpec>(failure_from_json(null_body)));
}

TEST_CASE("DescribeMigrationDetail carries every documented member") {
  Env env;
  std::string id = env.running_job();
  Json d = env.detail(id);
  for (auto m : {"JobId", "JobName", "CreateTime", "UpdateTime", "StartTime", "EndTime", "BriefMsg", "Status", "Action", "StepInfo", "SrcInfo",
                 "DstInfo", "CompareTask", "Tags", "RunMode", "ExpectRunTime", "MigrateOption", "CheckStepInfo", "TradeInfo", "ErrorInfo",
                 "DumperResumeCtrl", "RateLimitOption"})
    CHECK_MESSAGE(d.HasMember(m), m);
  for (auto m : {"DealName", "LastDealName", "InstanceClass", "TradeStatus", "ExpireTime", "OfflineTime", "IsolateTime", "OfflineReason",
                 "IsolateReason", "PayType", "BillingType"})
    CHECK_MESSAGE(d["TradeInfo"].HasMember(m), m);
  for (auto m : {"CurrentDumpThread", "DefaultDumpThread", "CurrentDumpRps", "DefaultDumpRps", "CurrentLoadThread", "DefaultLoadThread",
                 "CurrentLoadRps", "DefaultLoadRps", "CurrentSinkerThread", "DefaultSinkerThread", "HasUserSetRateLimit"})
    CHECK_MESSAGE(d["RateLimitOption"].HasMember(m), m);
  for (auto m : {"StepAll", "StepNow", "MasterSlaveDistance", "SecondsBehindMaster", "StepInfo"}) CHECK_MESSAGE(d["StepInfo"].HasMember(m), m);
  for (auto m : {"StepNo", "StepName", "StepId", "Status", "StartTime", "FinishTime", "StepMessage", "Percent", "Errors", "Warnings"})
    CHECK_MESSAGE(d["StepInfo"]["StepInfo"][0].HasMember(m), m);
  for (auto m : {"StartAt", "EndAt", "Progress"}) CHECK_MESSAGE(d["CheckStepInfo"].HasMember(m), m);
  for (auto m : {"DatabaseTable", "MigrateType", "Consistency", "IsMigrateAccount", "IsOverrideRoot", "IsDstReadOnly", "ExtraAttr", "MigrateWay",
                 "RateLimit"})
    CHECK_MESSAGE(d["MigrateOption"].HasMember(m), m);
  CHECK(std::string(d["DumperResumeCtrl"].GetString()) == "yes");
  // The AllAction list is the example's plus pause and continue.
  CHECK(d["Action"]["AllAction"].Size() == 15);
  CHECK(std::string(d["Action"]["AllowedAction"][0].GetString()) == "view");
}
