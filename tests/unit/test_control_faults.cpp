// Fault rules: validation, matching, firing controls and effects.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "server/control/faults.h"

using namespace dtsmock;

namespace {

Json parse(std::string_view text) {
  Json d;
  REQUIRE_MESSAGE(parse_json(text, d), text);
  return d;
}

std::string add_ok(FaultEngine& fe, std::string_view rule) {
  Json d = parse(rule);
  FaultAddResult r = fe.add(d);
  REQUIRE_MESSAGE(r.ok(), r.error);
  REQUIRE(r.ids.size() == 1);
  return r.ids.front();
}

std::string add_err(FaultEngine& fe, std::string_view rule) {
  Json d = parse(rule);
  FaultAddResult r = fe.add(d);
  CHECK(!r.ok());
  CHECK(r.ids.empty());
  return r.error;
}

// Fires the engine n times for one call shape; returns which calls fired.
std::vector<bool> fire_pattern(FaultEngine& fe, int n, std::string_view action = "ResumeMigrateJob") {
  std::vector<bool> out;
  for (int i = 0; i < n; ++i) out.push_back(fe.match(action, "dts-1", "t1", "ap-guangzhou").has_value());
  return out;
}

const JsonValue& listed(const Json& list, size_t i) { return list["faults"][static_cast<rapidjson::SizeType>(i)]; }

}  // namespace

TEST_CASE("faults: no rules means no hit") {
  FaultEngine fe;
  CHECK_FALSE(fe.match("ResumeMigrateJob", "dts-1", "t1", "ap-guangzhou"));
}

TEST_CASE("faults: times:2 fires on exactly the next two matches, then retires") {
  FaultEngine fe;
  std::string id = add_ok(fe, R"({"action":"ResumeMigrateJob","times":2,"error":{"code":"FailedOperation"}})");
  auto fired = fire_pattern(fe, 5);
  CHECK(fired == std::vector<bool>{true, true, false, false, false});
  Json list = fe.list();
  REQUIRE(list["faults"].Size() == 1);
  CHECK(std::string(listed(list, 0)["id"].GetString()) == id);
  CHECK(listed(list, 0)["fired"].GetUint64() == 2);
  CHECK(listed(list, 0)["matched"].GetUint64() == 2);  // a retired rule no longer counts
  CHECK(listed(list, 0)["active"].GetBool() == false);
}

TEST_CASE("faults: after:N lets the first N matches through, then fires on every one") {
  FaultEngine fe;
  add_ok(fe, R"({"action":"ResumeMigrateJob","after":3,"transport":"reset"})");
  auto fired = fire_pattern(fe, 6);
  CHECK(fired == std::vector<bool>{false, false, false, true, true, true});
}

TEST_CASE("faults: after and times combine: skip 1, then fire twice") {
  FaultEngine fe;
  add_ok(fe, R"({"after":1,"times":2,"transport":"empty"})");
  CHECK(fire_pattern(fe, 5) == std::vector<bool>{false, true, true, false, false});
}

TEST_CASE("faults: a seeded probability fires the same calls on every run") {
  const char* rule = R"({"probability":0.5,"seed":42,"error":{"code":"InternalError"}})";
  FaultEngine a, b;
  add_ok(a, rule);
  add_ok(b, rule);
  auto pa = fire_pattern(a, 200);
  auto pb = fire_pattern(b, 200);
  CHECK(pa == pb);
  int fired = 0;
  for (bool f : pa) fired += f;
  CHECK(fired > 60);   // about half: neither never nor always
  CHECK(fired < 140);

  FaultEngine c;
  add_ok(c, R"({"probability":0.5,"seed":43,"error":{"code":"InternalError"}})");
  CHECK(fire_pattern(c, 200) != pa);  // the seed matters
}

TEST_CASE("faults: probability 0 never fires, 1 always fires") {
  FaultEngine fe;
  add_ok(fe, R"({"action":"A","probability":0,"seed":1,"transport":"hang"})");
  add_ok(fe, R"({"action":"B","probability":1,"transport":"hang"})");
  for (bool f : fire_pattern(fe, 50, "A")) CHECK_FALSE(f);
  for (bool f : fire_pattern(fe, 50, "B")) CHECK(f);
}

TEST_CASE("faults: the first rule that fires wins; a rule that lets a call through leaves it to the next") {
  FaultEngine fe;
  std::string first = add_ok(fe, R"({"action":"StartMigrateJob","after":1,"error":{"code":"ResourceInUse"}})");
  std::string second = add_ok(fe, R"({"action":"StartMigrateJob","transport":"reset"})");
  auto h1 = fe.match("StartMigrateJob", "", "t", "r");
  REQUIRE(h1);
  CHECK(h1->rule_id == second);  // the first rule skipped this call
  auto h2 = fe.match("StartMigrateJob", "", "t", "r");
  REQUIRE(h2);
  CHECK(h2->rule_id == first);
  REQUIRE(h2->error);
  CHECK(h2->error->code == "ResourceInUse");
  CHECK(h2->transport == Transport::Normal);
  Json list = fe.list();
  CHECK(listed(list, 1)["matched"].GetUint64() == 1);  // not consulted once the first rule fired
}

TEST_CASE("faults: filters on action, jobId, tenant and region") {
  FaultEngine fe;
  add_ok(fe, R"({"action":"ResumeMigrateJob","jobId":"dts-a","tenant":"alice","region":"ap-shanghai","transport":"reset"})");
  CHECK_FALSE(fe.match("StopMigrateJob", "dts-a", "alice", "ap-shanghai"));
  CHECK_FALSE(fe.match("ResumeMigrateJob", "dts-b", "alice", "ap-shanghai"));
  CHECK_FALSE(fe.match("ResumeMigrateJob", "dts-a", "bob", "ap-shanghai"));
  CHECK_FALSE(fe.match("ResumeMigrateJob", "dts-a", "alice", "ap-guangzhou"));
  CHECK(fe.match("ResumeMigrateJob", "dts-a", "alice", "ap-shanghai"));
  Json list = fe.list();
  CHECK(listed(list, 0)["matched"].GetUint64() == 1);
}

TEST_CASE("faults: error effect texts") {
  FaultEngine fe;
  SUBCASE("a catalogued code answers its default message in both languages") {
    add_ok(fe, R"({"error":{"code":"ResourceNotFound.JobNotExist"}})");
    auto h = fe.match("X", "", "", "");
    REQUIRE(h);
    REQUIRE(h->error);
    CHECK(h->error->err == Err::ResourceNotFound_JobNotExist);
    CHECK(h->error->en == make_error(Err::ResourceNotFound_JobNotExist).en);
    CHECK(h->error->message(Lang::Zh) == make_error(Err::ResourceNotFound_JobNotExist).zh);
  }
  SUBCASE("a given message replaces the default") {
    add_ok(fe, R"({"error":{"code":"FailedOperation","message":"disk on fire"}})");
    auto h = fe.match("X", "", "", "");
    REQUIRE(h);
    CHECK(h->error->code == "FailedOperation");
    CHECK(h->error->en == "disk on fire");
    CHECK(h->error->zh == "disk on fire");
  }
  SUBCASE("an uncatalogued code is answered as given, with its nearest catalogued parent's text") {
    add_ok(fe, R"({"error":{"code":"FailedOperation.SomethingNew"}})");
    auto h = fe.match("X", "", "", "");
    REQUIRE(h);
    CHECK(h->error->code == "FailedOperation.SomethingNew");
    CHECK_FALSE(h->error->err);
    CHECK(h->error->en == make_error(Err::FailedOperation).en);
  }
  SUBCASE("an uncatalogued code without a catalogued parent gets a generic text") {
    add_ok(fe, R"({"error":{"code":"Totally.Unknown"}})");
    auto h = fe.match("X", "", "", "");
    REQUIRE(h);
    CHECK(h->error->code == "Totally.Unknown");
    CHECK_FALSE(h->error->en.empty());
    CHECK_FALSE(h->error->zh.empty());
  }
}

TEST_CASE("faults: transport, http and delay effects reach the response") {
  FaultEngine fe;
  add_ok(fe, R"({"action":"A","transport":"malformed","delayMs":250})");
  add_ok(fe, R"({"action":"B","http":{"status":503,"body":{"message":"busy"}}})");
  add_ok(fe, R"({"action":"C","http":{"status":502,"body":"<html>bad gateway</html>"}})");
  add_ok(fe, R"({"action":"D","delayMs":1500})");
  add_ok(fe, R"({"action":"E","http":{"status":500,"body":"x","contentType":"text/html"}})");

  auto a = fe.match("A", "", "", "");
  REQUIRE(a);
  CHECK(a->transport == Transport::Malformed);
  CHECK(a->delay_ms == 250);
  CHECK_FALSE(a->delay_only());
  HttpResponse ra;
  apply_fault(*a, ra);
  CHECK(ra.transport == Transport::Malformed);
  CHECK(ra.delay_ms == 250);

  auto b = fe.match("B", "", "", "");
  REQUIRE(b);
  HttpResponse rb;
  apply_fault(*b, rb);
  CHECK(rb.status == 503);
  CHECK(rb.body == R"({"message":"busy"})");
  CHECK(rb.content_type == "application/json");
  CHECK(rb.transport == Transport::Normal);

  auto c = fe.match("C", "", "", "");
  REQUIRE(c);
  HttpResponse rc;
  apply_fault(*c, rc);
  CHECK(rc.status == 502);
  CHECK(rc.body == "<html>bad gateway</html>");
  CHECK(rc.content_type == "text/plain");

  auto d = fe.match("D", "", "", "");
  REQUIRE(d);
  CHECK(d->delay_only());
  CHECK(d->delay_ms == 1500);

  auto e = fe.match("E", "", "", "");
  REQUIRE(e);
  CHECK(e->http_content_type == "text/html");

  for (auto [name, t] : {std::pair{"reset", Transport::Reset}, std::pair{"empty", Transport::Empty},
                         std::pair{"hang", Transport::Hang}}) {
    FaultEngine one;
    add_ok(one, std::string(R"({"transport":")") + name + "\"}");
    auto h = one.match("Any", "", "", "");
    REQUIRE(h);
    CHECK(h->transport == t);
  }
}

TEST_CASE("faults: rules are validated strictly") {
  struct Row { const char* rule; const char* expect; };
  const Row rows[] = {
      {R"({"action":"A","eror":{"code":"X"}})", "unknown member 'eror'"},
      {R"({"times":"2","transport":"reset"})", "'times' must be an integer"},
      {R"({"times":0,"transport":"reset"})", "'times' must be an integer of at least 1"},
      {R"({"times":1.5,"transport":"reset"})", "'times'"},
      {R"({"after":-1,"transport":"reset"})", "'after'"},
      {R"({"probability":1.5,"transport":"reset"})", "'probability' must be a number from 0 to 1"},
      {R"({"probability":-0.1,"transport":"reset"})", "'probability'"},
      {R"({"probability":"half","transport":"reset"})", "'probability'"},
      {R"({"seed":7,"transport":"reset"})", "'seed' only applies together with 'probability'"},
      {R"({"probability":0.5,"seed":-7,"transport":"reset"})", "'seed'"},
      {R"({"error":{"code":"X"},"transport":"reset"})", "exactly one of"},
      {R"({"http":{"status":500},"transport":"reset"})", "exactly one of"},
      {R"({"action":"A"})", "needs an effect"},
      {R"({"transport":"boom"})", "'transport' must be one of"},
      {R"({"error":{}})", "'error.code' is required"},
      {R"({"error":{"code":"has space"}})", "'error.code'"},
      {R"({"error":{"code":"X","msg":"y"}})", "unknown member 'error.msg'"},
      {R"({"error":"FailedOperation"})", "'error' must be an object"},
      {R"({"http":{"status":700}})", "'http.status'"},
      {R"({"http":{"body":"x"}})", "'http.status' is required"},
      {R"({"http":{"status":500,"headers":{}}})", "unknown member 'http.headers'"},
      {R"({"delayMs":-5})", "'delayMs'"},
      {R"({"delayMs":99999999})", "'delayMs'"},
      {R"({"action":"","transport":"reset"})", "'action' must be a non-empty string"},
      {R"({"jobId":42,"transport":"reset"})", "'jobId'"},
      {R"({"id":"has space","transport":"reset"})", "'id'"},
      {R"("just a string")", "rule object"},
      {R"([{"transport":"reset"},{"transport":"nope"}])", "rule 1:"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.rule);
    FaultEngine fe;
    std::string err = add_err(fe, row.rule);
    CHECK_MESSAGE(err.find(row.expect) != std::string::npos, err);
    CHECK(fe.size() == 0);  // nothing is half-added
  }
}

TEST_CASE("faults: ids, lists, removal") {
  FaultEngine fe;
  CHECK(add_ok(fe, R"({"transport":"reset"})") == "f1");
  CHECK(add_ok(fe, R"({"id":"my-rule","note":"for the retry test","transport":"hang"})") == "my-rule");

  Json dup = parse(R"({"id":"my-rule","transport":"hang"})");
  FaultAddResult r = fe.add(dup);
  CHECK_FALSE(r.ok());
  CHECK(r.conflict);
  CHECK(fe.size() == 2);

  Json batch = parse(R"([{"transport":"reset"},{"id":"x","delayMs":5},{"error":{"code":"InternalError"}}])");
  FaultAddResult rb = fe.add(batch);
  REQUIRE(rb.ok());
  CHECK(rb.ids == std::vector<std::string>{"f2", "x", "f3"});
  CHECK(fe.size() == 5);

  auto one = fe.get("my-rule");
  REQUIRE(one);
  CHECK(std::string((*one)["note"].GetString()) == "for the retry test");
  CHECK(std::string((*one)["transport"].GetString()) == "hang");
  CHECK((*one)["active"].GetBool());

  CHECK(fe.remove("f1"));
  CHECK_FALSE(fe.remove("f1"));
  CHECK_FALSE(fe.get("f1"));
  // f1 is gone, so "my-rule" (a hang) is now the first rule and answers.
  auto h = fe.match("Any", "", "", "");
  REQUIRE(h);
  CHECK(h->rule_id == "my-rule");

  CHECK(fe.clear() == 4);
  CHECK(fe.size() == 0);
  CHECK_FALSE(fe.match("Any", "", "", ""));
}

TEST_CASE("faults: a listed rule reads back as it was given") {
  FaultEngine fe;
  add_ok(fe, R"({"action":"A","jobId":"dts-1","tenant":"t","region":"r","times":3,"after":1,"probability":0.25,"seed":9,"error":{"code":"InternalError","message":"m"},"delayMs":10})");
  Json list = fe.list();
  const JsonValue& r = listed(list, 0);
  CHECK(std::string(r["action"].GetString()) == "A");
  CHECK(std::string(r["jobId"].GetString()) == "dts-1");
  CHECK(r["times"].GetInt64() == 3);
  CHECK(r["after"].GetInt64() == 1);
  CHECK(r["probability"].GetDouble() == doctest::Approx(0.25));
  CHECK(r["seed"].GetUint64() == 9);
  CHECK(std::string(r["error"]["code"].GetString()) == "InternalError");
  CHECK(std::string(r["error"]["message"].GetString()) == "m");
  CHECK(r["delayMs"].GetInt64() == 10);
  CHECK(r["matched"].GetUint64() == 0);
  CHECK(r["fired"].GetUint64() == 0);
}

TEST_CASE("faults: a times-limited rule fires exactly that often under concurrent calls") {
  FaultEngine fe;
  add_ok(fe, R"({"times":250,"transport":"reset"})");
  std::atomic<int> hits{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (fe.match("A", "", "", "")) hits.fetch_add(1);
    });
  for (auto& th : threads) th.join();
  CHECK(hits.load() == 250);
}
