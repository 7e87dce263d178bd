// The request journal: secret masking, bounds, filters and the listing format.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "server/control/journal.h"
#include "server/control/rfc3339.h"

using namespace dtsmock;

namespace {

Json parse(std::string_view text) {
  Json d;
  REQUIRE_MESSAGE(parse_json(text, d), text);
  return d;
}

JournalEntry entry(std::string action, std::string code = "", std::string job = "", std::string tenant = "t1",
                   Millis time = 1'700'000'000'000) {
  JournalEntry e;
  e.action = std::move(action);
  e.code = std::move(code);
  e.job_id = std::move(job);
  e.tenant = std::move(tenant);
  e.region = "ap-guangzhou";
  e.time = time;
  e.sim_time = time;
  return e;
}

std::vector<int64_t> seqs(const Json& page) {
  std::vector<int64_t> out;
  for (const auto& e : page["requests"].GetArray()) out.push_back(e["seq"].GetInt64());
  return out;
}

}  // namespace

TEST_CASE("journal: secrets are masked at any depth") {
  Json p = parse(R"({
    "JobId": "dts-1",
    "SrcInfo": {"Info": [{"Host": "10.0.0.1", "User": "root", "Password": "hunter2"},
                         {"Host": "10.0.0.2", "password": "s3cret"}]},
    "TmpSecretKey": "k", "TmpToken": "tok", "Token": {"nested": "object"}, "NewPassword": "np",
    "SecretKey": 12345,
    "SecretId": "AKIDvisible", "TagKey": "visible", "Note": "mentions a token in a value"
  })");
  std::string masked = Journal::mask_secrets(p);
  for (const char* secret : {"hunter2", "s3cret", "\"k\"", "tok\"", "nested", "\"np\"", "12345"}) {
    CAPTURE(secret);
    CHECK(masked.find(secret) == std::string::npos);
  }
  Json back = parse(masked);
  CHECK(std::string(back["SrcInfo"]["Info"][0]["Password"].GetString()) == "******");
  CHECK(std::string(back["SrcInfo"]["Info"][1]["password"].GetString()) == "******");
  CHECK(std::string(back["SrcInfo"]["Info"][0]["Host"].GetString()) == "10.0.0.1");
  CHECK(std::string(back["Token"].GetString()) == "******");
  CHECK(std::string(back["SecretKey"].GetString()) == "******");
  CHECK(std::string(back["SecretId"].GetString()) == "AKIDvisible");
  CHECK(std::string(back["TagKey"].GetString()) == "visible");
  CHECK(std::string(back["Note"].GetString()) == "mentions a token in a value");
}

TEST_CASE("journal: params without secrets serialise unchanged") {
  Json p = parse(R"({"JobId":"dts-1","Limit":20,"Tags":[{"TagKey":"a","TagValue":["b"]}]})");
  CHECK(Journal::mask_secrets(p) == to_string(p));
}

TEST_CASE("journal: which member names count as secret") {
  for (const char* k : {"Password", "password", "NewPassword", "OldPassword", "SecretKey", "TmpSecretKey", "TmpToken",
                        "Token", "TOKEN", "ClientToken"}) {
    CAPTURE(k);
    CHECK(Journal::is_secret_key(k));
  }
  for (const char* k : {"SecretId", "TmpSecretId", "TagKey", "Key", "PasswordPolicy", "TokenId", "User", ""}) {
    CAPTURE(k);
    CHECK_FALSE(Journal::is_secret_key(k));
  }
}

TEST_CASE("journal: the maximum is respected and the oldest entries go first") {
  Journal j(3);
  for (int i = 0; i < 5; ++i) CHECK(j.record(entry("A" + std::to_string(i))) == i + 1);
  CHECK(j.size() == 3);
  CHECK(j.last_seq() == 5);
  Json page = j.query({});
  CHECK(seqs(page) == std::vector<int64_t>{3, 4, 5});
  CHECK(std::string(page["requests"][0]["action"].GetString()) == "A2");

  j.set_max(2);  // shrinking keeps the newest
  CHECK(seqs(j.query({})) == std::vector<int64_t>{4, 5});

  j.set_max(4);  // growing keeps the order and accepts more
  j.record(entry("A5"));
  j.record(entry("A6"));
  j.record(entry("A7"));
  CHECK(seqs(j.query({})) == std::vector<int64_t>{5, 6, 7, 8});
}

TEST_CASE("journal: max 0 records nothing but still numbers calls") {
  Journal j(0);
  CHECK(j.record(entry("A")) == 1);
  CHECK(j.record(entry("A")) == 2);
  CHECK(j.size() == 0);
  CHECK(j.last_seq() == 2);
}

TEST_CASE("journal: clear removes entries, sequence numbers keep counting") {
  Journal j;
  j.record(entry("A"));
  j.record(entry("B"));
  CHECK(j.clear() == 2);
  CHECK(j.size() == 0);
  CHECK(j.record(entry("C")) == 3);
}

TEST_CASE("journal: filters") {
  Journal j;
  j.record(entry("ResumeMigrateJob", "", "dts-1", "alice", 1000));                              // 1
  j.record(entry("ResumeMigrateJob", "ResourceNotFound.JobNotExist", "dts-2", "alice", 2000));  // 2
  j.record(entry("StopMigrateJob", "", "dts-1", "bob", 3000));                                  // 3
  JournalEntry faulted = entry("StopMigrateJob", "InternalError", "dts-1", "bob", 4000);        // 4
  faulted.fault_id = "f7";
  faulted.request_id = "req-4";
  j.record(std::move(faulted));

  struct Row { const char* name; JournalFilter f; std::vector<int64_t> expect; };
  std::vector<Row> rows;
  auto f = [] { return JournalFilter{}; };
  { auto x = f(); x.action = "ResumeMigrateJob"; rows.push_back({"action", x, {1, 2}}); }
  { auto x = f(); x.job_id = "dts-1"; rows.push_back({"jobId", x, {1, 3, 4}}); }
  { auto x = f(); x.tenant = "bob"; rows.push_back({"tenant", x, {3, 4}}); }
  { auto x = f(); x.code = "ok"; rows.push_back({"code=ok", x, {1, 3}}); }
  { auto x = f(); x.code = "success"; rows.push_back({"code=success", x, {1, 3}}); }
  { auto x = f(); x.code = "error"; rows.push_back({"code=error", x, {2, 4}}); }
  { auto x = f(); x.code = "ResourceNotFound.JobNotExist"; rows.push_back({"exact code", x, {2}}); }
  { auto x = f(); x.fault_id = "any"; rows.push_back({"faultId=any", x, {4}}); }
  { auto x = f(); x.fault_id = "f8"; rows.push_back({"other fault", x, {}}); }
  { auto x = f(); x.request_id = "req-4"; rows.push_back({"requestId", x, {4}}); }
  { auto x = f(); x.since_seq = 2; rows.push_back({"since seq", x, {3, 4}}); }
  { auto x = f(); x.since_time = 2000; rows.push_back({"since time", x, {2, 3, 4}}); }
  { auto x = f(); x.limit = 2; rows.push_back({"limit keeps the newest", x, {3, 4}}); }
  { auto x = f(); x.limit = 0; rows.push_back({"limit 0", x, {}}); }
  { auto x = f(); x.job_id = "dts-1"; x.code = "ok"; x.limit = 1; rows.push_back({"combined", x, {3}}); }
  for (const Row& row : rows) {
    CAPTURE(row.name);
    Json page = j.query(row.f);
    CHECK(seqs(page) == row.expect);
    CHECK(page["returned"].GetUint64() == row.expect.size());
    CHECK(j.count(row.f) == row.expect.size());
  }
  JournalFilter lim;
  lim.limit = 1;
  Json page = j.query(lim);
  CHECK(page["matched"].GetUint64() == 4);
  CHECK(page["lastSeq"].GetInt64() == 4);
}

TEST_CASE("journal: the listing shows each entry's details") {
  Journal j;
  JournalEntry e = entry("ResumeMigrateJob", "", "dts-9");
  e.time = parse_rfc3339("2024-05-01T12:00:00.250Z").value();
  e.sim_time = parse_rfc3339("2030-01-01T00:00:00Z").value();
  e.request_id = "rid";
  e.style = "TC3 POST";
  e.status_before = "paused";
  e.status_after = "running";
  e.latency_ms = 1.5;
  Json p = parse(R"({"JobId":"dts-9","SrcInfo":{"Password":"pw"}})");
  e.params_json = Journal::mask_secrets(p);
  j.record(std::move(e));
  j.record(entry("Bad", "InvalidAction"));

  Json page = j.query({});
  const JsonValue& a = page["requests"][0];
  CHECK(std::string(a["time"].GetString()) == "2024-05-01T12:00:00.250Z");
  CHECK(std::string(a["simTime"].GetString()) == "2030-01-01T00:00:00.000Z");
  CHECK(std::string(a["requestId"].GetString()) == "rid");
  CHECK(std::string(a["style"].GetString()) == "TC3 POST");
  CHECK(a["ok"].GetBool());
  CHECK(a["code"].IsNull());
  CHECK(a["faultId"].IsNull());
  CHECK(std::string(a["jobId"].GetString()) == "dts-9");
  CHECK(std::string(a["statusBefore"].GetString()) == "paused");
  CHECK(std::string(a["statusAfter"].GetString()) == "running");
  CHECK(a["latencyMs"].GetDouble() == doctest::Approx(1.5));
  REQUIRE(a["params"].IsObject());
  CHECK(std::string(a["params"]["SrcInfo"]["Password"].GetString()) == "******");

  const JsonValue& b = page["requests"][1];
  CHECK_FALSE(b["ok"].GetBool());
  CHECK(std::string(b["code"].GetString()) == "InvalidAction");
  CHECK(b["params"].IsNull());
}

TEST_CASE("rfc3339: round trips and offsets") {
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(parse_rfc3339("2024-02-29T23:59:59.999Z") == 1709251199999);
  CHECK(parse_rfc3339("2024-05-01T20:00:00+08:00") == parse_rfc3339("2024-05-01T12:00:00Z"));
  CHECK(parse_rfc3339("2024-05-01t12:00:00.5z") == parse_rfc3339("2024-05-01T12:00:00.500Z"));
  CHECK(format_rfc3339(*parse_rfc3339("2031-12-31T08:09:10.011Z")) == "2031-12-31T08:09:10.011Z");
  for (const char* bad : {"", "2024-05-01", "2024-05-01T12:00:00", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
                          "2024-05-01T24:00:00Z", "2024-05-01T12:00:00+8", "2024-05-01T12:00:00Zjunk", "42"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
}

TEST_CASE("journal: concurrent recording gives every call its own sequence number") {
  Journal j(500);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&j, t] {
      for (int i = 0; i < 300; ++i) j.record(entry("T" + std::to_string(t)));
    });
  for (auto& th : threads) th.join();
  CHECK(j.last_seq() == 1200);
  CHECK(j.size() == 500);
  std::vector<int64_t> s = seqs(j.query({}));
  REQUIRE(s.size() == 500);
  for (size_t i = 0; i < s.size(); ++i) CHECK(s[i] == static_cast<int64_t>(701 + i));
}
