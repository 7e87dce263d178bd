// Every documented error code of every action that has a handler is reachable.
//
// The pairs come from the API model: for each routed action (state/routes.cpp),
// every code in model::action_errors(action). A new action or a new code in the
// reference shows up here by itself.
//
// A pair is reached in one of two ways, tried in this order:
//   natural   a real request, with no fault rule anywhere, makes the emulator
//             answer the code by itself (not found, wrong status, bad value,
//             missing or unknown parameter, rate limit). The recipes are the
//             table kNatural below: (action, code) -> setup + request.
//   by fault  a fault rule {"action": A, "times": 1, "error": {"code": C}} makes
//             a valid call of A answer exactly C (internal, billing, capacity
//             errors, and codes the emulator never produces by itself).
// Anything else is unreachable, and the test fails.
//
// Codes that one would expect to be natural but are not, because the emulator
// answers the same situation with another code, are listed in kNotNatural with
// the code it gives instead; the test checks that this is still so, so that
// the list cannot go stale.
//
// Everything runs in-process through App::handle, one fresh in-memory world per
// pair, with a hand-driven clock.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "server/api_model.h"
#include "server/app.h"
#include "server/config.h"
#include "state/json.h"
#include "state/routes.h"

namespace dtsmock {
namespace {

constexpr Millis kStart = 1717243200000;  // 2024-06-01T12:00:00Z
constexpr std::string_view kNoSuchJob = "dts-nosuch00";

// ---- one emulator, in-process ------------------------------------------------

struct World {
  Millis fake = kStart;
  Config cfg;
  Store store{":memory:"};
  Clock clock{1.0, [this] { return fake; }};
  IdSource ids{7};
  App app;

  explicit World(double rate_limit = 0) : cfg(make_cfg(rate_limit)), app(cfg, store, clock, ids, Credentials{}) {}
  World(const World&) = delete;

  static Config make_cfg(double rate_limit) {
    Config c;
    c.db = ":memory:";
    c.auth_verify = false;
    c.rate_limit = rate_limit;
    c.journal_max = 64;
    return c;
  }

  void advance(Millis ms) { fake += ms; }

  struct Answer {
    std::string code;  // "" on success
    std::string message;
    Json response;     // the Response object
    std::string raw;
  };

  // A TC3 POST as the SDKs send it (--auth off: no signature needed).
  Answer call(std::string_view action, std::string_view params_json) {
    HttpRequest req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"host", "127.0.0.1"},
                   {"content-type", "application/json"},
                   {"x-tc-action", std::string(action)},
                   {"x-tc-version", "2021-12-06"},
                   {"x-tc-region", "ap-guangzhou"},
                   {"x-tc-timestamp", std::to_string(kStart / 1000)}};
    req.body = std::string(params_json);
    HttpResponse r = app.handle(req);
    Answer a;
    a.raw = r.body;
    Json doc;
    REQUIRE_MESSAGE(parse_json(r.body, doc), "not JSON: " << r.body);
    REQUIRE_MESSAGE(doc.IsObject(), r.body);
    REQUIRE_MESSAGE(doc.HasMember("Response"), r.body);
    a.response.CopyFrom(doc["Response"], a.response.GetAllocator());
    if (const JsonValue* e = member(a.response, "Error")) {
      a.code = str_member(*e, "Code").value_or("?");
      a.message = str_member(*e, "Message").value_or("");
    }
    return a;
  }

  // A call that must succeed.
  Json ok(std::string_view action, std::string_view params_json) {
    Answer a = call(action, params_json);
    INFO(action << " " << params_json);
    REQUIRE_MESSAGE(a.code.empty(), a.code << ": " << a.message);
    return std::move(a.response);
  }

  HttpResponse control(std::string method, std::string path, std::string body) {
    HttpRequest req;
    req.method = std::move(method);
    req.target = std::move(path);
    req.headers = {{"host", "127.0.0.1"}, {"content-type", "application/json"}};
    req.body = std::move(body);
    return app.handle(req);
  }
};

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

// ---- job states the recipes start from -----------------------------------------

enum class Setup {
  None,           // no job at all: $JOB is an id nobody owns
  Creating,       // just bought (status creating, a transient phase)
  Created,        // created, never configured
  Configured,     // created + ModifyMigrationJob
  CheckPass,      // the statuses below are configured jobs forced there through PUT /_dtsmock/jobs/{id}
  Running,
  ReadyComplete,
  Success,
  TaskCreated,    // a running job with a compare task never started ($TASK)
  TaskRunning,    // ... whose task runs
};

const char* setup_name(Setup s) {
  switch (s) {
    case Setup::None: return "no job";
    case Setup::Creating: return "creating";
    case Setup::Created: return "created";
    case Setup::Configured: return "configured";
    case Setup::CheckPass: return "checkPass";
    case Setup::Running: return "running";
    case Setup::ReadyComplete: return "readyComplete";
    case Setup::Success: return "success";
    case Setup::TaskCreated: return "running, task created";
    case Setup::TaskRunning: return "running, task running";
  }
  return "?";
}

constexpr std::string_view kEndpoints =
    R"("SrcInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"cdb-src00001","User":"root","Password":"pw"}]},)"
    R"("DstInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"cdb-dst00001","User":"root","Password":"pw"}]})";

// A complete, valid ModifyMigrationJob body for $JOB with the given run mode part.
std::string modify_body(std::string_view run = R"("RunMode":"immediate")",
                        std::string_view option = R"({"DatabaseTable":{"ObjectMode":"all"},"MigrateType":"fullAndIncrement"})") {
  return std::string(R"({"JobId":"$JOB",)") + std::string(run) + R"(,"MigrateOption":)" + std::string(option) + "," +
         std::string(kEndpoints) + "}";
}

struct Prepared {
  std::string job = std::string(kNoSuchJob);
  std::string task = "dts-nosuch00-cmp-nosuch00";
};

Prepared prepare(World& w, Setup s) {
  Prepared p;
  if (s == Setup::None) return p;
  Json bought = w.ok("CreateMigrationService",
                     R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"medium"})");
  p.job = bought["JobIds"][0].GetString();
  if (s == Setup::Creating) return p;
  w.advance(2000);
  if (s == Setup::Created) return p;
  w.ok("ModifyMigrationJob", replace_all(modify_body(), "$JOB", p.job));
  if (s == Setup::Configured) return p;
  const char* status = s == Setup::CheckPass ? "checkPass" : s == Setup::ReadyComplete ? "readyComplete" : s == Setup::Success ? "success" : "running";
  HttpResponse forced = w.control("PUT", "/_dtsmock/jobs/" + p.job, std::string(R"({"Status":")") + status + "\"}");
  REQUIRE_MESSAGE(forced.status == 200, forced.body);
  if (s != Setup::TaskCreated && s != Setup::TaskRunning) return p;
  Json task = w.ok("CreateCompareTask", R"({"JobId":")" + p.job + "\"}");
  p.task = task["CompareTaskId"].GetString();
  if (s == Setup::TaskRunning) {
    w.ok("StartCompare", R"({"JobId":")" + p.job + R"(","CompareTaskId":")" + p.task + "\"}");
    w.advance(1500);  // past compareReadyRun (1 s), inside comparing (3 s)
  }
  return p;
}

// ---- requests -----------------------------------------------------------------

// A value of the member's type that the validator accepts.
JsonValue placeholder(const model::Member& m, bool as_element, Alloc& a);

JsonValue minimal_object(const model::Object& o, Alloc& a, bool top = false) {
  JsonValue v(rapidjson::kObjectType);
  for (const auto& m : o.all())  // a request's JobId always (DestroyMigrateJob's is optional in the model)
    if (m.required || (top && m.name == "JobId")) v.AddMember(jstr(m.name, a), placeholder(m, false, a), a);
  return v;
}

JsonValue placeholder(const model::Member& m, bool as_element, Alloc& a) {
  model::Type t = as_element ? m.elem : m.type;
  switch (t) {
    case model::Type::String: return m.name == "JobId" ? jstr("$JOB", a) : m.name == "CompareTaskId" ? jstr("$TASK", a) : jstr("x", a);
    case model::Type::Int: return JsonValue(1);
    case model::Type::Float: return JsonValue(1.0);
    case model::Type::Bool: return JsonValue(false);
    case model::Type::Object: return minimal_object(model::object(m.object), a);
    case model::Type::List: {
      JsonValue list(rapidjson::kArrayType);
      list.PushBack(placeholder(m, true, a), a);
      return list;
    }
  }
  return JsonValue();
}

// The action's required members with placeholder values, overlaid with the
// recipe's members (a null member removes it); $JOB and $TASK substituted.
std::string request_for(std::string_view action, std::string_view overlay, const Prepared& p) {
  const model::Action* act = model::find_action(action);
  REQUIRE(act);
  Json doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  JsonValue base = minimal_object(model::object(act->input), a, true);
  static_cast<JsonValue&>(doc).Swap(base);
  if (!overlay.empty()) {
    Json over;
    REQUIRE_MESSAGE(parse_json(overlay, over), overlay);
    REQUIRE(over.IsObject());
    for (auto it = over.MemberBegin(); it != over.MemberEnd(); ++it) {
      doc.RemoveMember(it->name);
      if (!it->value.IsNull()) doc.AddMember(JsonValue(it->name, a), JsonValue(it->value, a), a);
    }
  }
  return replace_all(replace_all(to_string(doc), "$JOB", p.job), "$TASK", p.task);
}

// ---- the natural recipes ----------------------------------------------------------

struct Recipe {
  std::string_view action;
  std::string_view code;
  Setup setup;
  std::string params;       // overlaid on the action's minimal valid request
  int calls = 1;            // send it this many times; the last answer counts
  double rate_limit = 0;    // --rate-limit for this world (0: off)
};

std::vector<Recipe> natural_recipes() {
  std::vector<Recipe> r;
  auto each = [&](std::initializer_list<std::string_view> actions, std::string_view code, Setup s, std::string_view params) {
    for (auto a : actions) r.push_back({a, code, s, std::string(params)});
  };

  // A JobId nobody owns.
  each({"ResumeMigrateJob", "StartMigrateJob", "StopMigrateJob", "CompleteMigrateJob", "CreateMigrateCheckJob", "ModifyMigrateName"},
       "ResourceNotFound.JobNotExist", Setup::None, "");
  each({"ModifyMigrateRateLimit", "ModifyMigrateRuntimeAttribute", "DescribeMigrationCheckJob", "SkipCheckItem", "PauseMigrateJob",
        "ContinueMigrateJob", "DescribeMigrationDetail", "IsolateMigrateJob", "RecoverMigrateJob", "DestroyMigrateJob", "ModifyMigrateJobSpec",
        "CreateCompareTask", "StartCompare", "StopCompare", "DescribeCompareTasks", "DescribeCompareReport", "DescribeCompareDiffItems",
        "DeleteCompareTask", "ModifyCompareTask", "ModifyCompareTaskName"},
       "ResourceNotFound.ResourceNotFoundError", Setup::None, "");
  r.push_back({"ModifyMigrationJob", "ResourceNotFound.ResourceNotFoundError", Setup::None, modify_body()});
  r.push_back({"DescribeMigrateGtidCompareReport", "InvalidParameterValue.InvalidParameterValueError", Setup::None, ""});

  // An empty JobId: present for the validator, missing for the job store.
  each({"ModifyMigrationJob", "ModifyMigrateName", "CreateMigrateCheckJob", "DescribeMigrationCheckJob", "StartMigrateJob", "CompleteMigrateJob",
        "DescribeMigrationDetail", "IsolateMigrateJob", "DestroyMigrateJob", "ModifyMigrateJobSpec", "CreateCompareTask", "StartCompare",
        "StopCompare", "DescribeCompareTasks", "DescribeCompareReport", "DeleteCompareTask", "ModifyCompareTask", "ModifyCompareTaskName"},
       "MissingParameter.MissingParameterError", Setup::None, R"({"JobId":""})");

  // The validator: a wrong type, a missing or an unknown parameter (the common API 3.0 codes).
  each({"CreateMigrateCheckJob", "StartMigrateJob", "ResumeMigrateJob", "StopMigrateJob", "CompleteMigrateJob"}, "InvalidParameter", Setup::None,
       R"({"JobId":12345})");
  r.push_back({"DescribeMigrateDBInstances", "InvalidParameter", Setup::None, R"({"DatabaseType":"mysql","Limit":"ten"})"});
  r.push_back({"DescribeMigrateDBInstances", "MissingParameter", Setup::None, R"({"DatabaseType":null})"});
  r.push_back({"DescribeMigrateDBInstances", "UnknownParameter", Setup::None, R"({"DatabaseType":"mysql","Colour":"blue"})"});

  // A parameter value out of range or not one of the allowed ones.
  r.push_back({"CreateMigrationService", "InvalidParameterValue.InvalidParameterValueError", Setup::None,
               R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"huge"})"});
  r.push_back({"ModifyMigrationJob", "InvalidParameterValue.InvalidParameterValueError", Setup::Created, modify_body(R"("RunMode":"sometimes")")});
  r.push_back({"ModifyMigrationJob", "InvalidParameterValue.DataConvertError", Setup::Created,
               modify_body(R"("RunMode":"timed","ExpectRunTime":"next tuesday")")});
  r.push_back({"ModifyMigrateName", "InvalidParameterValue.InvalidParameterValueError", Setup::Created, R"({"JobName":""})"});
  r.push_back({"ModifyMigrateRateLimit", "InvalidParameterValue.InvalidParameterValueError", Setup::Running, R"({"DumpThread":99})"});
  r.push_back({"ModifyMigrateRuntimeAttribute", "InvalidParameter.InvalidParameterError", Setup::Created,
               R"({"OtherOptions":[{"Key":"Colour","Value":"blue"}]})"});
  r.push_back({"SkipCheckItem", "InvalidParameterValue.InvalidParameterValueError", Setup::Created, R"({"StepIds":[]})"});
  r.push_back({"CompleteMigrateJob", "InvalidParameterValue.InvalidParameterValueError", Setup::ReadyComplete, R"({"CompleteMode":"never"})"});
  r.push_back({"ResumeMigrateJob", "InvalidParameterValue.InvalidParameterValue", Setup::Running, R"({"ResumeOption":"bogus"})"});
  r.push_back({"DescribeMigrationJobs", "InvalidParameterValue.InvalidParameterValueError", Setup::None, R"({"Limit":0})"});
  r.push_back({"DescribeMigrateDBInstances", "InvalidParameterValue.InvalidParameterValueError", Setup::None,
               R"({"DatabaseType":"mysql","MigrateRole":"both"})"});
  r.push_back({"ModifyMigrateJobSpec", "InvalidParameterValue.InvalidParameterValueError", Setup::Running, R"({"NewInstanceClass":"huge"})"});
  r.push_back({"CreateCompareTask", "InvalidParameterValue.InvalidParameterValueError", Setup::Running, R"({"ObjectMode":"everything"})"});
  r.push_back({"DescribeCompareTasks", "InvalidParameterValue.InvalidParameterValueError", Setup::Running, R"({"Limit":0})"});
  r.push_back({"DescribeCompareDiffItems", "InvalidParameterValue.InvalidParameterValueError", Setup::TaskCreated, R"({"Limit":0})"});
  r.push_back({"ModifyCompareTask", "InvalidParameterValue.InvalidParameterValueError", Setup::TaskCreated,
               R"({"Options":{"Method":"guesswork"}})"});
  r.push_back({"ModifyCompareTaskName", "InvalidParameterValue.InvalidParameterValueError", Setup::TaskCreated, R"({"TaskName":""})"});

  // The job (or its compare task) is in a status the action does not run from.
  r.push_back({"StartMigrateJob", "FailedOperation.StatusInConflict", Setup::Configured, ""});
  r.push_back({"StopMigrateJob", "FailedOperation.StatusInConflict", Setup::Configured, ""});
  r.push_back({"CompleteMigrateJob", "FailedOperation.StatusInConflict", Setup::Running, ""});
  r.push_back({"ModifyMigrateRateLimit", "FailedOperation.StatusInConflict", Setup::Configured, R"({"DumpThread":4})"});
  r.push_back({"ResumeMigrateJob", "FailedOperation.NotAllowOperation", Setup::Running, ""});
  r.push_back({"CreateMigrateCheckJob", "OperationDenied.JobOperationDeniedError", Setup::Created, ""});  // never configured
  r.push_back({"ModifyMigrationJob", "OperationDenied.OperationDeniedError", Setup::Running, modify_body()});
  r.push_back({"SkipCheckItem", "OperationDenied.OperationDeniedError", Setup::Configured, R"({"StepIds":["BinlogParamCheck"]})"});
  r.push_back({"PauseMigrateJob", "OperationDenied.OperationDeniedError", Setup::Configured, ""});
  r.push_back({"ContinueMigrateJob", "OperationDenied.OperationDeniedError", Setup::Running, ""});
  r.push_back({"IsolateMigrateJob", "OperationDenied.OperationDeniedError", Setup::Creating, ""});
  r.push_back({"DestroyMigrateJob", "OperationDenied.OperationDeniedError", Setup::Running, ""});  // not isolated
  r.push_back({"ModifyMigrateJobSpec", "OperationDenied.OperationDeniedError", Setup::Success, R"({"NewInstanceClass":"large"})"});
  r.push_back({"CreateCompareTask", "OperationDenied.OperationDeniedError", Setup::Configured, ""});
  r.push_back({"StartCompare", "OperationDenied.OperationDeniedError", Setup::TaskRunning, ""});
  r.push_back({"StopCompare", "OperationDenied.OperationDeniedError", Setup::TaskCreated, ""});
  r.push_back({"DescribeCompareReport", "OperationDenied.OperationDeniedError", Setup::TaskRunning, ""});
  r.push_back({"DeleteCompareTask", "OperationDenied.OperationDeniedError", Setup::TaskRunning, ""});
  r.push_back({"ModifyCompareTask", "OperationDenied.OperationDeniedError", Setup::TaskRunning, ""});
  r.push_back({"DescribeMigrateGtidCompareReport", "FailedOperation", Setup::Configured, ""});  // never started

  // The real rate limit: a second call in the same second with --rate-limit 1.
  r.push_back({"ModifyMigrateRateLimit", "RequestLimitExceeded", Setup::Running, R"({"DumpThread":4})", 2, 1.0});
  return r;
}

// Situations that are natural but answered with another code than the one the
// reference lists: (action or "*", listed code, the situation, what dtsmock answers).
struct NotNatural {
  std::string_view action;
  std::string_view code;
  Setup setup;
  std::string_view params;
  std::string_view answered;
};

const std::vector<NotNatural>& not_natural() {
  static const std::vector<NotNatural> v = {
      // Unknown and missing parameters, and wrong types, are refused by the
      // gateway's validator with the common API 3.0 codes.
      {"DescribeMigrationJobs", "UnknownParameter.UnknownParameterError", Setup::None, R"({"Limt":5})", "UnknownParameter"},
      {"CreateMigrationService", "MissingParameter.MissingParameterError", Setup::None, R"({"InstanceClass":null})", "MissingParameter"},
      {"DescribeMigrationDetail", "InvalidParameter.InvalidParameterError", Setup::None, R"({"JobId":7})", "InvalidParameter"},
      // The rate limit answers the common code.
      {"DescribeMigrationJobs", "RequestLimitExceeded.RequestLimitExceededError", Setup::None, "", "RequestLimitExceeded"},
      // Actions that list both not-found codes get ResourceNotFound.JobNotExist.
      {"StartMigrateJob", "ResourceNotFound.ResourceNotFoundError", Setup::None, "", "ResourceNotFound.JobNotExist"},
  };
  return v;
}

std::string key(std::string_view action, std::string_view code) { return std::string(action) + " " + std::string(code); }

World::Answer run_recipe(World& w, const Recipe& r) {
  Prepared p = prepare(w, r.setup);
  std::string req = request_for(r.action, r.params, p);
  World::Answer last;
  for (int i = 0; i < r.calls; ++i) last = w.call(r.action, req);
  return last;
}

}  // namespace

TEST_CASE("error coverage: every documented code of every routed action is reachable, naturally or by a fault rule") {
  const auto recipes = natural_recipes();
  std::map<std::string, const Recipe*> by_pair;
  for (const auto& r : recipes) {
    INFO("recipe " << r.action << " -> " << r.code);
    // Several recipes for one pair would hide which one counts: one each.
    CHECK_MESSAGE(by_pair.emplace(key(r.action, r.code), &r).second, "two natural recipes for one pair");
  }

  size_t natural = 0, by_fault = 0, unreachable = 0;
  std::set<std::string> used;
  std::map<std::string, std::pair<int, int>> per_action;
  for (const auto& route : routes()) {
    const model::Action* act = model::find_action(route.action);
    REQUIRE_MESSAGE(act, "routed action " << route.action << " is not in the API model");
    auto codes = model::action_errors(route.action);
    CHECK_MESSAGE(!codes.empty(), route.action << " has no documented error codes");
    for (std::string_view code : codes) {
      INFO(route.action << " -> " << code);
      bool reached = false;
      if (auto it = by_pair.find(key(route.action, code)); it != by_pair.end()) {
        const Recipe& r = *it->second;
        used.insert(it->first);
        World w(r.rate_limit);
        World::Answer a = run_recipe(w, r);
        CHECK(w.app.faults().size() == 0);
        INFO("natural recipe from " << std::string(setup_name(r.setup)) << " answered " << (a.code.empty() ? "success" : a.code) << ": " << a.message);
        CHECK_MESSAGE(a.code == code, "the natural recipe no longer produces its code");
        if (a.code == code) {
          ++natural;
          ++per_action[std::string(route.action)].first;
          reached = true;
        }
      } else {
        World w;
        Prepared p = prepare(w, Setup::None);
        std::string rule = R"({"action":")" + std::string(route.action) + R"(","times":1,"error":{"code":")" + std::string(code) + "\"}}";
        Json rule_doc;
        REQUIRE(parse_json(rule, rule_doc));
        auto added = w.app.faults().add(rule_doc);
        REQUIRE_MESSAGE(added.ok(), added.error);
        std::string req = request_for(route.action, "", p);
        World::Answer a = w.call(route.action, req);
        INFO("request " << req << " answered " << (a.code.empty() ? "success" : a.code));
        CHECK(a.code == code);
        // Exactly once: the rule has retired and the next call reaches the handler.
        World::Answer again = w.call(route.action, req);
        CHECK(again.code != code);
        if (a.code == code && again.code != code) {
          ++by_fault;
          ++per_action[std::string(route.action)].second;
          reached = true;
        }
      }
      if (!reached) ++unreachable;
    }
  }

  for (const auto& [k, r] : by_pair) CHECK_MESSAGE(used.count(k), "natural recipe for a pair the model does not list: " << k);

  std::ostringstream table;
  for (const auto& [action, n] : per_action) table << "  " << action << ": natural " << n.first << ", by fault " << n.second << "\n";
  MESSAGE("error coverage over " << routes().size() << " routed actions: natural " << natural << ", by fault " << by_fault << ", unreachable "
                                 << unreachable << "\n"
                                 << table.str());
  CHECK(unreachable == 0);
  CHECK(natural + by_fault > 0);
}

TEST_CASE("error coverage: situations answered with another code than the listed one are still answered so") {
  // If one of these starts answering the listed code, move it to the natural
  // recipes (and out of this list).
  for (const auto& n : not_natural()) {
    INFO(n.action << " listed " << n.code << ", expected answer " << n.answered);
    bool listed = false;
    for (auto c : model::action_errors(n.action)) listed = listed || c == n.code;
    CHECK_MESSAGE(listed, "the reference no longer lists this code for the action");
    bool rate = n.answered == std::string_view("RequestLimitExceeded");
    World w(rate ? 1.0 : 0.0);
    Prepared p = prepare(w, n.setup);
    std::string req = request_for(n.action, n.params, p);
    World::Answer a = w.call(n.action, req);
    if (rate) a = w.call(n.action, req);
    CHECK(a.code == n.answered);
  }
}

}  // namespace dtsmock
