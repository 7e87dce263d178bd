// The job store around the handlers: persistence across restarts, schema
// versions, fixtures (load, idempotence, export/import), resets, query plans,
// timing profiles and time formats.
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include "state/compare_tasks.h"
#include "state/fixtures.h"
#include "state/job_faults.h"
#include "state/job_repo.h"
#include "state/routes.h"
#include "state/schema.h"
#include "state/timing.h"
#include "tests/unit/test_state_env.h"

#ifndef DTSMOCK_SOURCE_DIR
#define DTSMOCK_SOURCE_DIR "."
#endif

using namespace dtsmock;
using namespace dtsmock::test;

namespace {

struct TempFile {
  std::string path;
  explicit TempFile(std::string_view name)
      : path((std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()) + ".db")).string()) {
    clean();
  }
  ~TempFile() { clean(); }
  void clean() {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
};

std::string all_details(Env& env) {
  Json list = env.ok(DescribeMigrationJobs, R"({"Limit":100,"OrderSeq":"asc"})");
  std::string out;
  for (const auto& j : list["JobList"].GetArray()) out += to_string(env.detail(j["JobId"].GetString())) + "\n";
  return out + to_string(list);
}

size_t load(Env& env, std::string_view text) {
  Json doc;
  REQUIRE(parse_json(text, doc));
  return load_fixtures(env.store, env.clock, doc);
}

}  // namespace

TEST_CASE("a file-backed store keeps its jobs across a restart") {
  TempFile db("dtsmock-jobs-reopen");
  std::string id;
  Millis when;
  {
    Env env(db.path);
    id = env.running_job();
    env.advance(1500);
    when = env.fake;
  }
  {
    Env env(db.path);
    env.fake = when;
    CHECK(env.store.schema_version() == static_cast<int>(schema_migrations().size()));
    CHECK(env.store.schema_version() >= 2);
    Json d = env.detail(id);
    CHECK(std::string(d["Status"].GetString()) == "running");
    CHECK(d["StepInfo"]["StepInfo"][0]["Percent"].GetInt() == 50);
    env.advance(8000);
    CHECK(env.status(id) == "readyComplete");
  }
  {
    // A database from a newer dtsmock is refused.
    Db raw(db.path);
    raw.exec("UPDATE schema_version SET version = 99");
  }
  CHECK_THROWS_AS(Store{db.path}, StoreError);
}

TEST_CASE("every column of a job survives the JSON form and the table") {
  Env env;
  std::string id = env.running_job("redis", "redis");
  env.advance(1234);
  Transaction tx(env.store.db());
  FailureSpec f;
  f.step_id = "incrSync";
  f.after_ms = 777;
  REQUIRE_FALSE(schedule_failure(env.store, env.clock, id, f));
  auto j = load_job_any(env.store, id);
  REQUIRE(j);
  Json a;
  JsonValue first = job_to_json(*j, a.GetAllocator());
  Job back = job_from_json(first);
  JsonValue second = job_to_json(back, a.GetAllocator());
  CHECK(to_string(first) == to_string(second));
  CHECK(back.pending_failure.find("incrSync") != std::string::npos);
  CHECK(back.steps.size() == 2);
  CHECK(back.tags == j->tags);
}

TEST_CASE("listing reads through an index, never a scan of every job") {
  Env env;
  env.create();
  for (std::string_view where : {"tenant = 'a' AND region = 'b' AND removed = 0 AND status IN (SELECT value FROM json_each('[\"running\"]'))",
                                 "tenant = 'a' AND region = 'b' AND next_event <= 5", "tenant = 'a' AND region = 'b' AND src_instance = 'x'"}) {
    Stmt plan(env.store.db().raw(), "EXPLAIN QUERY PLAN SELECT job_id FROM jobs WHERE " + std::string(where) + " ORDER BY create_ms DESC, seq DESC");
    std::string text;
    while (plan.step()) text += plan.col_text(3) + "\n";
    CAPTURE(text);
    CHECK(text.find("USING INDEX") != std::string::npos);
    CHECK(text.find("SCAN jobs\n") == std::string::npos);
  }
}

TEST_CASE("the repository's fixtures load, idempotently, and behave like live jobs") {
  Env env(":memory:", "default");
  std::string dir = std::string(DTSMOCK_SOURCE_DIR) + "/fixtures";
  size_t n = 0;
  {
    Transaction tx(env.store.db());
    n = load_fixture_dir(env.store, env.clock, dir);
    tx.commit();
  }
  CHECK(n == 15);
  CHECK(load_fixture_dir(env.store, env.clock, dir) == 15);  // opens its own transaction when none is open
  CHECK(env.ok(DescribeMigrationJobs, R"({"Limit":100})")["TotalCount"].GetInt() == 15);

  const std::pair<const char*, const char*> expected[] = {
      {"dts-mysql001", "created"},  {"dts-mysql002", "checkPass"},    {"dts-mysql003", "checkNotPass"}, {"dts-mysql004", "readyComplete"},
      {"dts-mysql005", "success"},  {"dts-mysql006", "failed"},       {"dts-mysql007", "canceled"},     {"dts-mysql008", "manualPaused"},
      {"dts-mysql009", "resumableErr"}, {"dts-mysql010", "error"},    {"dts-mysql011", "unknown"},      {"dts-mysql012", "running"},
      {"dts-redis001", "failed"},   {"dts-redis002", "resumableErr"}, {"dts-redis003", "readyComplete"},
  };
  for (auto [id, status] : expected) {
    CAPTURE(id);
    CHECK(env.status(id) == status);
  }
  // The check results travel with the job.
  Json check = env.ok(DescribeMigrationCheckJob, Env::job("dts-mysql003"));
  CHECK(std::string(check["CheckFlag"].GetString()) == "checkNotPass");
  CHECK(std::string(check["StepInfo"][7]["StepStatus"].GetString()) == "failed");
  env.ok(SkipCheckItem, R"({"JobId":"dts-mysql003","StepIds":["BinlogParamCheck"]})");

  // The running job continues from where the fixture left it (loader at 50%).
  Json d = env.detail("dts-mysql012");
  CHECK(d["StepInfo"]["StepInfo"][1]["Percent"].GetInt() == 50);
  env.advance(env.store.timing().step("loader") / 2 + env.store.timing().of("catchUp"));
  CHECK(env.status("dts-mysql012") == "readyComplete");

  // The failed redis job resumes with clearData back to readyComplete.
  env.ok(ResumeMigrateJob, R"({"JobId":"dts-redis001","ResumeOption":"clearData"})");
  env.advance(2000 + 3000 + 3000);
  CHECK(env.status("dts-redis001") == "readyComplete");
  CHECK(env.fails(ResumeMigrateJob, Env::job("dts-mysql006")) == "FailedOperation.NotAllowOperation");
}

TEST_CASE("export_state loads back to the same jobs") {
  Env a;
  std::string running = a.running_job();
  std::string redis = a.running_job("redis", "redis", R"(,"Consistency":{"Mode":"full"})");
  std::string paused = a.running_job();
  a.ok(PauseMigrateJob, Env::job(paused));
  std::string idle = a.create("postgresql", "postgresql");
  a.ok(ModifyMigrateName, R"({"JobId":")" + idle + R"(","JobName":"idle one"})");
  {
    Transaction tx(a.store.db());
    FailureSpec f;  // whichever step runs: the job is readyComplete by now
    f.after_ms = 2500;
    REQUIRE_FALSE(schedule_failure(a.store, a.clock, running, f));
    tx.commit();
  }
  a.advance(1700);
  Json exported;
  {
    Transaction tx(a.store.db());
    exported = export_state(a.store, a.clock, a.ctx.tenant);
    tx.commit();
  }
  CHECK(exported["jobs"].Size() == 4);
  CHECK(std::string(exported["tenant"].GetString()) == "tenant-a");

  Env b;
  b.fake = a.fake;
  CHECK(load_fixtures(b.store, b.clock, exported) == 4);
  CHECK(load_fixtures(b.store, b.clock, exported) == 4);
  CHECK(all_details(a) == all_details(b));
  for (int i = 0; i < 6; ++i) {  // and they keep behaving the same
    a.advance(1500);
    b.advance(1500);
    CHECK(all_details(a) == all_details(b));
  }
  CHECK(a.status(running) == "error");
  CHECK(b.ok(DescribeCompareTasks, Env::job(redis))["TotalCount"].GetInt() == 1);
}

TEST_CASE("a fixture in Detail shape fills in what it leaves out") {
  Env env(":memory:", "default");
  REQUIRE(load(env, R"({"tenant":"default","region":"ap-guangzhou","jobs":[
      {"JobId":"dts-fixture1","Status":"running","SrcInfo":{"DatabaseType":"mysql"},"DstInfo":{"DatabaseType":"mysql"},
       "Tags":[{"TagKey":"k","TagValue":"v"}],"TradeInfo":{"InstanceClass":"large","TradeStatus":"normal"}},
      {"JobId":"dts-fixture2","Status":"checking","SrcInfo":{"DatabaseType":"redis"},"DstInfo":{"DatabaseType":"redis"},
       "MigrateOption":{"DatabaseTable":{"ObjectMode":"all"}}},
      {"JobId":"dts-fixture3","Region":"ap-beijing","Status":"created","SrcInfo":{"DatabaseType":"mysql"},"DstInfo":{"DatabaseType":"mysql"}}]})") == 3);
  Json d = env.detail("dts-fixture1");
  CHECK(d["StepInfo"]["StepAll"].GetInt() == 3);
  CHECK(std::string(d["StepInfo"]["StepInfo"][0]["Status"].GetString()) == "running");
  CHECK(std::string(d["TradeInfo"]["InstanceClass"].GetString()) == "large");
  CHECK(std::string(d["SrcInfo"]["Region"].GetString()) == "ap-guangzhou");
  CHECK(env.status("dts-fixture2") == "checking");
  env.advance(3000);
  CHECK(std::string(env.detail("dts-fixture1")["StepInfo"]["StepInfo"][1]["Status"].GetString()) == "running");
  CHECK(env.status("dts-fixture2") == "checkPass");
  CHECK(env.ok(DescribeMigrationJobs, R"({"TagFilters":[{"TagKey":"k"}]})")["TotalCount"].GetInt() == 1);
  RequestContext beijing = env.ctx;
  beijing.region = "ap-beijing";
  CHECK(env.ok(DescribeMigrationJobs, "{}", &beijing)["TotalCount"].GetInt() == 1);
}

TEST_CASE("a bad fixture loads nothing and says what is wrong") {
  Env env(":memory:", "default");
  auto rejects = [&](std::string_view text, std::string_view needle) {
    Json doc;
    REQUIRE(parse_json(text, doc));
    try {
      load_fixtures(env.store, env.clock, doc);
      FAIL("accepted: " << text);
    } catch (const FixtureError& e) {
      CHECK_MESSAGE(std::string(e.what()).find(needle) != std::string::npos, e.what());
    }
  };
  const char* ok_job = R"({"JobId":"dts-good0001","Status":"created","SrcInfo":{"DatabaseType":"mysql"},"DstInfo":{"DatabaseType":"mysql"}})";
  rejects(std::string(R"({"tenant":"default","region":"ap-guangzhou","jobs":[)") + ok_job + R"(,{"Status":"created"}]})", "missing JobId");
  rejects(std::string(R"({"region":"ap-guangzhou","jobs":[)") + ok_job +
              R"(,{"JobId":"dts-bad00001","Status":"sleeping","SrcInfo":{"DatabaseType":"mysql"},"DstInfo":{"DatabaseType":"mysql"}}]})",
          "dts-bad00001: missing or unknown Status");
  rejects(R"({"region":"ap-guangzhou","jobs":[{"JobId":"dts-bad00002","Status":"created","CreateTime":"yesterday","SrcInfo":{"DatabaseType":"mysql"},"DstInfo":{"DatabaseType":"mysql"}}]})",
          "CreateTime");
  rejects(R"({"jobs":[{"JobId":"dts-bad00003","Status":"created","SrcInfo":{"DatabaseType":"mysql"},"DstInfo":{"DatabaseType":"mysql"}}]})", "no region");
  rejects(R"({"tenant":"default"})", "jobs");
  CHECK(env.ok(DescribeMigrationJobs, "{}")["TotalCount"].GetInt() == 0);
}

TEST_CASE("reset_tenant and reset_all empty the store") {
  Env env;
  std::string a = env.running_job("mysql", "mysql", R"(,"Consistency":{"Mode":"full"})");
  RequestContext other = env.ctx;
  other.tenant = "tenant-b";
  env.ok(CreateMigrationService,
         R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"small","Count":2})",
         &other);
  Transaction tx(env.store.db());
  CHECK(reset_tenant(env.store, "tenant-a") == 1);
  CHECK(load_compare_tasks(env.store, a).empty());  // went with the job
  CHECK(reset_all(env.store) == 2);
  CHECK(reset_all(env.store) == 0);
}

TEST_CASE("routes list every emulated action once") {
  std::set<std::string_view> seen;
  for (const auto& r : routes()) {
    CHECK(static_cast<bool>(r.fn));
    CHECK(seen.insert(r.action).second);
  }
  CHECK(seen.size() == 31);
  CHECK(seen.count("ResumeMigrateJob"));
  CHECK(seen.count("DescribeMigrateGtidCompareReport"));
}

TEST_CASE("timing profiles and overrides") {
  Timing fast = Timing::profile("fast"), real = Timing::profile("realistic");
  CHECK(fast.profile_name() == "fast");
  CHECK(real.profile_name() == "realistic");
  CHECK(real.of("checking") == 30000);
  CHECK(real.of("resizing") == 180000);
  // Every transient phase of the fast profile takes 1-3 s.
  for (const auto& p : Timing::phases()) {
    if (auto v = fast.get(p.name)) {
      CAPTURE(p.name);
      CHECK(*v >= 1000);
      CHECK(*v <= 3000);
    }
  }
  CHECK(fast.set("checking", 5000));
  CHECK(fast.of("checking") == 5000);
  CHECK(fast.set("step.loader", 9000));
  CHECK(fast.step("loader") == 9000);
  CHECK(fast.step("dumper") == 3000);
  CHECK_FALSE(fast.set("napping", 1000));
  CHECK_FALSE(fast.set("checking", -1));
  CHECK(Timing::names().find("catchUp") != std::string::npos);

  // A store's profile drives new phases.
  Env env;
  env.store.timing().set("creating", 10000);
  std::string id = env.create();
  env.advance(9999);
  CHECK(env.status(id) == "creating");
  env.advance(1);
  CHECK(env.status(id) == "created");
}

TEST_CASE("API times: Beijing time and RFC 3339") {
  CHECK(beijing_time(kT0) == "2024-01-02 11:04:05");
  CHECK(rfc3339_time(kT0) == "2024-01-02T11:04:05+08:00");
  CHECK(parse_api_time("2024-01-02 11:04:05") == kT0);
  CHECK(parse_api_time("2024-01-02T11:04:05+08:00") == kT0);
  CHECK(parse_api_time("2024-01-02T03:04:05Z") == kT0);
  CHECK(parse_api_time("2024-01-02T03:04:05.250Z") == kT0 + 250);
  CHECK(parse_api_time("2024-01-01T22:04:05-05:00") == kT0);
  CHECK(parse_api_time("2024-02-29 00:00:00").has_value());
  CHECK_FALSE(parse_api_time("2023-02-29 00:00:00").has_value());
  CHECK_FALSE(parse_api_time("2024-01-02 11:04").has_value());
  CHECK_FALSE(parse_api_time("2024-01-02 11:04:05 ").has_value());
  CHECK_FALSE(parse_api_time("0000-00-00 00:00:00").has_value());
  CHECK(beijing_time(*parse_api_time("1999-12-31 23:59:59")) == "1999-12-31 23:59:59");
}
