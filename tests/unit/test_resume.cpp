// ResumeMigrateJob: every (link family x ResumeOption x status), then what a
// resume does to the steps of each kind of link.
#include <optional>

#include "state/job_faults.h"
#include "state/transitions.h"
#include "tests/unit/test_state_env.h"

using namespace dtsmock;
using namespace dtsmock::test;

namespace {

struct Link {
  std::string src, dst;
  bool redis;  // redis family: decided by the source type
};

const Link kLinks[] = {
    {"mysql", "mysql", false},   {"postgresql", "postgresql", false}, {"mysql", "redis", false},
    {"redis", "redis", true},    {"redis", "tendis", true},           {"keewidb", "keewidb", true},
    {"tendis", "tendis", true},
};

std::string configured_job(Env& env, const Link& l, std::string_view extra_option = "") {
  std::string id = env.create(l.src, l.dst);
  env.advance(1000);
  env.ok(ModifyMigrationJob, Env::config(id, l.src, l.dst, extra_option));
  return id;
}

void force(Env& env, const std::string& id, Status s) {
  Transaction tx(env.store.db());
  REQUIRE_FALSE(force_status(env.store, env.clock, id, s));
  tx.commit();
}

std::string resume_body(const std::string& id, const std::optional<std::string>& option) {
  return option ? R"({"JobId":")" + id + R"(","ResumeOption":")" + *option + "\"}" : Env::job(id);
}

}  // namespace

TEST_CASE("ResumeMigrateJob over every link family, ResumeOption and status") {
  const std::optional<std::string> options[] = {std::nullopt, "", "normal", "clearData", "overwrite", "bogus", "ClearData"};
  for (const Link& link : kLinks) {
    for (const auto& option : options) {
      for (Status st : all_statuses()) {
        const std::string status(status_name(st));
        CAPTURE(link.src);
        CAPTURE(link.dst);
        CAPTURE(option.value_or("(omitted)"));
        CAPTURE(status);
        Env env;
        std::string id = configured_job(env, link);
        force(env, id, st);
        Outcome out = env.call(ResumeMigrateJob, resume_body(id, option));

        const bool omitted = !option || option->empty();
        const bool known = omitted || *option == "normal" || *option == "clearData" || *option == "overwrite";
        const bool fits = omitted || (link.redis ? *option != "normal" : *option == "normal");
        const bool status_ok = st == Status::error || st == Status::resumableErr || (link.redis && st == Status::failed);
        if (!known) {
          // Refused before the job is looked up: the message gives the rule for every link.
          REQUIRE(out.error);
          CHECK(code_of(out.error->code) == "InvalidParameterValue.InvalidParameterValue");
          CHECK(out.error->en.find("`" + *option + "` is unknown") != std::string::npos);
          CHECK(out.error->en.find("clearData or overwrite on redis-family links") != std::string::npos);
          CHECK(out.error->zh.find(*option) != std::string::npos);
        } else if (!fits) {
          REQUIRE(out.error);
          CHECK(code_of(out.error->code) == "InvalidParameterValue.InvalidParameterValue");
          // The message names the link and the options it takes.
          CHECK(out.error->en.find(link.src + " -> " + link.dst) != std::string::npos);
          CHECK(out.error->en.find(link.redis ? "clearData, overwrite" : "allowed options: normal") != std::string::npos);
          CHECK(out.error->zh.find(link.src + " -> " + link.dst) != std::string::npos);
        } else if (!status_ok) {
          REQUIRE(out.error);
          CHECK(code_of(out.error->code) == "FailedOperation.NotAllowOperation");
          CHECK(out.error->en.find("`" + status + "`") != std::string::npos);
          if (link.redis) {
            CHECK(out.error->en.find("one of: failed, resumableErr, error.") != std::string::npos);
          } else {
            // A non-redis job is told that failed is only for redis-family links.
            CHECK(out.error->en.find("one of: resumableErr, error (on redis-family links") != std::string::npos);
            CHECK(out.error->en.find("also: failed)") != std::string::npos);
          }
        } else {
          REQUIRE_FALSE(out.error);
          CHECK(out.status_before == status);
          CHECK(out.status_after == "resuming");
          std::string used = omitted ? (link.redis ? "overwrite" : "normal") : *option;
          Json d = env.detail(id);
          CHECK(std::string(d["Status"].GetString()) == "resuming");
          CHECK(std::string(d["BriefMsg"].GetString()).find("last ResumeOption: " + used) != std::string::npos);
          CHECK(d["ErrorInfo"].Size() == 0);
          env.advance(2000);
          CHECK(env.status(id) == "running");
        }
      }
    }
  }
}

TEST_CASE("an unknown ResumeOption is refused even for a job that does not exist") {
  Env env;
  Outcome out = env.call(ResumeMigrateJob, R"({"JobId":"dts-nosuchjb","ResumeOption":"bogus"})");
  REQUIRE(out.error);
  CHECK(code_of(out.error->code) == "InvalidParameterValue.InvalidParameterValue");
  Outcome missing = env.call(ResumeMigrateJob, R"({"JobId":"dts-nosuchjb","ResumeOption":"normal"})");
  REQUIRE(missing.error);
  CHECK(code_of(missing.error->code) == "ResourceNotFound.JobNotExist");
}

TEST_CASE("an omitted ResumeOption on a redis link uses the job's DstWriteMode") {
  Env env;
  const Link redis{"redis", "redis", true};
  SUBCASE("from MigrateOption.ExtraAttr") {
    std::string id = configured_job(env, redis, R"(,"ExtraAttr":[{"Key":"DstWriteMode","Value":"clearData"}])");
    force(env, id, Status::failed);
    env.ok(ResumeMigrateJob, Env::job(id));
    CHECK(std::string(env.detail(id)["BriefMsg"].GetString()).find("last ResumeOption: clearData") != std::string::npos);
  }
  SUBCASE("from ModifyMigrateRuntimeAttribute, which wins over the configuration") {
    std::string id = configured_job(env, redis, R"(,"ExtraAttr":[{"Key":"DstWriteMode","Value":"clearData"}])");
    env.ok(ModifyMigrateRuntimeAttribute, R"({"JobId":")" + id + R"(","OtherOptions":[{"Key":"DstWriteMode","Value":"normal"}]})");
    Json d = env.detail(id);
    CHECK(std::string(d["MigrateOption"]["ExtraAttr"][0]["Value"].GetString()) == "normal");
    force(env, id, Status::error);
    env.ok(ResumeMigrateJob, Env::job(id));
    CHECK(std::string(env.detail(id)["BriefMsg"].GetString()).find("last ResumeOption: normal") != std::string::npos);
  }
}

TEST_CASE("a mysql job resumes the failed step from its checkpoint") {
  Env env;
  std::string id = env.running_job();
  Transaction tx(env.store.db());
  FailureSpec f;
  f.status = Status::error;
  f.step_id = "loader";
  f.after_ms = 1500;  // half of the 3 s loader
  f.code = "ERR_LOADER";
  f.message = "disk full on the target";
  REQUIRE_FALSE(schedule_failure(env.store, env.clock, id, f));
  tx.commit();
  env.advance(3000 + 1500);  // dumper, then half the loader
  Json d = env.detail(id);
  REQUIRE(std::string(d["Status"].GetString()) == "error");
  const auto& steps = d["StepInfo"]["StepInfo"];
  CHECK(std::string(steps[0]["Status"].GetString()) == "finished");
  CHECK(std::string(steps[1]["Status"].GetString()) == "failed");
  CHECK(steps[1]["Percent"].GetInt() == 50);
  CHECK(std::string(steps[1]["Errors"][0]["Message"].GetString()) == "disk full on the target");
  CHECK(std::string(d["ErrorInfo"][0]["Code"].GetString()) == "ERR_LOADER");
  CHECK(std::string(d["BriefMsg"].GetString()) == "disk full on the target");
  std::string dumper_start = steps[0]["StartTime"].GetString();

  env.advance(60000);  // waiting in error changes nothing
  CHECK(env.detail(id)["StepInfo"]["StepInfo"][1]["Percent"].GetInt() == 50);

  env.ok(ResumeMigrateJob, R"({"JobId":")" + id + R"(","ResumeOption":"normal"})");
  env.advance(2000);
  d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "running");
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["Status"].GetString()) == "finished");
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["StartTime"].GetString()) == dumper_start);
  CHECK(std::string(d["StepInfo"]["StepInfo"][1]["Status"].GetString()) == "running");
  CHECK(d["StepInfo"]["StepInfo"][1]["Percent"].GetInt() == 50);
  CHECK(d["StepInfo"]["StepInfo"][1]["Errors"].Size() == 0);
  env.advance(1500 + 3000);  // the other half of the loader, then the catch-up
  CHECK(env.status(id) == "readyComplete");
}

TEST_CASE("a failed redis job resumed with clearData replays from the first step to readyComplete") {
  Env env;
  std::string id = env.running_job("redis", "redis");
  Json d = env.detail(id);
  REQUIRE(d["StepInfo"]["StepAll"].GetInt() == 2);
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["StepId"].GetString()) == "fullSync");
  {
    Transaction tx(env.store.db());
    FailureSpec f;
    f.status = Status::failed;
    f.step_id = "incrSync";
    f.after_ms = 1000;
    REQUIRE_FALSE(schedule_failure(env.store, env.clock, id, f));
    tx.commit();
  }
  env.advance(3000 + 1000);
  d = env.detail(id);
  REQUIRE(std::string(d["Status"].GetString()) == "failed");
  CHECK(std::string(d["EndTime"].GetString()) == beijing_time(env.fake));
  CHECK(std::string(d["StepInfo"]["StepInfo"][1]["Status"].GetString()) == "failed");
  bool resume_allowed = false;
  for (const auto& v : d["Action"]["AllowedAction"].GetArray()) resume_allowed = resume_allowed || std::string(v.GetString()) == "resume";
  CHECK(resume_allowed);

  env.advance(5000);
  Millis resumed = env.fake;
  env.ok(ResumeMigrateJob, R"({"JobId":")" + id + R"(","ResumeOption":"clearData"})");
  d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "resuming");
  CHECK(std::string(d["EndTime"].GetString()) == "0000-00-00 00:00:00");
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["Status"].GetString()) == "notStarted");
  CHECK(d["StepInfo"]["StepInfo"][0]["Percent"].GetInt() == 0);
  env.advance(2000);
  d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "running");
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["StartTime"].GetString()) == beijing_time(resumed + 2000));
  env.advance(3000 + 3000);
  d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "readyComplete");
  CHECK(std::string(d["BriefMsg"].GetString()) == "Resumed 1 time(s), 0 of them by auto-retry; last ResumeOption: clearData.");
}

TEST_CASE("a failure in readyComplete resumes straight back to readyComplete") {
  Env env;
  std::string id = env.running_job();
  env.advance(9000);
  REQUIRE(env.status(id) == "readyComplete");
  {
    Transaction tx(env.store.db());
    FailureSpec f;
    f.status = Status::error;
    REQUIRE_FALSE(schedule_failure(env.store, env.clock, id, f));
    tx.commit();
  }
  REQUIRE(env.status(id) == "error");
  env.ok(ResumeMigrateJob, Env::job(id));
  env.advance(2000);
  CHECK(env.status(id) == "readyComplete");
}

TEST_CASE("AutoRetryTimeRangeMinutes resumes a resumableErr job by itself, walking every phase in one read") {
  Env env;
  std::string id = env.create();
  env.advance(1000);
  std::string body = Env::config(id);
  body.insert(body.size() - 1, R"(,"AutoRetryTimeRangeMinutes":5)");
  env.ok(ModifyMigrationJob, body);
  env.ok(CreateMigrateCheckJob, Env::job(id));
  env.advance(3000);
  env.ok(StartMigrateJob, Env::job(id));
  {
    Transaction tx(env.store.db());
    FailureSpec f;
    f.status = Status::resumableErr;
    f.step_id = "dumper";
    f.after_ms = 1000;
    REQUIRE_FALSE(schedule_failure(env.store, env.clock, id, f));
    tx.commit();
  }
  // One read two hours later replays readyRun, the dumper failure, the
  // auto-retry, the rest of the transfer and the catch-up.
  env.advance(2 * 3600 * 1000);
  Json d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "readyComplete");
  CHECK(std::string(d["BriefMsg"].GetString()).find("Resumed 1 time(s), 1 of them by auto-retry") != std::string::npos);
  CHECK(d["StepInfo"]["StepInfo"][0]["Percent"].GetInt() == 100);
  Json list = env.ok(DescribeMigrationJobs, Env::job(id));
  CHECK(list["JobList"][0]["AutoRetryTimeRangeMinutes"].GetInt() == 5);
}

TEST_CASE("without auto-retry a resumableErr job waits") {
  Env env;
  std::string id = env.running_job();
  force(env, id, Status::resumableErr);
  env.advance(3600 * 1000);
  CHECK(env.status(id) == "resumableErr");
}
