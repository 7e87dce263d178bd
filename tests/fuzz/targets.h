// The fuzz entry points, shared by the libFuzzer binaries (tests/fuzz/fuzz_*.cpp)
// and by the regression replay in the unit tests (tests/unit/test_fuzz_regressions.cpp),
// so a crashing input found once is replayed through exactly the same code forever.
//
// Each function takes arbitrary bytes and must return normally: a crash, a
// sanitizer report, an uncaught exception or a failed FUZZ_CHECK is a finding.
//
// Input formats (the seed corpora under tests/fuzz/corpus/ are written by
// tests/fuzz/gen_corpus.cpp in these formats):
//
//  http      "METHOD TARGET\n" then "name: value\n" header lines, an empty line,
//            then the body. Placeholders make signed requests reachable with
//            auth on: "$TS" anywhere becomes the current Unix time; a header
//            "x-fuzz-sign: tc3" replaces Authorization with a valid TC3
//            signature; "$SIG" in the query or form becomes a valid v1
//            signature. Inputs with such a placeholder run with --auth verify
//            (credential AKIDfuzz/fuzzkey), the others with --auth off; each
//            goes through App::handle twice against a fresh in-memory store.
//  flat      "ActionName\n" then an x-www-form-urlencoded string: decode_form,
//            decode_flat, validate; a decoded and valid call must re-encode
//            (encode_flat) and decode again to the same JSON.
//  auth      "header\n" then "METHOD TARGET\n" then a body: parse_tc3_authorization
//            of the first line, then verify() of the request built from it
//            (TC3 or v1, whichever parse_call recognises).
//  validate  "ActionName\n" then JSON: validate against the model.
//  dispatch  lines "ActionName JSON" run in order against a fresh in-memory
//            store, each validated then dispatched in its own transaction,
//            as the server does; "$JOB" in the JSON becomes the last job id a
//            call created, "+N" on its own line advances the clock N seconds.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "server/api_model.h"
#include "server/app.h"
#include "server/auth.h"
#include "server/config.h"
#include "server/flat.h"
#include "server/validate.h"
#include "server/wire.h"
#include "state/clock.h"
#include "state/ids.h"
#include "state/routes.h"
#include "state/store.h"

namespace dtsmock::fuzz {

// A property violation. Under libFuzzer: print and abort, so the input is
// recorded. The unit tests' replay sets on_failure to throw instead.
inline void (*on_failure)(const std::string& message) = nullptr;

inline void check_failed(const char* cond, const char* file, int line, const std::string& what) {
  std::string msg = std::string("FUZZ_CHECK failed: ") + cond + " (" + file + ":" + std::to_string(line) + "): " + what;
  if (on_failure) on_failure(msg);
  std::fprintf(stderr, "%s\n", msg.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, what) \
  do {                         \
    if (!(cond)) ::dtsmock::fuzz::check_failed(#cond, __FILE__, __LINE__, std::string(what)); \
  } while (0)

inline constexpr std::string_view kFuzzSecretId = "AKIDfuzz";
inline constexpr std::string_view kFuzzSecretKey = "fuzzkey";
inline constexpr Millis kFuzzEpoch = 1767225600000;  // 2026-01-01T00:00:00Z, simulated

inline std::string_view take_line(std::string_view& in) {
  auto nl = in.find('\n');
  std::string_view line = in.substr(0, nl);
  in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

inline void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

inline std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// "METHOD TARGET\nheaders\n\nbody" -> HttpRequest (lenient: anything parses).
inline HttpRequest parse_http_input(std::string_view in) {
  HttpRequest req;
  std::string_view first = take_line(in);
  auto sp = first.find(' ');
  req.method = std::string(first.substr(0, sp));
  if (sp != std::string_view::npos) req.target = std::string(first.substr(sp + 1));
  while (!in.empty()) {
    std::string_view line = take_line(in);
    if (line.empty()) break;
    auto colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    req.headers.emplace_back(std::move(name), std::string(value));
  }
  req.body = std::string(in);
  req.peer = "127.0.0.1:1";
  return req;
}

inline std::string* find_header(HttpRequest& req, std::string_view name) {
  for (auto& [k, v] : req.headers)
    if (k == name) return &v;
  return nullptr;
}

// Fills in the placeholders that let the fuzzer reach past authentication.
inline void apply_signing(HttpRequest& req) {
  const int64_t now = system_now_ms() / 1000;
  const std::string ts = std::to_string(now);
  replace_all(req.target, "$TS", ts);
  replace_all(req.body, "$TS", ts);
  for (auto& [k, v] : req.headers) replace_all(v, "$TS", ts);

  const bool v1_in_query = req.target.find("$SIG") != std::string::npos;
  const bool v1_in_body = req.body.find("$SIG") != std::string::npos;
  if (v1_in_query || v1_in_body) {
    std::string_view form = v1_in_query ? req.query() : std::string_view(req.body);
    KeyValues kv, unsigned_kv;
    if (decode_form(form, kv)) {
      std::string method = "POST";
      for (const auto& [k, v] : kv)
        if (k != "Signature") unsigned_kv.emplace_back(k, v);
      std::string sig_method;
      for (const auto& [k, v] : kv)
        if (k == "SignatureMethod") sig_method = v;
      const std::string* host = req.header("host");
      std::string sts = v1_string_to_sign(req.method, host ? *host : "", unsigned_kv);
      std::string sig = url_encode(v1_signature(kFuzzSecretKey, sts, sig_method));
      replace_all(v1_in_query ? req.target : req.body, "$SIG", sig);
    }
  }
  if (const std::string* sign = req.header("x-fuzz-sign"); sign && *sign == "tc3") {
    int64_t ts_used = now;
    if (const std::string* t = req.header("x-tc-timestamp")) {
      char* end = nullptr;
      long long v = std::strtoll(t->c_str(), &end, 10);
      if (end && *end == '\0' && !t->empty()) ts_used = v;
    }
    std::string auth = tc3_authorization_for(req, kFuzzSecretId, kFuzzSecretKey, ts_used);
    if (std::string* a = find_header(req, "authorization")) *a = auth;
    else req.headers.emplace_back("authorization", auth);
  }
}

// Checks every answer of App::handle must satisfy, whatever came in.
inline void check_response(const HttpResponse& r, std::string_view what) {
  FUZZ_CHECK(r.status >= 100 && r.status <= 599, what);
  if (r.transport != Transport::Normal || r.status != 200) return;
  Json doc;
  doc.Parse(r.body.data(), r.body.size());
  FUZZ_CHECK(!doc.HasParseError() && doc.IsObject(), std::string(what) + ": answer is not a JSON object: " + r.body.substr(0, 300));
  FUZZ_CHECK(valid_utf8(r.body), std::string(what) + ": answer is not UTF-8");
  const JsonValue* resp = member(doc, "Response");
  if (!resp) {  // control API answers and health have their own shapes
    return;
  }
  FUZZ_CHECK(resp->IsObject(), what);
  FUZZ_CHECK(str_member(*resp, "RequestId").has_value(), std::string(what) + ": no RequestId: " + r.body.substr(0, 300));
  if (const JsonValue* err = member(*resp, "Error")) {
    auto code = str_member(*err, "Code");
    FUZZ_CHECK(code && !code->empty(), std::string(what) + ": error without a code: " + r.body.substr(0, 300));
    auto msg = str_member(*err, "Message");
    FUZZ_CHECK(msg && !msg->empty(), std::string(what) + ": error without a message: " + r.body.substr(0, 300));
  }
}

struct FuzzWorld {
  Config cfg;
  Store store{":memory:"};
  Clock clock{1.0, [] { return kFuzzEpoch; }};
  IdSource ids{42};
  App app;
  FuzzWorld(bool verify, Credentials creds) : cfg(make_cfg(verify)), app(cfg, store, clock, ids, std::move(creds)) {}
  static Config make_cfg(bool verify) {
    Config c;
    c.db = ":memory:";
    c.auth_verify = verify;
    c.rate_limit = 0;
    c.journal_max = 16;
    c.admin_token = "";
    return c;
  }
};

inline int fuzz_http(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  HttpRequest req = parse_http_input(in);
  apply_signing(req);
  Credentials creds;
  creds.add({std::string(kFuzzSecretId), std::string(kFuzzSecretKey), "", ""});
  // One world per input (building one costs more than the call): inputs
  // meant to be signed run with --auth verify, the others with --auth off.
  const bool verify = in.find("x-fuzz-sign") != std::string_view::npos || in.find("$SIG") != std::string_view::npos;
  FuzzWorld w(verify, creds);
  check_response(w.app.handle(req), verify ? "auth verify" : "auth off");
  // The same call again must not crash either (state left by the first).
  check_response(w.app.handle(req), "repeat");
  // What the journal (GET /_dtsmock/requests) shows of these calls is JSON in valid UTF-8.
  std::string journal = to_string(w.app.journal().query(JournalFilter{}));
  FUZZ_CHECK(valid_utf8(journal), "the journal is not valid UTF-8: " + journal.substr(0, 400));
  return 0;
}

inline const model::Action* pick_action(std::string_view name) {
  if (const model::Action* a = model::find_action(name)) return a;
  auto all = model::actions();
  if (all.empty()) return nullptr;
  size_t h = 0;
  for (char c : name) h = h * 31 + static_cast<unsigned char>(c);
  return &all[h % all.size()];
}

inline int fuzz_flat(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const model::Action* action = pick_action(take_line(in));
  if (!action) return 0;
  KeyValues kv;
  if (!decode_form(in, kv)) return 0;
  Json params(rapidjson::kObjectType);
  std::string hint;
  if (decode_flat(*action, kv, params, &hint)) return 0;
  FUZZ_CHECK(params.IsObject(), "decode_flat must build an object");
  if (validate(*action, params, &hint)) return 0;

  // Round trip: what the SDKs would send for these params decodes to the same JSON.
  std::string form = encode_flat(params);
  KeyValues kv2;
  FUZZ_CHECK(decode_form(form, kv2), "encode_flat output does not decode: " + form);
  Json again(rapidjson::kObjectType);
  auto e = decode_flat(*action, kv2, again);
  FUZZ_CHECK(!e, "re-decoding encode_flat output failed: " + form + " -> " + (e ? e->en : ""));
  // Flattening drops empty lists/objects and nulls, so compare the re-encoding.
  FUZZ_CHECK(encode_flat(again) == form, "round trip changed the params: " + form + " vs " + encode_flat(again));
  return 0;
}

inline int fuzz_auth(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view header = take_line(in);
  if (auto a = parse_tc3_authorization(header)) {
    FUZZ_CHECK(a->algorithm == "TC3-HMAC-SHA256", a->algorithm);
    FUZZ_CHECK(a->signature.size() == 64, a->signature);
    for (char c : a->signature) FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'), a->signature);
    FUZZ_CHECK(a->date.size() == 10 && a->date[4] == '-' && a->date[7] == '-', a->date);
  }
  std::string_view first = take_line(in);
  HttpRequest req;
  auto sp = first.find(' ');
  req.method = std::string(first.substr(0, sp));
  if (sp != std::string_view::npos) req.target = std::string(first.substr(sp + 1));
  req.body = std::string(in);
  req.headers = {{"host", "127.0.0.1"},
                 {"content-type", req.method == "POST" && req.body.rfind("{", 0) == 0 ? "application/json"
                                                                                     : "application/x-www-form-urlencoded"},
                 {"x-tc-action", "DescribeMigrationJobs"},
                 {"x-tc-version", "2021-12-06"},
                 {"x-tc-region", "ap-guangzhou"},
                 {"x-tc-timestamp", "1767225600"},
                 {"authorization", std::string(header)}};
  ApiCall call;
  if (parse_call(req, call)) return 0;
  Credentials creds;
  creds.add({std::string(kFuzzSecretId), std::string(kFuzzSecretKey), "", ""});
  creds.add({"AKIDtoken", "tokenkey", "sessiontoken", "team"});
  std::string who = "untouched";
  auto err = verify(req, call, creds, 1767225600, &who);
  if (err) {
    FUZZ_CHECK(who == "untouched", "secret id set on failure");
    // Messages may quote header bytes as received; the envelope and the
    // journal repair them (checked by the http target).
    FUZZ_CHECK(!err->en.empty() && !err->zh.empty(), "error without a message");
  } else {
    FUZZ_CHECK(creds.find(who) != nullptr, "verified an unknown SecretId: " + who);
  }
  return 0;
}

inline int fuzz_validate(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const model::Action* action = pick_action(take_line(in));
  if (!action) return 0;
  Json params;
  params.Parse<rapidjson::kParseIterativeFlag>(in.data(), in.size());
  if (params.HasParseError()) return 0;
  std::string hint;
  auto e = validate(*action, params, &hint);
  if (e) {
    FUZZ_CHECK(!e->en.empty() && !e->zh.empty(), "error without message");
  } else {
    FUZZ_CHECK(params.IsObject(), "validate accepted a non-object");
  }
  return 0;
}

inline const Handler* route_of(std::string_view action) {
  for (const auto& r : routes())
    if (r.action == action) return &r.fn;
  return nullptr;
}

inline int fuzz_dispatch(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Store store(":memory:");
  Millis sim = kFuzzEpoch;
  Clock clock(1.0, [&sim] { return sim; });
  IdSource ids(7);
  std::string last_job = "dts-nothing0";
  int calls = 0;
  while (!in.empty() && calls < 64) {
    std::string_view line = take_line(in);
    if (line.empty()) continue;
    if (line[0] == '+') {
      long long secs = std::strtoll(std::string(line.substr(1)).c_str(), nullptr, 10);
      if (secs > 0 && secs < 100LL * 365 * 86400) sim += secs * 1000;
      continue;
    }
    ++calls;
    auto sp = line.find(' ');
    std::string_view name = line.substr(0, sp);
    std::string body = sp == std::string_view::npos ? "{}" : std::string(line.substr(sp + 1));
    replace_all(body, "$JOB", last_job);
    const model::Action* action = model::find_action(name);
    const Handler* h = route_of(name);
    if (!action || !h) continue;
    Json params;
    params.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
    if (params.HasParseError()) continue;
    if (validate(*action, params)) continue;  // the server never dispatches an invalid call
    RequestContext ctx;
    ctx.ids = &ids;
    ctx.request_id = ids.uuid4();
    ctx.region = "ap-guangzhou";
    ctx.action = std::string(name);
    ctx.tenant = (calls % 5 == 4) ? "other" : "default";
    Outcome out;
    try {
      Transaction tx(store.db());
      out = (*h)(params, ctx, store, clock);
      if (!out.error) tx.commit();
    } catch (const StoreError& e) {
      FUZZ_CHECK(false, std::string(name) + ": the store failed: " + e.what());
    }
    if (out.error) {
      FUZZ_CHECK(!out.error->en.empty() && !out.error->zh.empty(), std::string(name) + ": error without message");
      FUZZ_CHECK(valid_utf8(out.error->en) && valid_utf8(out.error->zh), std::string(name) + ": message not UTF-8");
    } else {
      FUZZ_CHECK(out.body.IsObject(), std::string(name) + ": body is not an object");
      std::string text = to_string(out.body);
      FUZZ_CHECK(valid_utf8(text), std::string(name) + ": body not UTF-8");
      if (const JsonValue* ids_v = member(out.body, "JobIds"); ids_v && ids_v->IsArray() && !ids_v->Empty() &&
                                                                (*ids_v)[0].IsString())
        last_job = (*ids_v)[0].GetString();
      if (auto j = str_member(out.body, "JobId")) last_job = *j;
    }
  }
  return 0;
}

struct Target {
  const char* name;
  int (*fn)(const uint8_t*, size_t);
};

inline constexpr Target kTargets[] = {
    {"http", &fuzz_http}, {"flat", &fuzz_flat}, {"auth", &fuzz_auth}, {"validate", &fuzz_validate}, {"dispatch", &fuzz_dispatch},
};

}  // namespace dtsmock::fuzz
