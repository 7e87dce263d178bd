// DescribeMigrationJobs over 250 jobs: every filter, order, paging, tag
// filters, statuses that changed by themselves, and the tenant/region walls.
#include <set>

#include "state/job_faults.h"
#include "tests/unit/test_state_env.h"

using namespace dtsmock;
using namespace dtsmock::test;

namespace {

std::vector<std::string> ids_of(const Json& list) {
  std::vector<std::string> out;
  for (const auto& j : list["JobList"].GetArray()) out.emplace_back(j["JobId"].GetString());
  return out;
}

struct Fleet {
  Env env;
  std::vector<std::string> ids;  // in creation order
  Fleet() {
    const char* types[] = {"mysql", "redis", "postgresql", "mongodb", "mariadb"};
    for (int i = 0; i < 250; ++i) {
      std::string src = types[i % 5];
      std::string id = env.create(src, src);
      ids.push_back(id);
      env.advance(1000);
      if (i % 2 == 0) {  // half are configured: access types, instances, tags, names
        std::string body = Env::config(id, src, src);
        body.replace(body.find(R"("InstanceId":"src-1")"), 20, R"("InstanceId":"src-)" + std::to_string(i) + "\"");
        if (i % 4 == 0) body.replace(body.find(R"("AccessType":"cdb")"), 19, R"("AccessType":"extranet",)");
        if (i % 10 == 0) body.replace(body.find(R"("RunMode":"immediate")"), 21, R"("RunMode":"timed","ExpectRunTime":"2030-01-01 00:00:00")");
        std::string tag = i % 3 == 0 ? "prod" : "test";
        body.insert(body.size() - 1, R"(,"JobName":"job-)" + std::to_string(i) + R"(","Tags":[{"TagKey":"env","TagValue":")" + tag + R"("}])");
        env.ok(ModifyMigrationJob, body);
      }
    }
  }
};

}  // namespace

TEST_CASE("DescribeMigrationJobs lists 250 jobs with every filter, order and page") {
  Fleet f;
  Env& env = f.env;

  Json all = env.ok(DescribeMigrationJobs, "{}");
  CHECK(all["TotalCount"].GetInt() == 250);
  CHECK(all["JobList"].Size() == 20);  // default Limit
  // Default order: newest first.
  CHECK(ids_of(all)[0] == f.ids[249]);
  CHECK(ids_of(all)[19] == f.ids[230]);

  SUBCASE("paging walks every job once, in either order") {
    for (std::string order : {"asc", "desc"}) {
      std::vector<std::string> seen;
      for (int offset = 0; offset < 250; offset += 100) {
        Json page = env.ok(DescribeMigrationJobs, R"({"Limit":100,"Offset":)" + std::to_string(offset) + R"(,"OrderSeq":")" + order + "\"}");
        CHECK(page["TotalCount"].GetInt() == 250);
        for (auto& id : ids_of(page)) seen.push_back(id);
      }
      REQUIRE(seen.size() == 250);
      for (size_t i = 0; i < 250; ++i) CHECK(seen[i] == f.ids[order == "asc" ? i : 249 - i]);
    }
    CHECK(env.ok(DescribeMigrationJobs, R"({"Offset":300})")["JobList"].Size() == 0);
    CHECK(env.ok(DescribeMigrationJobs, R"({"Offset":300})")["TotalCount"].GetInt() == 250);
  }

  SUBCASE("Limit and OrderSeq are checked") {
    CHECK(env.fails(DescribeMigrationJobs, R"({"Limit":0})") == "InvalidParameterValue.InvalidParameterValueError");
    CHECK(env.fails(DescribeMigrationJobs, R"({"Limit":101})") == "InvalidParameterValue.InvalidParameterValueError");
    CHECK(env.fails(DescribeMigrationJobs, R"({"OrderSeq":"up"})") == "InvalidParameterValue.InvalidParameterValueError");
    CHECK(env.fails(DescribeMigrationJobs, R"({"Status":["sleeping"]})") == "InvalidParameterValue.InvalidParameterValueError");
    CHECK(env.ok(DescribeMigrationJobs, R"({"Limit":100})")["JobList"].Size() == 100);
    CHECK(env.ok(DescribeMigrationJobs, R"({"Limit":1})")["JobList"].Size() == 1);
  }

  SUBCASE("scalar and list filters") {
    CHECK(env.ok(DescribeMigrationJobs, Env::job(f.ids[7]))["TotalCount"].GetInt() == 1);
    CHECK(env.ok(DescribeMigrationJobs, R"({"SrcDatabaseType":["redis"]})")["TotalCount"].GetInt() == 50);
    CHECK(env.ok(DescribeMigrationJobs, R"({"SrcDatabaseType":["redis","mysql"]})")["TotalCount"].GetInt() == 100);
    CHECK(env.ok(DescribeMigrationJobs, R"({"DstDatabaseType":["mongodb"]})")["TotalCount"].GetInt() == 50);
    // Configured jobs are the even ones; a quarter of all use extranet.
    CHECK(env.ok(DescribeMigrationJobs, R"({"SrcAccessType":["extranet"]})")["TotalCount"].GetInt() == 63);
    CHECK(env.ok(DescribeMigrationJobs, R"({"SrcAccessType":["extranet","cdb"]})")["TotalCount"].GetInt() == 125);
    CHECK(env.ok(DescribeMigrationJobs, R"({"DstAccessType":["cdb"]})")["TotalCount"].GetInt() == 125);
    CHECK(env.ok(DescribeMigrationJobs, R"({"RunMode":"timed"})")["TotalCount"].GetInt() == 25);
    CHECK(env.ok(DescribeMigrationJobs, R"({"SrcInstanceId":"src-42"})")["TotalCount"].GetInt() == 1);
    CHECK(ids_of(env.ok(DescribeMigrationJobs, R"({"SrcInstanceId":"src-42"})"))[0] == f.ids[42]);
    CHECK(env.ok(DescribeMigrationJobs, R"({"DstInstanceId":"dst-1"})")["TotalCount"].GetInt() == 125);
    CHECK(env.ok(DescribeMigrationJobs, R"({"SrcRegion":"ap-guangzhou"})")["TotalCount"].GetInt() == 250);
    CHECK(env.ok(DescribeMigrationJobs, R"({"DstRegion":"ap-shanghai"})")["TotalCount"].GetInt() == 0);
    // JobName matches as a substring: job-12, job-120..job-128 (even ones only are named).
    CHECK(env.ok(DescribeMigrationJobs, R"({"JobName":"job-12"})")["TotalCount"].GetInt() == 6);
    CHECK(env.ok(DescribeMigrationJobs, R"({"JobName":"job-12","SrcDatabaseType":["mysql"]})")["TotalCount"].GetInt() == 1);
  }

  SUBCASE("tag filters") {
    // Tagged: even jobs; prod when i % 3 == 0 → i % 6 == 0: 42 jobs.
    CHECK(env.ok(DescribeMigrationJobs, R"({"TagFilters":[{"TagKey":"env"}]})")["TotalCount"].GetInt() == 125);
    CHECK(env.ok(DescribeMigrationJobs, R"({"TagFilters":[{"TagKey":"env","TagValue":["prod"]}]})")["TotalCount"].GetInt() == 42);
    CHECK(env.ok(DescribeMigrationJobs, R"({"TagFilters":[{"TagKey":"env","TagValue":["prod","test"]}]})")["TotalCount"].GetInt() == 125);
    CHECK(env.ok(DescribeMigrationJobs, R"({"TagFilters":[{"TagKey":"owner"}]})")["TotalCount"].GetInt() == 0);
    CHECK(env.ok(DescribeMigrationJobs, R"({"TagFilters":[{"TagKey":"env","TagValue":["prod"]}],"SrcDatabaseType":["mysql"]})")["TotalCount"].GetInt() ==
          9);
  }

  SUBCASE("status filters see statuses that changed by themselves") {
    // Every job left creating a second after purchase.
    CHECK(env.ok(DescribeMigrationJobs, R"({"Status":["created"]})")["TotalCount"].GetInt() == 250);
    env.ok(CreateMigrateCheckJob, Env::job(f.ids[0]));
    env.ok(CreateMigrateCheckJob, Env::job(f.ids[2]));
    CHECK(env.ok(DescribeMigrationJobs, R"({"Status":["checking"]})")["TotalCount"].GetInt() == 2);
    env.advance(3000);
    CHECK(env.ok(DescribeMigrationJobs, R"({"Status":["checking"]})")["TotalCount"].GetInt() == 0);
    CHECK(env.ok(DescribeMigrationJobs, R"({"Status":["checkPass"]})")["TotalCount"].GetInt() == 2);
    CHECK(env.ok(DescribeMigrationJobs, R"({"Status":["checkPass","created"]})")["TotalCount"].GetInt() == 250);
  }

  SUBCASE("every JobItem member is present") {
    const auto& item = all["JobList"][0];
    for (auto m : {"JobId", "JobName", "CreateTime", "UpdateTime", "StartTime", "EndTime", "BriefMsg", "Status", "RunMode", "ExpectRunTime",
                   "Action", "StepInfo", "SrcInfo", "DstInfo", "CompareTask", "TradeInfo", "Tags", "AutoRetryTimeRangeMinutes",
                   "DumperResumeCtrl"})
      CHECK_MESSAGE(item.HasMember(m), m);
    CHECK_FALSE(item.HasMember("MigrateOption"));
  }
}

TEST_CASE("tenants and regions are walls") {
  Env env;
  std::string mine = env.create();
  RequestContext other_tenant = env.ctx;
  other_tenant.tenant = "tenant-b";
  RequestContext other_region = env.ctx;
  other_region.region = "ap-beijing";
  std::string theirs = env.ok(CreateMigrationService,
                              R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"small"})",
                              &other_tenant)["JobIds"][0]
                           .GetString();
  CHECK(env.ok(DescribeMigrationJobs, "{}")["TotalCount"].GetInt() == 1);
  CHECK(env.ok(DescribeMigrationJobs, "{}", &other_tenant)["TotalCount"].GetInt() == 1);
  CHECK(env.ok(DescribeMigrationJobs, "{}", &other_region)["TotalCount"].GetInt() == 0);
  CHECK(env.ok(DescribeMigrationJobs, Env::job(theirs))["TotalCount"].GetInt() == 0);
  CHECK(env.fails(DescribeMigrationDetail, Env::job(theirs)) == "ResourceNotFound.ResourceNotFoundError");
  CHECK(env.fails(DescribeMigrationDetail, Env::job(mine), &other_region) == "ResourceNotFound.ResourceNotFoundError");
  CHECK(env.fails(StopMigrateJob, Env::job(theirs)) == "ResourceNotFound.JobNotExist");
  CHECK(env.fails(ModifyMigrateName, R"({"JobId":")" + theirs + R"(","JobName":"mine now"})") == "ResourceNotFound.JobNotExist");
  CHECK(env.fails(IsolateMigrateJob, Env::job(mine), &other_tenant) == "ResourceNotFound.ResourceNotFoundError");
  CHECK(std::string(env.detail(mine)["JobName"].GetString()) == mine);
}

TEST_CASE("DescribeMigrateDBInstances answers from the endpoints of the tenant's jobs") {
  Env env;
  env.running_job();
  std::string second = env.create();
  env.advance(1000);
  std::string body = Env::config(second);
  body.replace(body.find(R"("InstanceId":"src-1")"), 20, R"("InstanceId":"cdb-abc","Host":"10.0.0.8","Port":3306)");
  env.ok(ModifyMigrationJob, body);
  Json r = env.ok(DescribeMigrateDBInstances, R"({"DatabaseType":"mysql"})");
  CHECK(r["TotalCount"].GetInt() == 3);  // src-1, dst-1, cdb-abc
  r = env.ok(DescribeMigrateDBInstances, R"({"DatabaseType":"mysql","InstanceId":"cdb-abc","MigrateRole":"src"})");
  REQUIRE(r["TotalCount"].GetInt() == 1);
  CHECK(std::string(r["Instances"][0]["Vip"].GetString()) == "10.0.0.8");
  CHECK(r["Instances"][0]["Vport"].GetInt() == 3306);
  CHECK(r["Instances"][0]["Usable"].GetInt() == 1);
  CHECK(env.ok(DescribeMigrateDBInstances, R"({"DatabaseType":"redis"})")["TotalCount"].GetInt() == 0);
  CHECK(env.ok(DescribeMigrateDBInstances, R"({"DatabaseType":"mysql","Limit":1,"Offset":1})")["Instances"].Size() == 1);
  CHECK(env.fails(DescribeMigrateDBInstances, R"({"DatabaseType":"mysql","MigrateRole":"both"})") ==
        "InvalidParameterValue.InvalidParameterValueError");
}
