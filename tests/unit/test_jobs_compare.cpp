// Compare tasks of migration jobs: the default task of a Consistency.Mode=full
// job, user tasks through their whole life, reports, diff items, and the
// status checks of each action.
#include "state/job_faults.h"
#include "tests/unit/test_state_env.h"

using namespace dtsmock;
using namespace dtsmock::test;

namespace {
std::string str(const JsonValue& v) { return v.GetString(); }
std::string task_body(const std::string& job, const std::string& task, std::string_view extra = "") {
  return R"({"JobId":")" + job + R"(","CompareTaskId":")" + task + "\"" + std::string(extra) + "}";
}
}  // namespace

TEST_CASE("a job with Consistency.Mode=full gets a default compare task that runs once the incremental step starts") {
  Env env;
  std::string id = env.running_job("mysql", "mysql", R"(,"Consistency":{"Mode":"full"})");
  Json tasks = env.ok(DescribeCompareTasks, Env::job(id));
  REQUIRE(tasks["TotalCount"].GetInt() == 1);
  std::string task = str(tasks["Items"][0]["CompareTaskId"]);
  CHECK(task.rfind(id + "-cmp-", 0) == 0);
  CHECK(task.size() == id.size() + 13);
  CHECK(str(tasks["Items"][0]["TaskName"]) == "defaultCmpTask");
  CHECK(str(tasks["Items"][0]["Status"]) == "created");
  CHECK(str(env.detail(id)["CompareTask"]["Status"]) == "unstart");
  env.advance(6000);  // dumper + loader: the sinker starts, and the compare with it
  CHECK(str(env.ok(DescribeCompareTasks, Env::job(id))["Items"][0]["Status"]) == "readyRun");
  CHECK(str(env.detail(id)["CompareTask"]["Status"]) == "running");
  env.advance(1000);
  CHECK(str(env.ok(DescribeCompareTasks, Env::job(id))["Items"][0]["Status"]) == "running");
  env.advance(3000);
  Json d = env.detail(id);
  CHECK(str(d["CompareTask"]["CompareTaskId"]) == task);
  CHECK(str(d["CompareTask"]["Status"]) == "consistent");
  Json tasks_now = env.ok(DescribeCompareTasks, Env::job(id));
  const JsonValue& item = tasks_now["Items"][0];
  CHECK(str(item["Conclusion"]) == "same");
  CHECK(str(item["StartedAt"]) == beijing_time(env.fake - 4000));
  CHECK(str(item["FinishedAt"]) == beijing_time(env.fake));
  Json report = env.ok(DescribeCompareReport, task_body(id, task));
  CHECK(str(report["Abstract"]["Conclusion"]) == "same");
  CHECK(str(report["Abstract"]["Status"]) == "success");
  CHECK(report["Detail"]["Difference"]["TotalCount"].GetInt() == 0);
}

TEST_CASE("a user compare task: create, modify, start, report, delete") {
  Env env;
  std::string id = env.create();
  env.advance(1000);
  CHECK(env.fails(CreateCompareTask, Env::job(id)) == "OperationDenied.OperationDeniedError");  // job not running
  env.ok(ModifyMigrationJob, Env::config(id));
  env.ok(CreateMigrateCheckJob, Env::job(id));
  env.advance(3000);
  env.ok(StartMigrateJob, Env::job(id));
  env.advance(2000);

  CHECK(env.fails(CreateCompareTask, R"({"JobId":")" + id + R"(","ObjectMode":"custom"})") == "InvalidParameterValue.InvalidParameterValueError");
  CHECK(env.fails(CreateCompareTask, R"({"JobId":")" + id + R"(","Options":{"ThreadCount":9}})") == "InvalidParameterValue.InvalidParameterValueError");
  Json created = env.ok(CreateCompareTask, R"({"JobId":")" + id +
                                               R"(","TaskName":"nightly","ObjectMode":"custom","Objects":{"ObjectMode":"partial","ObjectItems":[{"DbName":"shop","DbMode":"partial","TableMode":"partial","Tables":[{"TableName":"orders"}]}]}})");
  std::string task = str(created["CompareTaskId"]);
  Json tasks = env.ok(DescribeCompareTasks, Env::job(id));
  CHECK(str(tasks["Items"][0]["TaskName"]) == "nightly");
  CHECK(str(tasks["Items"][0]["Config"]["ObjectItems"][0]["Tables"][0]["TableName"]) == "orders");
  CHECK(str(tasks["Items"][0]["Options"]["Method"]) == "dataCheck");

  env.ok(ModifyCompareTask, task_body(id, task, R"(,"Options":{"Method":"rowsCount","ThreadCount":4})"));
  env.ok(ModifyCompareTaskName, task_body(id, task, R"(,"TaskName":"renamed")"));
  CHECK(env.fails(DeleteCompareTask, task_body(id, task)) == "OperationDenied.OperationDeniedError");
  CHECK(env.fails(DescribeCompareReport, task_body(id, task)) == "OperationDenied.OperationDeniedError");

  {
    Transaction tx(env.store.db());
    REQUIRE_FALSE(set_compare_outcome(env.store, env.clock, id, "different", "success"));
    tx.commit();
  }
  env.ok(StartCompare, task_body(id, task));
  CHECK(env.fails(StartCompare, task_body(id, task)) == "OperationDenied.OperationDeniedError");
  CHECK(env.fails(ModifyCompareTask, task_body(id, task, R"(,"TaskName":"x")")) == "OperationDenied.OperationDeniedError");
  env.advance(4000);
  tasks = env.ok(DescribeCompareTasks, task_body(id, task));
  CHECK(str(tasks["Items"][0]["TaskName"]) == "renamed");
  CHECK(str(tasks["Items"][0]["Method"]) == "rowsCount");
  CHECK(str(tasks["Items"][0]["Status"]) == "success");
  CHECK(str(tasks["Items"][0]["Conclusion"]) == "different");
  CHECK(str(env.detail(id)["CompareTask"]["Status"]) == "inconsistent");
  Json report = env.ok(DescribeCompareReport, task_body(id, task));
  CHECK(str(report["Abstract"]["Conclusion"]) == "different");
  CHECK(report["Abstract"]["TotalTables"].GetInt() == 1);
  CHECK(report["Detail"]["Difference"]["TotalCount"].GetInt() == 1);
  CHECK(str(report["Detail"]["Difference"]["Items"][0]["Db"]) == "shop");
  Json diff = env.ok(DescribeCompareDiffItems, task_body(id, task));
  CHECK(diff["TotalCount"].GetInt() == 1);
  CHECK(str(diff["Items"][0]["DiffType"]) == "data");
  CHECK(env.ok(DescribeCompareDiffItems, task_body(id, task, R"(,"DBName":"other")"))["TotalCount"].GetInt() == 0);

  CHECK(env.ok(DescribeCompareTasks, R"({"JobId":")" + id + R"(","Status":["running"]})")["TotalCount"].GetInt() == 0);
  CHECK(env.fails(DescribeCompareTasks, R"({"JobId":")" + id + R"(","Status":["done"]})") == "InvalidParameterValue.InvalidParameterValueError");
  env.ok(DeleteCompareTask, task_body(id, task));
  CHECK(env.ok(DescribeCompareTasks, Env::job(id))["TotalCount"].GetInt() == 0);
  CHECK(str(env.detail(id)["CompareTask"]["Status"]) == "notexist");
  CHECK(env.fails(DeleteCompareTask, task_body(id, task)) == "ResourceNotFound.ResourceNotFoundError");
}

TEST_CASE("StopCompare cancels a running compare") {
  Env env;
  std::string id = env.running_job();
  std::string task = str(env.ok(CreateCompareTask, Env::job(id))["CompareTaskId"]);
  CHECK(str(env.ok(DescribeCompareTasks, Env::job(id))["Items"][0]["TaskName"]) == task);  // TaskName defaults to the id
  CHECK(env.fails(StopCompare, task_body(id, task)) == "OperationDenied.OperationDeniedError");  // not started
  env.ok(StartCompare, task_body(id, task));
  env.advance(1500);
  env.ok(StopCompare, task_body(id, task, R"(,"ForceStop":true)"));
  CHECK(str(env.ok(DescribeCompareTasks, Env::job(id))["Items"][0]["Status"]) == "stopping");
  env.advance(1000);
  CHECK(str(env.ok(DescribeCompareTasks, Env::job(id))["Items"][0]["Status"]) == "canceled");
  CHECK(str(env.detail(id)["CompareTask"]["Status"]) == "canceled");
  env.ok(DeleteCompareTask, task_body(id, task));
}

TEST_CASE("DescribeMigrateGtidCompareReport") {
  Env env;
  std::string fresh = env.create();
  CHECK(env.fails(DescribeMigrateGtidCompareReport, Env::job(fresh)) == "FailedOperation");
  CHECK(env.fails(DescribeMigrateGtidCompareReport, Env::job("dts-nope0000")) == "InvalidParameterValue.InvalidParameterValueError");
  std::string id = env.running_job();
  Json r = env.ok(DescribeMigrateGtidCompareReport, Env::job(id));
  CHECK(str(r["Conclusion"]) == "same");
  CHECK(str(r["Type"]) == "gtid");
  CHECK(r["Detail"].Size() == 0);
  r = env.ok(DescribeMigrateGtidCompareReport, R"({"JobId":")" + id + R"(","NeedDiffDetail":true})");
  REQUIRE(r["Detail"].Size() == 1);
  CHECK(str(r["Detail"][0]["Result"]) == "consistent");
  CHECK(str(r["Detail"][0]["SrcGtidSets"]) == str(r["Detail"][0]["DstGtidSets"]));
  CHECK(env.fails(DescribeMigrateGtidCompareReport, R"({"JobId":")" + id + R"(","CompareTaskId":"nope"})") ==
        "InvalidParameterValue.InvalidParameterValueError");
}
