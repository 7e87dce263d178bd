#include <doctest/doctest.h>

#include "server/envelope.h"
#include "server/wire.h"

using namespace dtsmock;

namespace {
HttpRequest post_json(std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"content-type", "application/json"}, {"x-tc-action", "ResumeMigrateJob"}, {"x-tc-version", "2021-12-06"},
               {"x-tc-region", "ap-guangzhou"}, {"x-tc-timestamp", "1700000000"}, {"host", "127.0.0.1:8080"}};
  r.body = std::move(body);
  return r;
}
}  // namespace

TEST_CASE("wire: TC3 POST reads common parameters from headers and the JSON body") {
  ApiCall c;
  auto req = post_json(R"({"JobId":"dts-1kl0iy0v","ResumeOption":"normal"})");
  req.headers.emplace_back("x-tc-language", "zh-CN");
  REQUIRE_FALSE(parse_call(req, c));
  CHECK(c.style == Style::Tc3Post);
  CHECK(c.action == "ResumeMigrateJob");
  CHECK(c.version == "2021-12-06");
  CHECK(c.region == "ap-guangzhou");
  CHECK(c.has_region);
  CHECK(c.timestamp == "1700000000");
  CHECK(language_of(c) == Lang::Zh);
  CHECK(*str_member(c.params, "JobId") == "dts-1kl0iy0v");
}

TEST_CASE("wire: v1 POST form carries everything, URL-decoded") {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  r.body = "Action=ResumeMigrateJob&Version=2021-12-06&Region=ap-guangzhou&SecretId=AKID&Nonce=11886&Timestamp=1700000000"
           "&Signature=%2B1MF%3D&SignatureMethod=HmacSHA256&JobId=dts-1&Name=a+b%20c";
  ApiCall c;
  REQUIRE_FALSE(parse_call(r, c));
  CHECK(c.style == Style::V1Post);
  CHECK(c.action == "ResumeMigrateJob");
  CHECK(c.secret_id == "AKID");
  CHECK(c.signature == "+1MF=");
  CHECK(c.signature_method == "HmacSHA256");
  CHECK(c.nonce == "11886");
  REQUIRE(c.form.size() == 10);
  CHECK(c.form.back().first == "Name");
  CHECK(c.form.back().second == "a b c");
}

TEST_CASE("wire: GET is v1 unless it carries X-TC-Action or a TC3 Authorization") {
  HttpRequest r;
  r.method = "GET";
  r.target = "/?Action=DescribeMigrationJobs&Version=2021-12-06&Region=ap-guangzhou&Status.0=running";
  ApiCall c;
  REQUIRE_FALSE(parse_call(r, c));
  CHECK(c.style == Style::V1Get);
  CHECK(c.action == "DescribeMigrationJobs");

  HttpRequest g;
  g.method = "GET";
  g.target = "/?JobId=dts-1kl0iy0v&ResumeOption=normal";
  g.headers = {{"x-tc-action", "ResumeMigrateJob"}, {"x-tc-version", "2021-12-06"}, {"x-tc-region", "ap-guangzhou"}};
  ApiCall c2;
  REQUIRE_FALSE(parse_call(g, c2));
  CHECK(c2.style == Style::Tc3Get);
  CHECK(c2.action == "ResumeMigrateJob");
  CHECK(c2.form.size() == 2);
}

TEST_CASE("wire: refusals") {
  SUBCASE("methods other than GET and POST") {
    HttpRequest r;
    r.method = "PUT";
    r.target = "/";
    ApiCall c;
    auto e = parse_call(r, c);
    REQUIRE(e);
    CHECK(e->code == Err::UnsupportedProtocol);
  }
  SUBCASE("GET over 32 KB") {
    HttpRequest r;
    r.method = "GET";
    r.target = "/?Action=X&Pad=" + std::string(33 * 1024, 'a');
    ApiCall c;
    auto e = parse_call(r, c);
    REQUIRE(e);
    CHECK(e->code == Err::RequestSizeLimitExceeded);
  }
  SUBCASE("v1 POST over 1 MB") {
    HttpRequest r;
    r.method = "POST";
    r.target = "/";
    r.headers = {{"content-type", "application/x-www-form-urlencoded"}};
    r.body = "Action=X&Pad=" + std::string(1024 * 1024, 'a');
    ApiCall c;
    auto e = parse_call(r, c);
    REQUIRE(e);
    CHECK(e->code == Err::RequestSizeLimitExceeded);
  }
  SUBCASE("TC3 POST over 10 MB") {
    auto r = post_json(std::string(10 * 1024 * 1024 + 1, ' '));
    ApiCall c;
    auto e = parse_call(r, c);
    REQUIRE(e);
    CHECK(e->code == Err::RequestSizeLimitExceeded);
  }
  for (const char* body : {"{", "not json", "[]", "null", "1", "{\"a\":1} trailing", "{\"a\":\"\xff\xfe\"}"}) {
    CAPTURE(body);
    auto r = post_json(body);
    ApiCall c;
    auto e = parse_call(r, c);
    REQUIRE(e);
    CHECK(e->code == Err::InvalidParameter);
    CHECK(c.params.IsObject());
  }
  SUBCASE("a bad percent-escape in a form") {
    HttpRequest r;
    r.method = "POST";
    r.target = "/";
    r.headers = {{"content-type", "application/x-www-form-urlencoded"}};
    r.body = "Action=X&JobId=%zz";
    ApiCall c;
    auto e = parse_call(r, c);
    REQUIRE(e);
    CHECK(e->code == Err::InvalidParameter);
  }
}

TEST_CASE("wire: 10,000 nested arrays parse without recursion and are refused as not an object") {
  std::string body(10000, '[');
  body += std::string(10000, ']');
  auto r = post_json(body);
  ApiCall c;
  auto e = parse_call(r, c);
  REQUIRE(e);
  CHECK(e->code == Err::InvalidParameter);
}

TEST_CASE("wire: an empty TC3 body is an empty parameter object") {
  auto r = post_json("");
  ApiCall c;
  CHECK_FALSE(parse_call(r, c));
  CHECK(c.params.IsObject());
  CHECK(c.params.MemberCount() == 0);
}

TEST_CASE("envelope: success and error shapes") {
  Json body(rapidjson::kObjectType);
  body.AddMember("TotalCount", 2, body.GetAllocator());
  CHECK(envelope_ok(body, "r-1") == R"({"Response":{"TotalCount":2,"RequestId":"r-1"}})");
  auto e = make_error(Err::ResourceNotFound_JobNotExist, Msg::JobNotFound, {"dts-x"});
  CHECK(envelope_error(e, Lang::En, "r-2") ==
        R"({"Response":{"Error":{"Code":"ResourceNotFound.JobNotExist","Message":"The job `dts-x` does not exist."},"RequestId":"r-2"}})");
  CHECK(envelope_error(e, Lang::Zh, "r-3").find("任务 `dts-x` 不存在") != std::string::npos);
}

TEST_CASE("errors: message arguments substitute in both languages, unknown codes are not catalogued") {
  auto e = make_error(Err::RequestLimitExceeded, Msg::RateLimited, {"21", "20"});
  CHECK(e.en == "Your current request times equals to `21` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.");
  CHECK(e.zh.find("`21`") != std::string::npos);
  CHECK(err_from_code("ResourceNotFound.JobNotExist") == Err::ResourceNotFound_JobNotExist);
  CHECK_FALSE(err_from_code("Made.Up"));
}

TEST_CASE("wire: UTF-8 is checked in forms and repaired in quoted messages") {
  CHECK(valid_utf8("plain"));
  CHECK(valid_utf8("任务 ✓ 😀"));
  CHECK_FALSE(valid_utf8("\xff"));
  CHECK_FALSE(valid_utf8("\xe4\xb8"));          // truncated
  CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  CHECK(sanitize_utf8("a\xffz") == "a\xEF\xBF\xBDz");

  KeyValues kv;
  CHECK_FALSE(decode_form("JobId=dts-%E4%B8", kv));
  kv.clear();
  CHECK(decode_form("Name=%E4%BB%BB%E5%8A%A1", kv));
  CHECK(kv[0].second == "任务");

  auto e = make_error(Err::InvalidAction, Msg::NoSuchAction, {"Resume\xe9\xffJob"});
  std::string body = envelope_error(e, Lang::En, "r");
  CHECK(valid_utf8(body));
  CHECK(body.find("Resume\xEF\xBF\xBD\xEF\xBF\xBDJob") != std::string::npos);
}
