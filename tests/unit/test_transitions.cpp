// Every (status, action) pair of the job state machine, against the rules of
// migrate-jobs.md §3 / §3.1 written out independently of state/transitions.cpp:
// a call from an allowed status succeeds, any other answers the documented
// code, and MigrateAction.AllowedAction lists exactly the verbs that succeed.
#include <algorithm>
#include <set>

#include "state/compare_tasks.h"
#include "state/job_faults.h"
#include "state/transitions.h"
#include "tests/unit/test_state_env.h"

using namespace dtsmock;
using namespace dtsmock::test;

namespace {

struct Expect {
  Act act;
  Handler fn;
  std::string extra;  // request members besides JobId
  std::set<std::string> from;
  std::string refusal;
  std::string verb;
};

const std::set<std::string> kAll = {"creating", "created", "checking", "checkPass", "checkNotPass", "readyRun", "running",
                                    "readyComplete", "completing", "success", "failed", "stopping", "canceled", "pausing",
                                    "manualPaused", "resumableErr", "resuming", "unknown", "error"};
const std::set<std::string> kStable = {"created", "checkPass", "checkNotPass", "running", "readyComplete", "success", "failed",
                                       "canceled", "manualPaused", "resumableErr", "unknown", "error"};

std::vector<Expect> expectations() {
  std::set<std::string> resizable = kStable;
  for (auto s : {"success", "failed", "canceled"}) resizable.erase(s);
  return {
      {Act::Configure, ModifyMigrationJob, "", {"created", "checkPass", "checkNotPass"}, "OperationDenied.OperationDeniedError", "configure"},
      {Act::Check, CreateMigrateCheckJob, "", {"created", "checkPass", "checkNotPass"}, "OperationDenied.JobOperationDeniedError", "check"},
      {Act::SkipCheck, SkipCheckItem, R"(,"StepIds":["OptimizeCheck"])", {"checkNotPass"}, "OperationDenied.OperationDeniedError", ""},
      {Act::Start, StartMigrateJob, "", {"checkPass"}, "FailedOperation.StatusInConflict", "start"},
      {Act::Pause, PauseMigrateJob, "", {"running"}, "OperationDenied.OperationDeniedError", "pause"},
      {Act::Continue, ContinueMigrateJob, "", {"manualPaused"}, "OperationDenied.OperationDeniedError", "continue"},
      {Act::Resume, ResumeMigrateJob, "", {"error", "resumableErr"}, "FailedOperation.NotAllowOperation", "resume"},
      {Act::Stop, StopMigrateJob, "", {"running", "readyRun", "readyComplete", "error", "manualPaused", "unknown"},
       "FailedOperation.StatusInConflict", "stop"},
      {Act::Complete, CompleteMigrateJob, "", {"readyComplete"}, "FailedOperation.StatusInConflict", "complete"},
      {Act::Isolate, IsolateMigrateJob, "", kStable, "OperationDenied.OperationDeniedError", "isolate"},
      {Act::Recover, RecoverMigrateJob, "", {}, "OperationDenied.OperationDeniedError", "recover"},
      {Act::Destroy, DestroyMigrateJob, "", {}, "OperationDenied.OperationDeniedError", "offline"},
      {Act::Resize, ModifyMigrateJobSpec, R"(,"NewInstanceClass":"large")", resizable, "OperationDenied.OperationDeniedError", "resize"},
      {Act::RateLimit, ModifyMigrateRateLimit, R"(,"DumpThread":4)", {"running"}, "FailedOperation.StatusInConflict", "modify"},
      {Act::CreateCompare, CreateCompareTask, "", {"running", "readyComplete"}, "OperationDenied.OperationDeniedError", "createCmpTask"},
      {Act::StartCompare, StartCompare, "", {"running", "readyComplete"}, "OperationDenied.OperationDeniedError", ""},
      {Act::Rename, ModifyMigrateName, R"(,"JobName":"renamed")", kAll, "", ""},
      {Act::RuntimeAttr, ModifyMigrateRuntimeAttribute, R"(,"OtherOptions":[{"Key":"IsDstReadOnly","Value":"true"}])", kAll, "", ""},
  };
}

// A configured mysql job put straight into `status`; its check fails OptimizeCheck.
std::string job_in(Env& env, Status status, std::optional<Trade> trade = std::nullopt) {
  std::string id = env.create();
  env.advance(1000);
  env.ok(ModifyMigrationJob, Env::config(id));
  Transaction tx(env.store.db());
  REQUIRE_FALSE(set_check_outcome(env.store, env.clock, id, {"OptimizeCheck"}, {}));
  REQUIRE_FALSE(force_status(env.store, env.clock, id, status, trade));
  CompareTask t;  // a created compare task for StartCompare
  t.id = id + "-cmp-test0001";
  t.job_id = id;
  t.seq = 1;
  t.name = "t";
  t.created_ms = env.fake;
  save_compare_task(env.store, t);
  tx.commit();
  return id;
}

std::string body_for(const Expect& e, const std::string& id) {
  std::string extra = e.extra;
  if (e.act == Act::StartCompare) extra = R"(,"CompareTaskId":")" + id + R"(-cmp-test0001")";
  if (e.act == Act::Configure) return Env::config(id);
  return R"({"JobId":")" + id + "\"" + extra + "}";
}

std::set<std::string> allowed_verbs(Env& env, const std::string& id) {
  std::set<std::string> out;
  Json d = env.detail(id);
  for (const auto& v : d["Action"]["AllowedAction"].GetArray()) out.insert(v.GetString());
  return out;
}

}  // namespace

TEST_CASE("every status x action pair answers as migrate-jobs.md section 3 says") {
  for (Status st : all_statuses()) {
    const std::string status(status_name(st));
    for (const Expect& e : expectations()) {
      Env env;
      std::string id = job_in(env, st);
      REQUIRE(env.status(id) == status);
      std::set<std::string> verbs = allowed_verbs(env, id);
      Outcome out = env.call(e.fn, body_for(e, id));
      CAPTURE(status);
      CAPTURE(rule(e.act).api);
      bool expected_ok = e.from.count(status) > 0;
      std::string got = out.error ? std::string(code_of(out.error->code)) + " " + out.error->en : "success";
      CAPTURE(got);
      CHECK(!out.error == expected_ok);
      bool trade_refusal = e.act == Act::Recover || e.act == Act::Destroy;
      if (!expected_ok && out.error && trade_refusal) {
        CHECK(code_of(out.error->code) == e.refusal);
        CHECK(out.error->en.find("TradeStatus `normal`") != std::string::npos);
        CHECK(out.error->zh.find("`normal`") != std::string::npos);
      } else if (!expected_ok && out.error) {
        CHECK(code_of(out.error->code) == e.refusal);
        // The message names the current status and where the action is allowed from.
        CHECK(out.error->en.find("`" + status + "`") != std::string::npos);
        CHECK(out.error->zh.find("`" + status + "`") != std::string::npos);
        for (const auto& from : e.from) CHECK(out.error->en.find(from) != std::string::npos);
      }
      CHECK(out.job_id == id);
      CHECK(out.status_before == status);
      if (!e.verb.empty()) CHECK(verbs.count(e.verb) == (expected_ok ? 1u : 0u));
    }
  }
}

TEST_CASE("the transition table agrees with the expectations row by row") {
  for (const Expect& e : expectations()) {
    CAPTURE(rule(e.act).api);
    for (Status st : all_statuses()) {
      CAPTURE(status_name(st));
      JobView v{"dts-x", st, Trade::normal, false, true, false};
      CHECK(allowed(e.act, v) == (e.from.count(std::string(status_name(st))) > 0));
    }
    if (!e.refusal.empty()) CHECK(code_of(rule(e.act).refusal) == e.refusal);
    CHECK(rule(e.act).verb == e.verb);
  }
}

TEST_CASE("intermediate and final statuses follow the table") {
  struct Row {
    Act act;
    Status from, intermediate, final_;
    std::string phase;
  };
  const Row rows[] = {
      {Act::Start, Status::checkPass, Status::readyRun, Status::running, "readyRun"},
      {Act::Pause, Status::running, Status::pausing, Status::manualPaused, "pausing"},
      {Act::Continue, Status::manualPaused, Status::resuming, Status::running, "resuming"},
      {Act::Stop, Status::running, Status::stopping, Status::canceled, "stopping"},
      {Act::Complete, Status::readyComplete, Status::completing, Status::success, "completing"},
      {Act::Resume, Status::error, Status::resuming, Status::running, "resuming"},
  };
  for (const Row& r : rows) {
    CAPTURE(rule(r.act).api);
    Env env;
    std::string id = job_in(env, r.from);
    const Expect* e = nullptr;
    auto all = expectations();
    for (const auto& x : all)
      if (x.act == r.act) e = &x;
    REQUIRE(e);
    Outcome out = env.call(e->fn, body_for(*e, id));
    REQUIRE_FALSE(out.error);
    CHECK(out.status_after == status_name(r.intermediate));
    CHECK(rule(r.act).intermediate == r.intermediate);
    CHECK(rule(r.act).phase == r.phase);
    env.advance(*env.store.timing().get(r.phase) - 1);
    CHECK(env.status(id) == status_name(r.intermediate));
    env.advance(1);
    CHECK(env.status(id) == status_name(r.final_));
  }
}

TEST_CASE("an isolated job only takes Recover, Destroy and the unchecked edits") {
  for (const Expect& e : expectations()) {
    Env env;
    std::string id = job_in(env, Status::canceled, Trade::isolated);
    Outcome out = env.call(e.fn, body_for(e, id));
    CAPTURE(rule(e.act).api);
    bool expected_ok = e.act == Act::Recover || e.act == Act::Destroy || e.act == Act::Rename || e.act == Act::RuntimeAttr;
    CHECK(!out.error == expected_ok);
    if (out.error) {
      CHECK(code_of(out.error->code) == e.refusal);
      CHECK(out.error->en.find("TradeStatus `isolated`") != std::string::npos);
    }
  }
}

TEST_CASE("unknown jobs answer the action's not-found code") {
  struct Row {
    Handler fn;
    std::string code;
  };
  const Row rows[] = {
      {ResumeMigrateJob, "ResourceNotFound.JobNotExist"},        {StartMigrateJob, "ResourceNotFound.JobNotExist"},
      {StopMigrateJob, "ResourceNotFound.JobNotExist"},          {CompleteMigrateJob, "ResourceNotFound.JobNotExist"},
      {CreateMigrateCheckJob, "ResourceNotFound.JobNotExist"},   {PauseMigrateJob, "ResourceNotFound.ResourceNotFoundError"},
      {ContinueMigrateJob, "ResourceNotFound.ResourceNotFoundError"}, {IsolateMigrateJob, "ResourceNotFound.ResourceNotFoundError"},
      {RecoverMigrateJob, "ResourceNotFound.ResourceNotFoundError"},  {DestroyMigrateJob, "ResourceNotFound.ResourceNotFoundError"},
      {DescribeMigrationDetail, "ResourceNotFound.ResourceNotFoundError"},
      {DescribeMigrationCheckJob, "ResourceNotFound.ResourceNotFoundError"},
  };
  Env env;
  for (const Row& r : rows) {
    CAPTURE(r.code);
    CHECK(env.fails(r.fn, Env::job("dts-nope0000")) == r.code);
  }
  CHECK(env.fails(ModifyMigrateName, R"({"JobId":"dts-nope0000","JobName":"x"})") == "ResourceNotFound.JobNotExist");
}
