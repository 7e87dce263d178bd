// The /_dtsmock/ control API: token, routing, clock, faults, journal, hooks,
// and the OpenAPI document.
#include <doctest/doctest.h>
#include <rapidjson/pointer.h>

#include <algorithm>
#include <set>
#include <string>

#include "server/control/control_api.h"
#include "server/control/rfc3339.h"

using namespace dtsmock;

namespace {

struct Fixture {
  Millis fake_ms = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
  Clock clock{1.0, [this] { return fake_ms; }};
  FaultEngine faults;
  Journal journal;
  ControlDeps deps{clock, faults, journal, ""};

  HttpResponse call(std::string method, std::string target, std::string body = "",
                    std::optional<std::string> auth = std::nullopt) {
    HttpRequest req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.body = std::move(body);
    if (auth) req.headers.emplace_back("authorization", *auth);
    return handle_control(req, deps);
  }
};

Json json_of(const HttpResponse& r) {
  Json d;
  REQUIRE_MESSAGE(parse_json(r.body, d), r.body);
  return d;
}

std::string error_code(const HttpResponse& r) {
  Json d = json_of(r);
  REQUIRE_MESSAGE(d.IsObject(), r.body);
  REQUIRE_MESSAGE(d.HasMember("error"), r.body);
  return d["error"]["code"].GetString();
}

std::string error_message(const HttpResponse& r) { return json_of(r)["error"]["message"].GetString(); }

const std::string* header(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return &v;
  return nullptr;
}

}  // namespace

TEST_CASE("control: with an admin token every call needs it") {
  Fixture fx;
  fx.deps.admin_token = "s3cr3t-token";

  auto missing = fx.call("GET", "/_dtsmock/clock");
  CHECK(missing.status == 401);
  CHECK(error_code(missing) == "Unauthorized");
  REQUIRE(header(missing, "WWW-Authenticate"));

  CHECK(fx.call("GET", "/_dtsmock/clock", "", "Bearer wrong").status == 401);
  CHECK(fx.call("GET", "/_dtsmock/clock", "", "Bearer s3cr3t-toke").status == 401);
  CHECK(fx.call("GET", "/_dtsmock/clock", "", "Bearer s3cr3t-token-and-more").status == 401);
  CHECK(fx.call("GET", "/_dtsmock/clock", "", "s3cr3t-token").status == 401);
  CHECK(fx.call("GET", "/_dtsmock/clock", "", "Basic s3cr3t-token").status == 401);
  CHECK(fx.call("GET", "/_dtsmock/clock", "", "Bearer").status == 401);
  // Even unknown paths do not reveal themselves without the token.
  CHECK(fx.call("GET", "/_dtsmock/nope").status == 401);
  // A refused call changes nothing.
  CHECK(fx.call("POST", "/_dtsmock/faults", R"({"transport":"reset"})", "Bearer wrong").status == 401);
  CHECK(fx.faults.size() == 0);

  CHECK(fx.call("GET", "/_dtsmock/clock", "", "Bearer s3cr3t-token").status == 200);
  CHECK(fx.call("GET", "/_dtsmock/clock", "", "bearer  s3cr3t-token ").status == 200);
  CHECK(fx.call("GET", "/_dtsmock/nope", "", "Bearer s3cr3t-token").status == 404);
}

TEST_CASE("control: without an admin token the API is open") {
  Fixture fx;
  CHECK(fx.call("GET", "/_dtsmock/clock").status == 200);
}

TEST_CASE("control: routing errors") {
  Fixture fx;
  auto nf = fx.call("GET", "/_dtsmock/does-not-exist");
  CHECK(nf.status == 404);
  CHECK(error_code(nf) == "NotFound");
  CHECK(nf.content_type == "application/json");

  auto na = fx.call("DELETE", "/_dtsmock/clock");
  CHECK(na.status == 405);
  CHECK(error_code(na) == "MethodNotAllowed");
  REQUIRE(header(na, "Allow"));
  CHECK(*header(na, "Allow") == "GET,POST");

  CHECK(fx.call("GET", "/_dtsmock/faults/").status == 200);  // a trailing slash is fine
  CHECK(fx.call("GET", "/_dtsmock/jobs").status == 404);
  CHECK(fx.call("POST", "/_dtsmock/jobs/dts-1").status == 405);
}

TEST_CASE("control: the clock") {
  Fixture fx;
  auto read = [&] { return json_of(fx.call("GET", "/_dtsmock/clock")); };

  Json c = read();
  CHECK(std::string(c["now"].GetString()) == "2023-11-14T22:13:20.000Z");
  CHECK(c["nowMs"].GetInt64() == fx.fake_ms);
  CHECK(c["scale"].GetDouble() == 1.0);
  CHECK(c["frozen"].GetBool() == false);

  SUBCASE("advance") {
    auto r = fx.call("POST", "/_dtsmock/clock", R"({"advance": 90.5})");
    CHECK(r.status == 200);
    CHECK(json_of(r)["nowMs"].GetInt64() == fx.fake_ms + 90500);
    CHECK(fx.clock.now() == fx.fake_ms + 90500);
  }
  SUBCASE("set, with an offset") {
    auto r = fx.call("POST", "/_dtsmock/clock", R"({"set": "2030-01-01T08:00:00+08:00"})");
    CHECK(r.status == 200);
    CHECK(std::string(json_of(r)["now"].GetString()) == "2030-01-01T00:00:00.000Z");
    fx.fake_ms += 1000;
    CHECK(std::string(read()["now"].GetString()) == "2030-01-01T00:00:01.000Z");
  }
  SUBCASE("scale") {
    CHECK(fx.call("POST", "/_dtsmock/clock", R"({"scale": 60})").status == 200);
    const Millis before = fx.clock.now();
    fx.fake_ms += 1000;
    CHECK(fx.clock.now() == before + 60000);
    CHECK(read()["scale"].GetDouble() == 60.0);
  }
  SUBCASE("frozen") {
    CHECK(fx.call("POST", "/_dtsmock/clock", R"({"frozen": true})").status == 200);
    const Millis before = fx.clock.now();
    fx.fake_ms += 5000;
    CHECK(fx.clock.now() == before);
    CHECK(read()["frozen"].GetBool());
    CHECK(fx.call("POST", "/_dtsmock/clock", R"({"advance": 10})").status == 200);  // frozen time still moves by hand
    CHECK(fx.clock.now() == before + 10000);
    CHECK(fx.call("POST", "/_dtsmock/clock", R"({"frozen": false})").status == 200);
    fx.fake_ms += 1000;
    CHECK(fx.clock.now() == before + 11000);
  }
  SUBCASE("set then advance in one call") {
    auto r = fx.call("POST", "/_dtsmock/clock", R"({"advance": 60, "set": "2025-01-01T00:00:00Z"})");
    CHECK(std::string(json_of(r)["now"].GetString()) == "2025-01-01T00:01:00.000Z");
  }
  SUBCASE("invalid changes are refused and change nothing") {
    const char* bad[] = {R"({"advance": -1})",           R"({"advance": "60"})",
                         R"({"set": "tomorrow"})",        R"({"set": 1700000000})",
                         R"({"scale": 0})",               R"({"scale": -2})",
                         R"({"frozen": "yes"})",          R"({"advance": 10, "scale": -1})",
                         R"({"speed": 2})",               R"({})",
                         R"([])",                         R"(not json)",
                         ""};
    for (const char* body : bad) {
      CAPTURE(body);
      auto r = fx.call("POST", "/_dtsmock/clock", body);
      CHECK(r.status == 400);
      CHECK_FALSE(error_message(r).empty());
      CHECK(fx.clock.now() == fx.fake_ms);
      CHECK(fx.clock.scale() == 1.0);
    }
  }
}

TEST_CASE("control: fault rules over HTTP") {
  Fixture fx;
  auto created = fx.call("POST", "/_dtsmock/faults",
                         R"({"action":"ResumeMigrateJob","times":1,"error":{"code":"FailedOperation"}})");
  CHECK(created.status == 201);
  Json rule = json_of(created);
  REQUIRE(rule.HasMember("id"));
  const std::string id = rule["id"].GetString();
  CHECK(rule["fired"].GetUint64() == 0);

  auto hit = fx.faults.match("ResumeMigrateJob", "", "t", "r");
  REQUIRE(hit);
  CHECK(hit->rule_id == id);

  Json list = json_of(fx.call("GET", "/_dtsmock/faults"));
  REQUIRE(list["faults"].Size() == 1);
  CHECK(list["faults"][0]["fired"].GetUint64() == 1);
  CHECK(list["faults"][0]["active"].GetBool() == false);

  CHECK(fx.call("GET", "/_dtsmock/faults/" + id).status == 200);
  auto del = fx.call("DELETE", "/_dtsmock/faults/" + id);
  CHECK(del.status == 200);
  CHECK(std::string(json_of(del)["deleted"].GetString()) == id);
  CHECK(fx.call("DELETE", "/_dtsmock/faults/" + id).status == 404);
  CHECK(fx.call("GET", "/_dtsmock/faults/" + id).status == 404);

  auto bad = fx.call("POST", "/_dtsmock/faults", R"({"probability":2,"transport":"reset"})");
  CHECK(bad.status == 400);
  CHECK(error_code(bad) == "InvalidRule");
  CHECK(error_message(bad).find("probability") != std::string::npos);
  CHECK(fx.call("POST", "/_dtsmock/faults", "{oops").status == 400);
  CHECK(fx.call("POST", "/_dtsmock/faults", "").status == 400);

  auto batch = fx.call("POST", "/_dtsmock/faults", R"([{"id":"a","transport":"reset"},{"delayMs":5}])");
  CHECK(batch.status == 201);
  CHECK(json_of(batch)["faults"].Size() == 2);
  auto dup = fx.call("POST", "/_dtsmock/faults", R"({"id":"a","transport":"reset"})");
  CHECK(dup.status == 409);
  CHECK(error_code(dup) == "Conflict");

  auto cleared = fx.call("DELETE", "/_dtsmock/faults");
  CHECK(json_of(cleared)["deleted"].GetUint64() == 2);
  CHECK(fx.faults.size() == 0);
}

TEST_CASE("control: the request journal over HTTP") {
  Fixture fx;
  auto rec = [&](std::string action, std::string code, std::string job, Millis t) {
    JournalEntry e;
    e.action = std::move(action);
    e.code = std::move(code);
    e.job_id = std::move(job);
    e.tenant = "t1";
    e.time = t;
    fx.journal.record(std::move(e));
  };
  const Millis t0 = *parse_rfc3339("2024-05-01T12:00:00Z");
  rec("ResumeMigrateJob", "", "dts-1", t0);
  rec("ResumeMigrateJob", "FailedOperation", "dts-1", t0 + 1000);
  rec("DescribeMigrationJobs", "", "", t0 + 2000);

  Json all = json_of(fx.call("GET", "/_dtsmock/requests"));
  CHECK(all["requests"].Size() == 3);
  CHECK(all["lastSeq"].GetInt64() == 3);

  Json page = json_of(fx.call("GET", "/_dtsmock/requests?action=ResumeMigrateJob&code=ok"));
  REQUIRE(page["requests"].Size() == 1);
  CHECK(page["requests"][0]["seq"].GetInt64() == 1);

  CHECK(json_of(fx.call("GET", "/_dtsmock/requests?since=1"))["requests"].Size() == 2);
  CHECK(json_of(fx.call("GET", "/_dtsmock/requests?since=2024-05-01T12%3A00%3A01Z"))["requests"].Size() == 2);
  CHECK(json_of(fx.call("GET", "/_dtsmock/requests?since=2024-05-01T20:00:02%2B08:00"))["requests"].Size() == 1);
  Json last = json_of(fx.call("GET", "/_dtsmock/requests?limit=1"));
  REQUIRE(last["requests"].Size() == 1);
  CHECK(std::string(last["requests"][0]["action"].GetString()) == "DescribeMigrationJobs");

  CHECK(json_of(fx.call("GET", "/_dtsmock/requests/count?jobId=dts-1"))["count"].GetUint64() == 2);
  CHECK(json_of(fx.call("GET", "/_dtsmock/requests/count?code=FailedOperation"))["count"].GetUint64() == 1);
  CHECK(json_of(fx.call("GET", "/_dtsmock/requests/count?code=success"))["count"].GetUint64() == 2);

  for (const char* q : {"?acton=X", "?since=yesterday", "?limit=-1", "?limit=ten", "?action=%zz"}) {
    CAPTURE(q);
    auto r = fx.call("GET", std::string("/_dtsmock/requests") + q);
    CHECK(r.status == 400);
    CHECK(error_code(r) == "InvalidQuery");
  }

  CHECK(fx.call("DELETE", "/_dtsmock/requests?action=X").status == 400);
  auto del = fx.call("DELETE", "/_dtsmock/requests");
  CHECK(json_of(del)["deleted"].GetUint64() == 3);
  CHECK(json_of(fx.call("GET", "/_dtsmock/requests/count"))["count"].GetUint64() == 0);
  CHECK(fx.call("DELETE", "/_dtsmock/requests/count").status == 405);
}

TEST_CASE("control: job-store endpoints go to the hooks") {
  Fixture fx;
  SUBCASE("an unwired hook answers 501") {
    for (auto [m, p] : {std::pair{"PUT", "/_dtsmock/jobs/dts-1"}, std::pair{"POST", "/_dtsmock/jobs/dts-1/fail"},
                        std::pair{"POST", "/_dtsmock/fixtures"}, std::pair{"POST", "/_dtsmock/reset"},
                        std::pair{"GET", "/_dtsmock/state"}}) {
      CAPTURE(p);
      auto r = fx.call(m, p, "{}");
      CHECK(r.status == 501);
      CHECK(error_code(r) == "NotImplemented");
    }
  }
  SUBCASE("a wired hook sees the decoded job id, the query and the parsed body") {
    std::string seen_job, seen_status, seen_tenant;
    fx.deps.set_job = [&](const ControlCall& c) {
      seen_job = c.job_id;
      seen_status = str_member(c.body, "Status").value_or("");
      seen_tenant = c.param("tenant").value_or("");
      Json out(rapidjson::kObjectType);
      out.AddMember("ok", true, out.GetAllocator());
      return control_json(out);
    };
    auto r = fx.call("PUT", "/_dtsmock/jobs/dts%2Dabc?tenant=alice", R"({"Status":"running"})");
    CHECK(r.status == 200);
    CHECK(seen_job == "dts-abc");
    CHECK(seen_status == "running");
    CHECK(seen_tenant == "alice");

    seen_job.clear();
    CHECK(fx.call("PUT", "/_dtsmock/jobs/dts-abc", "{not json").status == 400);
    CHECK(seen_job.empty());  // the hook is not called with a broken body
  }
  SUBCASE("a hook that throws answers 500, not a crash") {
    fx.deps.state = [](const ControlCall&) -> HttpResponse { throw std::runtime_error("boom"); };
    auto r = fx.call("GET", "/_dtsmock/state");
    CHECK(r.status == 500);
    CHECK(error_message(r).find("boom") != std::string::npos);
  }
  SUBCASE("a full reset also clears faults and the journal; a tenant reset does not") {
    int resets = 0;
    fx.deps.reset = [&](const ControlCall&) {
      ++resets;
      return control_json(JsonValue(rapidjson::kObjectType));
    };
    fx.call("POST", "/_dtsmock/faults", R"({"transport":"reset"})");
    fx.journal.record(JournalEntry{});
    CHECK(fx.call("POST", "/_dtsmock/reset?tenant=alice").status == 200);
    CHECK(fx.faults.size() == 1);
    CHECK(fx.journal.size() == 1);
    CHECK(fx.call("POST", "/_dtsmock/reset").status == 200);
    CHECK(fx.faults.size() == 0);
    CHECK(fx.journal.size() == 0);
    CHECK(resets == 2);
  }
}

TEST_CASE("control: the OpenAPI document describes every route") {
  Fixture fx;
  auto r = fx.call("GET", "/_dtsmock/openapi.json");
  CHECK(r.status == 200);
  CHECK(r.content_type == "application/json");
  Json doc;
  REQUIRE(parse_json(r.body, doc));
  CHECK(std::string(doc["openapi"].GetString()).rfind("3.", 0) == 0);
  const JsonValue& paths = doc["paths"];
  std::set<std::string> routed;
  for (const ControlRoute& route : control_routes()) {
    CAPTURE(route.path);
    routed.insert(std::string(route.path));
    const JsonValue* p = member(paths, route.path);
    REQUIRE(p);
    std::string methods(route.methods);
    size_t pos = 0;
    while (pos <= methods.size()) {
      size_t sp = methods.find(' ', pos);
      std::string m = methods.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
      std::transform(m.begin(), m.end(), m.begin(), [](char c) { return static_cast<char>(c - 'A' + 'a'); });
      CAPTURE(m);
      CHECK(member(*p, m));
      if (sp == std::string::npos) break;
      pos = sp + 1;
    }
  }
  for (auto it = paths.MemberBegin(); it != paths.MemberEnd(); ++it) {
    CAPTURE(it->name.GetString());
    CHECK(routed.count(it->name.GetString()) == 1);  // nothing documented that is not routed
  }
  // Every $ref points at something that exists.
  std::vector<const JsonValue*> stack{&doc};
  int refs = 0;
  while (!stack.empty()) {
    const JsonValue* v = stack.back();
    stack.pop_back();
    if (v->IsObject()) {
      for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
        if (std::string_view(it->name.GetString()) == "$ref") {
          ++refs;
          std::string ref = it->value.GetString();
          CAPTURE(ref);
          REQUIRE(ref.rfind("#/", 0) == 0);
          rapidjson::Pointer ptr(ref.substr(1).c_str());
          CHECK(ptr.Get(doc) != nullptr);
        } else {
          stack.push_back(&it->value);
        }
      }
    } else if (v->IsArray()) {
      for (const auto& item : v->GetArray()) stack.push_back(&item);
    }
  }
  CHECK(refs > 10);
}
