// Signature verification: the known-answer vectors of protocol.md §3.2 and §4,
// the client quirks of §3.1, and the failure codes a client would see.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "server/auth.h"
#include "server/crypto.h"

using namespace dtsmock;

namespace {

const std::string kId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const std::string kKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
constexpr int64_t kTs = 1700000000;  // 2023-11-14 UTC
const std::string kBody = R"({"JobId":"dts-1kl0iy0v","ResumeOption":"normal"})";
const std::string kBodyHash = "f60ad8ac3d32c7d120a6aa5284b8dbf76b474e134890345fa2d0d0fe38f3a84a";
const std::string kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Credentials example_creds(std::string token = "") {
  Credentials c;
  c.add({kId, kKey, token, ""});
  return c;
}

std::string auth_header(std::string_view date, std::string_view service, std::string_view sig,
                        std::string_view signed_headers = "content-type;host") {
  return "TC3-HMAC-SHA256 Credential=" + kId + "/" + std::string(date) + "/" + std::string(service) +
         "/tc3_request, SignedHeaders=" + std::string(signed_headers) + ", Signature=" + std::string(sig);
}

// A TC3 POST as the SDKs send it (vector B's shape), with the given Host and Authorization.
HttpRequest tc3_post(std::string host, std::string authorization, int64_t ts = kTs, std::string body = kBody) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"host", std::move(host)},
               {"content-type", "application/json"},
               {"x-tc-action", "ResumeMigrateJob"},
               {"x-tc-version", "2021-12-06"},
               {"x-tc-timestamp", std::to_string(ts)},
               {"x-tc-region", "ap-guangzhou"}};
  if (!authorization.empty()) r.headers.emplace_back("authorization", std::move(authorization));
  r.body = std::move(body);
  return r;
}

ApiCall tc3_call(const HttpRequest& r, Style style = Style::Tc3Post) {
  ApiCall c;
  c.style = style;
  c.action = "ResumeMigrateJob";
  c.version = "2021-12-06";
  c.region = "ap-guangzhou";
  c.has_region = true;
  if (const std::string* ts = r.header("x-tc-timestamp")) c.timestamp = *ts;
  if (const std::string* tok = r.header("x-tc-token")) c.token = *tok;
  return c;
}

void set_header(HttpRequest& r, const std::string& name, std::string value) {
  for (auto& [k, v] : r.headers)
    if (k == name) {
      v = std::move(value);
      return;
    }
  r.headers.emplace_back(name, std::move(value));
}

// Signs r (content-type;host, as an SDK would) and stores the Authorization header.
void sign(HttpRequest& r, int64_t ts = kTs, std::string_view service = "dts", std::string_view key = kKey) {
  set_header(r, "authorization", tc3_authorization_for(r, kId, key, ts, service));
}

std::optional<Err> code(const std::optional<ApiError>& e) { return e ? std::optional<Err>(e->code) : std::nullopt; }

// v1 parameters of protocol.md §4's DTS vectors, deliberately not sorted.
KeyValues dts_v1_params(std::string_view method_name) {
  return {{"Version", "2021-12-06"},  {"Action", "ResumeMigrateJob"},       {"SecretId", kId},
          {"Timestamp", "1700000000"}, {"SignatureMethod", std::string(method_name)}, {"Nonce", "11886"},
          {"Region", "ap-guangzhou"}, {"JobId", "dts-1kl0iy0v"}};
}

HttpRequest v1_request(std::string method, std::string host) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = "/";
  r.headers = {{"host", std::move(host)}};
  if (r.method == "POST") r.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  return r;
}

ApiCall v1_call(Style style, KeyValues form) {
  ApiCall c;
  c.style = style;
  for (const auto& [k, v] : form) {
    if (k == "Action") c.action = v;
    if (k == "Version") c.version = v;
    if (k == "Timestamp") c.timestamp = v;
    if (k == "SecretId") c.secret_id = v;
    if (k == "Nonce") c.nonce = v;
    if (k == "Signature") c.signature = v;
    if (k == "SignatureMethod") c.signature_method = v;
    if (k == "Token") c.token = v;
  }
  c.form = std::move(form);
  return c;
}

// Signs a v1 form with our own signer (for scenarios beyond the fixed vectors).
ApiCall signed_v1(Style style, const HttpRequest& r, KeyValues form, std::string_view key = kKey) {
  std::string method_name;
  for (const auto& [k, v] : form)
    if (k == "SignatureMethod") method_name = v;
  form.emplace_back("Signature", v1_signature(key, v1_string_to_sign(r.method, *r.header("host"), form), method_name));
  return v1_call(style, std::move(form));
}

}  // namespace

TEST_CASE("crypto primitives match published test vectors") {
  CHECK(sha256_hex("") == kEmptyHash);
  CHECK(sha256_hex(kBody) == kBodyHash);
  // RFC 4231 test case 2 and RFC 2202 test case 2.
  CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hex(hmac_sha1("Jefe", "what do ya want for nothing?")) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(hmac_sha256("", "").size() == 32);
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(hex(std::string("\x00\xff\x10", 3)) == "00ff10");
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK_FALSE(constant_time_equal("", "a"));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("utc_date is the UTC calendar date, including day and leap boundaries") {
  CHECK(utc_date(0) == "1970-01-01");
  CHECK(utc_date(1551113065) == "2019-02-25");
  CHECK(utc_date(kTs) == "2023-11-14");
  CHECK(utc_date(1700006399) == "2023-11-14");
  CHECK(utc_date(1700006400) == "2023-11-15");
  CHECK(utc_date(951782400) == "2000-02-29");
  CHECK(utc_date(4107542400) == "2100-03-01");
}

TEST_CASE("TC3 vector A (official docs example) at the computation level") {
  const std::string body =
      R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
  CHECK(sha256_hex(body) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  std::string canonical = tc3_canonical_request(
      "POST", "", "content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n",
      "content-type;host", sha256_hex(body));
  CHECK(sha256_hex(canonical) == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  std::string sts = tc3_string_to_sign("1551113065", "2019-02-25", "cvm", canonical);
  CHECK(sts == "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
               "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  CHECK(tc3_signature(kKey, "2019-02-25", "cvm", sts) ==
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

TEST_CASE("TC3 vector A end to end through verify()") {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.body = R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
  r.headers = {{"host", "cvm.tencentcloudapi.com"},
               {"content-type", "application/json; charset=utf-8"},
               {"x-tc-action", "DescribeInstances"},
               {"x-tc-timestamp", "1551113065"},
               {"x-tc-version", "2017-03-12"},
               {"authorization", auth_header("2019-02-25", "cvm",
                                             "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")}};
  ApiCall c = tc3_call(r);
  std::string who;
  auto e = verify(r, c, example_creds(), 1551113065, &who);
  CHECK_MESSAGE(!e, (e ? e->en : ""));
  CHECK(who == kId);
}

TEST_CASE("TC3 vectors B-G at the computation level") {
  const std::string dts_headers = "content-type:application/json\nhost:dts.tencentcloudapi.com\n";
  std::string canonical_b = tc3_canonical_request("POST", "", dts_headers, "content-type;host", kBodyHash);
  CHECK(canonical_b ==
        "POST\n/\n\ncontent-type:application/json\nhost:dts.tencentcloudapi.com\n\ncontent-type;host\n" + kBodyHash);
  CHECK(sha256_hex(canonical_b) == "a5ea1a85e9275eef4e59361447a6f2a8cfb8beab8e5dc62e1c04c0fb6f4c37d9");

  auto sig = [](std::string_view service, std::string_view canonical) {
    return tc3_signature(kKey, "2023-11-14", service, tc3_string_to_sign("1700000000", "2023-11-14", service, canonical));
  };
  SUBCASE("B") { CHECK(sig("dts", canonical_b) == "2d1a14a64cb70cc24d9a7224f47cffeeb14f3fe62ca30343e1ace99ba9824639"); }
  SUBCASE("C: host 127.0.0.1:8080") {
    auto c = tc3_canonical_request("POST", "", "content-type:application/json\nhost:127.0.0.1:8080\n",
                                   "content-type;host", kBodyHash);
    CHECK(sig("dts", c) == "a8bc9b3acb87db4777ca2fbbacfaa9e882a23263e34b14e3d0158ef87b748ab1");
  }
  SUBCASE("D: host 127.0.0.1, service 127 (Node)") {
    auto c = tc3_canonical_request("POST", "", "content-type:application/json\nhost:127.0.0.1\n",
                                   "content-type;host", kBodyHash);
    CHECK(sig("127", c) == "10b8c9780175efb0a6e6d42d70abac9e10738654fd1c14053527afeb731c0114");
  }
  SUBCASE("E: GET with the raw query") {
    auto c = tc3_canonical_request("GET", "JobId=dts-1kl0iy0v&ResumeOption=normal",
                                   "content-type:application/x-www-form-urlencoded\nhost:dts.tencentcloudapi.com\n",
                                   "content-type;host", kEmptyHash);
    CHECK(sig("dts", c) == "b51314dce94767eef5d6eb3a509b7a87c0fc3076c3f47d49648b4b522d055315");
  }
  SUBCASE("F: UNSIGNED-PAYLOAD") {
    CHECK(sha256_hex("UNSIGNED-PAYLOAD") == "438d4109ef0d676b8c2c7ed13cdfcb418e494d53b843d4634ce3b1085f07bb96");
    auto c = tc3_canonical_request("POST", "", dts_headers, "content-type;host", sha256_hex("UNSIGNED-PAYLOAD"));
    CHECK(sig("dts", c) == "62bb9dddda75d5c6cd4ffe6809301b3ac2c71cafe7d50b7fec1103364578df96");
  }
  SUBCASE("G: x-tc-action signed, lower-cased") {
    auto c = tc3_canonical_request("POST", "", dts_headers + "x-tc-action:resumemigratejob\n",
                                   "content-type;host;x-tc-action", kBodyHash);
    CHECK(sig("dts", c) == "b834e767ade1f147d760a83beeb1363b2926f0b9e3a7e44387a458c6b6418501");
  }
}

TEST_CASE("TC3 vectors B-G end to end through verify()") {
  const Credentials creds = example_creds();
  std::string who;
  SUBCASE("B: SDK to dts.tencentcloudapi.com") {
    auto r = tc3_post("dts.tencentcloudapi.com",
                      auth_header("2023-11-14", "dts", "2d1a14a64cb70cc24d9a7224f47cffeeb14f3fe62ca30343e1ace99ba9824639"));
    auto e = verify(r, tc3_call(r), creds, kTs, &who);
    CHECK_MESSAGE(!e, (e ? e->en : ""));
    CHECK(who == kId);
  }
  SUBCASE("C: Go/Python to 127.0.0.1:8080") {
    auto r = tc3_post("127.0.0.1:8080",
                      auth_header("2023-11-14", "dts", "a8bc9b3acb87db4777ca2fbbacfaa9e882a23263e34b14e3d0158ef87b748ab1"));
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == std::nullopt);
  }
  SUBCASE("D: Node signs host 127.0.0.1 and service 127 while sending Host 127.0.0.1:8080") {
    auto r = tc3_post("127.0.0.1:8080",
                      auth_header("2023-11-14", "127", "10b8c9780175efb0a6e6d42d70abac9e10738654fd1c14053527afeb731c0114"));
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == std::nullopt);
  }
  SUBCASE("E: GET with a query string") {
    HttpRequest r;
    r.method = "GET";
    r.target = "/?JobId=dts-1kl0iy0v&ResumeOption=normal";
    r.headers = {{"host", "dts.tencentcloudapi.com"},
                 {"content-type", "application/x-www-form-urlencoded"},
                 {"x-tc-timestamp", "1700000000"},
                 {"authorization",
                  auth_header("2023-11-14", "dts", "b51314dce94767eef5d6eb3a509b7a87c0fc3076c3f47d49648b4b522d055315")}};
    CHECK(code(verify(r, tc3_call(r, Style::Tc3Get), creds, kTs, &who)) == std::nullopt);
    // The query is signed: changing it breaks the signature.
    r.target = "/?JobId=dts-other&ResumeOption=normal";
    CHECK(code(verify(r, tc3_call(r, Style::Tc3Get), creds, kTs, &who)) == Err::AuthFailure_SignatureFailure);
  }
  SUBCASE("F: UNSIGNED-PAYLOAD accepts any body") {
    auto r = tc3_post("dts.tencentcloudapi.com",
                      auth_header("2023-11-14", "dts", "62bb9dddda75d5c6cd4ffe6809301b3ac2c71cafe7d50b7fec1103364578df96"));
    r.headers.emplace_back("x-tc-content-sha256", "UNSIGNED-PAYLOAD");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == std::nullopt);
    r.body = R"({"JobId":"dts-different"})";
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == std::nullopt);
    // Without the header the same signature no longer matches.
    r.headers.pop_back();
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == Err::AuthFailure_SignatureFailure);
  }
  SUBCASE("G: x-tc-action signed with a lower-cased value while the header is ResumeMigrateJob") {
    auto r = tc3_post("dts.tencentcloudapi.com",
                      auth_header("2023-11-14", "dts", "b834e767ade1f147d760a83beeb1363b2926f0b9e3a7e44387a458c6b6418501",
                                  "content-type;host;x-tc-action"));
    REQUIRE(*r.header("x-tc-action") == "ResumeMigrateJob");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == std::nullopt);
  }
}

TEST_CASE("TC3 client quirks of protocol.md 3.1") {
  const Credentials creds = example_creds();
  SUBCASE("tccli sends and signs Host: http://127.0.0.1:8080") {
    auto r = tc3_post("http://127.0.0.1:8080", "");
    sign(r);
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == std::nullopt);
  }
  SUBCASE("a signer that dropped the port of tccli's host still passes") {
    auto r = tc3_post("http://127.0.0.1", "");
    sign(r);
    set_header(r, "host", "http://127.0.0.1:8080");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == std::nullopt);
  }
  SUBCASE("Node to localhost:8080 signs host localhost and service localhost:8080") {
    auto r = tc3_post("localhost", "");
    sign(r, kTs, "localhost:8080");
    set_header(r, "host", "localhost:8080");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == std::nullopt);
  }
  SUBCASE("a signed host that matches neither variant fails") {
    auto r = tc3_post("dts.tencentcloudapi.com", "");
    sign(r);
    set_header(r, "host", "127.0.0.1:8080");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == Err::AuthFailure_SignatureFailure);
  }
}

TEST_CASE("TC3 failures a client would see") {
  const Credentials creds = example_creds();
  std::string who = "untouched";

  SUBCASE("wrong secret key gives SignatureFailure with the real service's text") {
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r, kTs, "dts", "not-the-key");
    auto e = verify(r, tc3_call(r), creds, kTs, &who);
    REQUIRE(e);
    CHECK(e->code == Err::AuthFailure_SignatureFailure);
    CHECK(e->en == "The provided credentials could not be validated. Please check your signature is correct.");
    CHECK(e->zh.find("签名") != std::string::npos);
    CHECK(who == "untouched");
  }
  SUBCASE("a changed body gives SignatureFailure") {
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r);
    r.body = R"({"JobId":"dts-1kl0iy0v","ResumeOption":"clearData"})";
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == Err::AuthFailure_SignatureFailure);
  }
  SUBCASE("a re-serialised body (Python spacing) does not verify against compact JSON") {
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r);
    r.body = R"({"JobId": "dts-1kl0iy0v", "ResumeOption": "normal"})";
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == Err::AuthFailure_SignatureFailure);
  }
  SUBCASE("unknown SecretId gives SecretIdNotFound naming the id") {
    Credentials other;
    other.add({"AKIDsomeoneelse", "key", "", ""});
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r);
    auto e = verify(r, tc3_call(r), other, kTs, &who);
    REQUIRE(e);
    CHECK(e->code == Err::AuthFailure_SecretIdNotFound);
    CHECK(e->en.find(kId) != std::string::npos);
    CHECK(e->en.find("please ensure that your SecretId is correct") != std::string::npos);
  }
  SUBCASE("timestamp skew: 301 s either way expires, 299 and 300 s pass") {
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r);
    auto e = verify(r, tc3_call(r), creds, kTs + 301, &who);
    REQUIRE(e);
    CHECK(e->code == Err::AuthFailure_SignatureExpire);
    CHECK(e->en.find("301") != std::string::npos);
    CHECK(code(verify(r, tc3_call(r), creds, kTs - 301, &who)) == Err::AuthFailure_SignatureExpire);
    CHECK(code(verify(r, tc3_call(r), creds, kTs + 299, &who)) == std::nullopt);
    CHECK(code(verify(r, tc3_call(r), creds, kTs - 299, &who)) == std::nullopt);
    CHECK(code(verify(r, tc3_call(r), creds, kTs + 300, &who)) == std::nullopt);
  }
  SUBCASE("skew is checked before the SecretId lookup") {
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r);
    CHECK(code(verify(r, tc3_call(r), Credentials{}, kTs + 1000, &who)) == Err::AuthFailure_SignatureExpire);
  }
  SUBCASE("scope date must be the UTC date of X-TC-Timestamp") {
    // Signed consistently with the 15th, but the timestamp is on the 14th (UTC).
    auto r = tc3_post("127.0.0.1:8080", "");
    std::string sts_canonical = tc3_canonical_request(
        "POST", "", "content-type:application/json\nhost:127.0.0.1:8080\n", "content-type;host", kBodyHash);
    std::string sig = tc3_signature(kKey, "2023-11-15", "dts",
                                    tc3_string_to_sign("1700000000", "2023-11-15", "dts", sts_canonical));
    set_header(r, "authorization", auth_header("2023-11-15", "dts", sig));
    auto e = verify(r, tc3_call(r), creds, kTs, &who);
    REQUIRE(e);
    CHECK(e->code == Err::AuthFailure_SignatureFailure);
    CHECK(e->en.find("2023-11-15") != std::string::npos);
    CHECK(e->en.find("2023-11-14") != std::string::npos);
  }
  SUBCASE("missing or non-numeric X-TC-Timestamp") {
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r);
    set_header(r, "x-tc-timestamp", "17e8");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == Err::InvalidParameter);
    set_header(r, "x-tc-timestamp", "-1700000000");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == Err::InvalidParameter);
    std::erase_if(r.headers, [](const auto& kv) { return kv.first == "x-tc-timestamp"; });
    auto e = verify(r, tc3_call(r), creds, kTs, &who);
    REQUIRE(e);
    CHECK(e->code == Err::MissingParameter);
    CHECK(e->en.find("X-TC-Timestamp") != std::string::npos);
  }
  SUBCASE("missing Authorization header") {
    auto r = tc3_post("127.0.0.1:8080", "");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, &who)) == Err::AuthFailure_InvalidAuthorization);
  }
  SUBCASE("junk Authorization headers give InvalidAuthorization") {
    const std::string good_sig = "a8bc9b3acb87db4777ca2fbbacfaa9e882a23263e34b14e3d0158ef87b748ab1";
    const std::string junk[] = {
        "",
        "TC3-HMAC-SHA256",
        "TC3-HMAC-SHA256 ",
        "SKIP",
        "TC3-HMAC-SHA1 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host",
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host, Signature=",
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host, Signature=" + good_sig.substr(1),
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host, Signature=" + std::string(64, 'g'),
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host, Signature=A8BC9B3ACB87DB4777CA2FBBACFAA9E882A23263E34B14E3D0158EF87B748AB1",
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc4_request, SignedHeaders=content-type;host, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts, SignedHeaders=content-type;host, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=" + kId + "/20231114/dts/tc3_request, SignedHeaders=content-type;host, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14//tc3_request, SignedHeaders=content-type;host, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;;host, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host, Signature=" + good_sig + ", Extra=1",
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request, Credential=" + kId + "/2023-11-14/dts/tc3_request, SignedHeaders=content-type;host, Signature=" + good_sig,
        "TC3-HMAC-SHA256 Credential=" + kId + "/2023-11-14/dts/tc3_request SignedHeaders=content-type;host Signature=" + good_sig,
        std::string(100 * 1024, 'A'),
        "TC3-HMAC-SHA256 " + std::string(100 * 1024, 'A'),
    };
    for (const std::string& a : junk) {
      CAPTURE(a.substr(0, 200));
      CHECK_FALSE(parse_tc3_authorization(a).has_value());
      auto r = tc3_post("127.0.0.1:8080", a);
      set_header(r, "authorization", a);
      auto e = verify(r, tc3_call(r), creds, kTs, &who);
      REQUIRE(e);
      CHECK(e->code == Err::AuthFailure_InvalidAuthorization);
      CHECK(e->en.size() < 300);  // a 100 KB header is not echoed back
    }
    CHECK(who == "untouched");
  }
}

TEST_CASE("parse_tc3_authorization extracts the fields and tolerates spacing and order") {
  const std::string sig = "a8bc9b3acb87db4777ca2fbbacfaa9e882a23263e34b14e3d0158ef87b748ab1";
  auto a = parse_tc3_authorization(auth_header("2023-11-14", "dts", sig));
  REQUIRE(a);
  CHECK(a->algorithm == "TC3-HMAC-SHA256");
  CHECK(a->secret_id == kId);
  CHECK(a->date == "2023-11-14");
  CHECK(a->service == "dts");
  CHECK(a->signed_headers == "content-type;host");
  CHECK(a->signature == sig);

  auto b = parse_tc3_authorization("  TC3-HMAC-SHA256   Credential=" + kId +
                                   "/2023-11-14/localhost:8080/tc3_request ,SignedHeaders=content-type;host,\tSignature=" +
                                   sig + "  ");
  REQUIRE(b);
  CHECK(b->service == "localhost:8080");

  auto c = parse_tc3_authorization("TC3-HMAC-SHA256 Signature=" + sig + ", SignedHeaders=content-type;host;x-tc-action, Credential=" + kId + "/2023-11-14/dts/tc3_request");
  REQUIRE(c);
  CHECK(c->signed_headers == "content-type;host;x-tc-action");
  CHECK(c->secret_id == kId);
}

TEST_CASE("session token rules") {
  SUBCASE("TC3, credential with a token: exact token required") {
    const Credentials creds = example_creds("tok-123");
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r);
    auto e = verify(r, tc3_call(r), creds, kTs, nullptr);
    REQUIRE(e);
    CHECK(e->code == Err::AuthFailure_TokenFailure);
    r.headers.emplace_back("x-tc-token", "tok-999");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == Err::AuthFailure_TokenFailure);
    set_header(r, "x-tc-token", "tok-123");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == std::nullopt);
  }
  SUBCASE("TC3, credential without a token: a sent token is refused, an empty one is not a token") {
    const Credentials creds = example_creds();
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r);
    r.headers.emplace_back("x-tc-token", "tok-123");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == Err::AuthFailure_TokenFailure);
    set_header(r, "x-tc-token", "");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == std::nullopt);
  }
  SUBCASE("the signature is checked before the token") {
    const Credentials creds = example_creds("tok-123");
    auto r = tc3_post("127.0.0.1:8080", "");
    sign(r, kTs, "dts", "wrong-key");
    CHECK(code(verify(r, tc3_call(r), creds, kTs, nullptr)) == Err::AuthFailure_SignatureFailure);
  }
  SUBCASE("v1: the Token parameter is signed and must match") {
    const Credentials creds = example_creds("tok-123");
    auto r = v1_request("POST", "127.0.0.1:8080");
    KeyValues with_token = dts_v1_params("HmacSHA256");
    with_token.emplace_back("Token", "tok-123");
    CHECK(code(verify(r, signed_v1(Style::V1Post, r, with_token), creds, kTs, nullptr)) == std::nullopt);
    KeyValues wrong = dts_v1_params("HmacSHA256");
    wrong.emplace_back("Token", "tok-000");
    CHECK(code(verify(r, signed_v1(Style::V1Post, r, wrong), creds, kTs, nullptr)) == Err::AuthFailure_TokenFailure);
    CHECK(code(verify(r, signed_v1(Style::V1Post, r, dts_v1_params("HmacSHA256")), creds, kTs, nullptr)) ==
          Err::AuthFailure_TokenFailure);
    CHECK(code(verify(r, signed_v1(Style::V1Post, r, with_token), example_creds(), kTs, nullptr)) ==
          Err::AuthFailure_TokenFailure);
  }
}

TEST_CASE("v1 vectors of protocol.md §4 at the computation level") {
  SUBCASE("official docs example, HmacSHA1 over GET") {
    KeyValues p = {{"Timestamp", "1465185768"}, {"Action", "DescribeInstances"}, {"SecretId", kId},
                   {"InstanceIds.0", "ins-09dx96dg"}, {"Limit", "20"}, {"Nonce", "11886"}, {"Offset", "0"},
                   {"Region", "ap-guangzhou"}, {"Version", "2017-03-12"}, {"Signature", "ignored"}};
    std::string sts = v1_string_to_sign("GET", "cvm.tencentcloudapi.com", p);
    CHECK(sts ==
          "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&"
          "Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&"
          "Version=2017-03-12");
    CHECK(v1_signature(kKey, sts, "") == "EliP9YW3pW28FpsEdkXt/+WcGeI=");
    CHECK(v1_signature(kKey, sts, "HmacSHA1") == "EliP9YW3pW28FpsEdkXt/+WcGeI=");
  }
  SUBCASE("DTS, HmacSHA256 over POST") {
    std::string sts = v1_string_to_sign("POST", "dts.tencentcloudapi.com", dts_v1_params("HmacSHA256"));
    CHECK(sts ==
          "POSTdts.tencentcloudapi.com/?Action=ResumeMigrateJob&JobId=dts-1kl0iy0v&Nonce=11886&Region=ap-guangzhou&"
          "SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&SignatureMethod=HmacSHA256&Timestamp=1700000000&"
          "Version=2021-12-06");
    CHECK(v1_signature(kKey, sts, "HmacSHA256") == "+1MFqZgDgKpDaIEBn1/hUdP3eANUWmrXqFLkc/lablk=");
  }
  SUBCASE("DTS, HmacSHA1 over GET") {
    std::string sts = v1_string_to_sign("GET", "dts.tencentcloudapi.com", dts_v1_params("HmacSHA1"));
    CHECK(v1_signature(kKey, sts, "HmacSHA1") == "Gc4iX/JQ4i83Jc75lBBBYgtydl4=");
  }
}

TEST_CASE("v1 vectors end to end through verify()") {
  std::string who;
  SUBCASE("official docs example") {
    auto r = v1_request("GET", "cvm.tencentcloudapi.com");
    KeyValues p = {{"Action", "DescribeInstances"}, {"InstanceIds.0", "ins-09dx96dg"}, {"Limit", "20"},
                   {"Nonce", "11886"}, {"Offset", "0"}, {"Region", "ap-guangzhou"}, {"SecretId", kId},
                   {"Signature", "EliP9YW3pW28FpsEdkXt/+WcGeI="}, {"Timestamp", "1465185768"},
                   {"Version", "2017-03-12"}};
    auto e = verify(r, v1_call(Style::V1Get, p), example_creds(), 1465185768, &who);
    CHECK_MESSAGE(!e, (e ? e->en : ""));
    CHECK(who == kId);
  }
  SUBCASE("DTS HmacSHA256 POST") {
    auto r = v1_request("POST", "dts.tencentcloudapi.com");
    KeyValues p = dts_v1_params("HmacSHA256");
    p.emplace_back("Signature", "+1MFqZgDgKpDaIEBn1/hUdP3eANUWmrXqFLkc/lablk=");
    CHECK(code(verify(r, v1_call(Style::V1Post, p), example_creds(), kTs, &who)) == std::nullopt);
  }
  SUBCASE("DTS HmacSHA1 GET") {
    auto r = v1_request("GET", "dts.tencentcloudapi.com");
    KeyValues p = dts_v1_params("HmacSHA1");
    p.emplace_back("Signature", "Gc4iX/JQ4i83Jc75lBBBYgtydl4=");
    CHECK(code(verify(r, v1_call(Style::V1Get, p), example_creds(), kTs, &who)) == std::nullopt);
    // The method is part of the string: the same signature over POST fails.
    auto post = v1_request("POST", "dts.tencentcloudapi.com");
    CHECK(code(verify(post, v1_call(Style::V1Post, p), example_creds(), kTs, &who)) ==
          Err::AuthFailure_SignatureFailure);
  }
  SUBCASE("a '+' that the client forgot to percent-encode arrives as a space and still verifies") {
    auto r = v1_request("POST", "dts.tencentcloudapi.com");
    KeyValues p = dts_v1_params("HmacSHA256");
    p.emplace_back("Signature", " 1MFqZgDgKpDaIEBn1/hUdP3eANUWmrXqFLkc/lablk=");
    CHECK(code(verify(r, v1_call(Style::V1Post, p), example_creds(), kTs, &who)) == std::nullopt);
  }
}

TEST_CASE("v1 hosts, empty values and failures") {
  const Credentials creds = example_creds();
  SUBCASE("SDKs sign the host with its port, as received") {
    auto r = v1_request("POST", "127.0.0.1:8080");
    CHECK(code(verify(r, signed_v1(Style::V1Post, r, dts_v1_params("HmacSHA256")), creds, kTs, nullptr)) ==
          std::nullopt);
  }
  SUBCASE("host signed without the port or without http:// also passes") {
    auto signer = v1_request("GET", "127.0.0.1");
    ApiCall c = signed_v1(Style::V1Get, signer, dts_v1_params("HmacSHA1"));
    CHECK(code(verify(v1_request("GET", "127.0.0.1:8080"), c, creds, kTs, nullptr)) == std::nullopt);
    CHECK(code(verify(v1_request("GET", "http://127.0.0.1:8080"), c, creds, kTs, nullptr)) == std::nullopt);
    auto signer2 = v1_request("GET", "127.0.0.1:8080");
    ApiCall c2 = signed_v1(Style::V1Get, signer2, dts_v1_params("HmacSHA1"));
    CHECK(code(verify(v1_request("GET", "http://127.0.0.1:8080"), c2, creds, kTs, nullptr)) == std::nullopt);
    CHECK(code(verify(v1_request("GET", "10.0.0.1:8080"), c2, creds, kTs, nullptr)) ==
          Err::AuthFailure_SignatureFailure);
  }
  SUBCASE("Go's empty Language= and Region= are signed too") {
    auto r = v1_request("POST", "127.0.0.1:8080");
    KeyValues p = dts_v1_params("HmacSHA256");
    p.emplace_back("Language", "");
    ApiCall c = signed_v1(Style::V1Post, r, p);
    CHECK(code(verify(r, c, creds, kTs, nullptr)) == std::nullopt);
    // Dropping the empty parameter changes the string to sign.
    std::erase_if(c.form, [](const auto& kv) { return kv.first == "Language"; });
    CHECK(code(verify(r, c, creds, kTs, nullptr)) == Err::AuthFailure_SignatureFailure);
  }
  SUBCASE("a changed parameter, a wrong key, an unknown id") {
    auto r = v1_request("POST", "127.0.0.1:8080");
    ApiCall c = signed_v1(Style::V1Post, r, dts_v1_params("HmacSHA256"));
    for (auto& [k, v] : c.form)
      if (k == "JobId") v = "dts-other";
    CHECK(code(verify(r, c, creds, kTs, nullptr)) == Err::AuthFailure_SignatureFailure);
    CHECK(code(verify(r, signed_v1(Style::V1Post, r, dts_v1_params("HmacSHA256"), "bad-key"), creds, kTs, nullptr)) ==
          Err::AuthFailure_SignatureFailure);
    Credentials other;
    other.add({"AKIDother", kKey, "", ""});
    auto e = verify(r, signed_v1(Style::V1Post, r, dts_v1_params("HmacSHA256")), other, kTs, nullptr);
    REQUIRE(e);
    CHECK(e->code == Err::AuthFailure_SecretIdNotFound);
    CHECK(e->en.find(kId) != std::string::npos);
  }
  SUBCASE("skew: 301 s expires, 299 s passes") {
    auto r = v1_request("POST", "127.0.0.1:8080");
    ApiCall c = signed_v1(Style::V1Post, r, dts_v1_params("HmacSHA256"));
    CHECK(code(verify(r, c, creds, kTs + 301, nullptr)) == Err::AuthFailure_SignatureExpire);
    CHECK(code(verify(r, c, creds, kTs - 301, nullptr)) == Err::AuthFailure_SignatureExpire);
    CHECK(code(verify(r, c, creds, kTs + 299, nullptr)) == std::nullopt);
  }
  SUBCASE("missing credential material vs missing common parameters") {
    auto r = v1_request("POST", "127.0.0.1:8080");
    auto without = [&](std::string_view key) {
      ApiCall c = signed_v1(Style::V1Post, r, dts_v1_params("HmacSHA256"));
      std::erase_if(c.form, [&](const auto& kv) { return kv.first == key; });
      if (key == "Signature") c.signature.clear();
      if (key == "SecretId") c.secret_id.clear();
      if (key == "Timestamp") c.timestamp.clear();
      if (key == "Nonce") c.nonce.clear();
      return verify(r, c, creds, kTs, nullptr);
    };
    CHECK(code(without("Signature")) == Err::AuthFailure_InvalidAuthorization);
    CHECK(code(without("SecretId")) == Err::AuthFailure_InvalidAuthorization);
    auto e = without("Timestamp");
    REQUIRE(e);
    CHECK(e->code == Err::MissingParameter);
    CHECK(e->en.find("`Timestamp`") != std::string::npos);
    CHECK(code(without("Nonce")) == Err::MissingParameter);
  }
}

TEST_CASE("tenant_of") {
  Credentials c;
  c.add({"AKIDa", "ka", "", "team-a"});
  c.add({"AKIDb", "kb", "", ""});
  CHECK(tenant_of(c, "AKIDa") == "team-a");
  CHECK(tenant_of(c, "AKIDb") == "AKIDb");
  CHECK(tenant_of(c, "AKIDunknown") == "AKIDunknown");
  CHECK(tenant_of(c, "") == "default");
}

TEST_CASE("Credentials::add and find") {
  Credentials c;
  CHECK(c.size() == 0);
  CHECK(c.find("x") == nullptr);
  c.add({"x", "k1", "", ""});
  c.add({"x", "k2", "", ""});
  CHECK(c.size() == 1);
  REQUIRE(c.find("x"));
  CHECK(c.find("x")->secret_key == "k2");
}

namespace {
std::string write_temp(std::string_view name, std::string_view content) {
  auto path = std::filesystem::temp_directory_path() / ("dtsmock_test_auth_" + std::to_string(::getpid()) + "_" + std::string(name));
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}
}  // namespace

TEST_CASE("Credentials::load_file") {
  SUBCASE("happy path") {
    std::string path = write_temp("ok.json", R"([
      {"SecretId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "SecretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"},
      {"SecretId": "AKIDtemp", "SecretKey": "k2", "Token": "tok", "Tenant": "team-b"}
    ])");
    Credentials c = Credentials::load_file(path);
    std::filesystem::remove(path);
    CHECK(c.size() == 2);
    REQUIRE(c.find(kId));
    CHECK(c.find(kId)->secret_key == kKey);
    CHECK(c.find(kId)->token.empty());
    REQUIRE(c.find("AKIDtemp"));
    CHECK(c.find("AKIDtemp")->token == "tok");
    CHECK(tenant_of(c, "AKIDtemp") == "team-b");
    // A loaded credential verifies vector B.
    auto r = tc3_post("dts.tencentcloudapi.com",
                      auth_header("2023-11-14", "dts", "2d1a14a64cb70cc24d9a7224f47cffeeb14f3fe62ca30343e1ace99ba9824639"));
    CHECK(code(verify(r, tc3_call(r), c, kTs, nullptr)) == std::nullopt);
  }
  SUBCASE("an empty list is valid") {
    std::string path = write_temp("empty.json", "[]");
    CHECK(Credentials::load_file(path).size() == 0);
    std::filesystem::remove(path);
  }
  SUBCASE("bad files throw with a message naming the file and the problem") {
    struct Bad { const char* name; const char* content; const char* expect; };
    const Bad bad[] = {
        {"notjson.json", "[{\"SecretId\": \"a\",", "not valid JSON"},
        {"object.json", R"({"SecretId": "a", "SecretKey": "b"})", "JSON array"},
        {"nokey.json", R"([{"SecretId": "a"}])", "SecretKey"},
        {"noid.json", R"([{"SecretKey": "b"}])", "SecretId"},
        {"number.json", R"([{"SecretId": "a", "SecretKey": 5}])", "must be a string"},
        {"typo.json", R"([{"SecretId": "a", "Secretkey": "b"}])", "unknown field \"Secretkey\""},
        {"dup.json", R"([{"SecretId": "a", "SecretKey": "b"}, {"SecretId": "a", "SecretKey": "c"}])", "repeats"},
        {"slash.json", R"([{"SecretId": "a/b", "SecretKey": "c"}])", "contains"},
        {"scalar.json", R"([1])", "not an object"},
    };
    for (const Bad& b : bad) {
      CAPTURE(b.name);
      std::string path = write_temp(b.name, b.content);
      std::string message;
      try {
        Credentials::load_file(path);
      } catch (const std::runtime_error& e) {
        message = e.what();
      }
      std::filesystem::remove(path);
      CHECK(message.find(path) != std::string::npos);
      CHECK(message.find(b.expect) != std::string::npos);
    }
  }
  SUBCASE("a missing file throws") {
    CHECK_THROWS_AS(Credentials::load_file("/nonexistent/dtsmock/creds.json"), std::runtime_error);
  }
}
