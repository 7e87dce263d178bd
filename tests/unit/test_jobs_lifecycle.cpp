// A mysql full+incremental job through its whole life, at the fast timing
// profile (creating 1 s, checking 3 s, readyRun 2 s, each step 3 s, catch-up 3 s,
// completing 2 s), observed the way a client would: through the API.
#include "tests/unit/test_state_env.h"

using namespace dtsmock;
using namespace dtsmock::test;

TEST_CASE("a mysql full+incremental job runs from purchase to success") {
  Env env;
  std::string id = env.create();
  CHECK(id.rfind("dts-", 0) == 0);
  CHECK(id.size() == 12);
  CHECK(env.status(id) == "creating");
  env.advance(999);
  CHECK(env.status(id) == "creating");
  env.advance(1);
  CHECK(env.status(id) == "created");

  env.ok(ModifyMigrationJob, Env::config(id));
  CHECK(env.status(id) == "created");
  env.ok(CreateMigrateCheckJob, Env::job(id));
  CHECK(env.status(id) == "checking");
  Json check = env.ok(DescribeMigrationCheckJob, Env::job(id));
  CHECK(std::string(check["Status"].GetString()) == "running");
  env.advance(3000);
  CHECK(env.status(id) == "checkPass");
  check = env.ok(DescribeMigrationCheckJob, Env::job(id));
  CHECK(std::string(check["Status"].GetString()) == "success");
  CHECK(std::string(check["CheckFlag"].GetString()) == "checkPass");
  CHECK(check["StepInfo"].Size() == 13);

  Millis started = env.fake;
  env.ok(StartMigrateJob, Env::job(id));
  Json d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "readyRun");
  CHECK(std::string(d["StartTime"].GetString()) == beijing_time(started));
  CHECK(std::string(d["EndTime"].GetString()) == "0000-00-00 00:00:00");
  env.advance(2000);
  d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "running");
  CHECK(d["StepInfo"]["StepAll"].GetInt() == 3);
  CHECK(d["StepInfo"]["StepNow"].GetInt() == 1);
  env.advance(1500);  // half of the dumper
  d = env.detail(id);
  CHECK(d["StepInfo"]["StepInfo"][0]["Percent"].GetInt() == 50);
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["Status"].GetString()) == "running");
  env.advance(1500);
  d = env.detail(id);
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["Status"].GetString()) == "finished");
  CHECK(d["StepInfo"]["StepNow"].GetInt() == 2);
  env.advance(3000 + 3000);  // loader, then the incremental catch-up
  d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "readyComplete");
  CHECK(std::string(d["StepInfo"]["StepInfo"][2]["Status"].GetString()) == "running");
  CHECK(d["StepInfo"]["SecondsBehindMaster"].GetInt() == 0);

  env.ok(CompleteMigrateJob, Env::job(id));
  CHECK(env.status(id) == "completing");
  env.advance(2000);
  d = env.detail(id);
  CHECK(std::string(d["Status"].GetString()) == "success");
  CHECK(std::string(d["EndTime"].GetString()) == beijing_time(env.fake));
  for (const auto& s : d["StepInfo"]["StepInfo"].GetArray()) {
    CHECK(std::string(s["Status"].GetString()) == "finished");
    CHECK(s["Percent"].GetInt() == 100);
  }
}
