#include "server/control/control_api.h"

#include <rapidjson/error/en.h>

#include <cmath>

#include "server/control/rfc3339.h"
#include "server/crypto.h"

namespace dtsmock {
namespace {

using KV = std::vector<std::pair<std::string, std::string>>;

constexpr ControlRoute kRoutes[] = {
    {"/_dtsmock/clock", "GET POST"},
    {"/_dtsmock/faults", "GET POST DELETE"},
    {"/_dtsmock/faults/{id}", "GET DELETE"},
    {"/_dtsmock/requests", "GET DELETE"},
    {"/_dtsmock/requests/count", "GET"},
    {"/_dtsmock/openapi.json", "GET"},
    {"/_dtsmock/jobs/{JobId}", "PUT"},
    {"/_dtsmock/jobs/{JobId}/fail", "POST"},
    {"/_dtsmock/fixtures", "POST"},
    {"/_dtsmock/reset", "POST"},
    {"/_dtsmock/state", "GET"},
};
enum RouteId { kClock, kFaults, kFault, kRequests, kRequestsCount, kOpenApi, kJob, kJobFail, kFixtures, kReset, kState };
static_assert(std::size(kRoutes) == kState + 1);

constexpr int64_t kMaxAdvanceSeconds = 10'000'000'000;  // about 317 years
constexpr double kMaxScale = 1'000'000;

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; '+' is a space only in query strings.
bool url_decode(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hexval(in[i + 1]), lo = hexval(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

bool parse_query(std::string_view q, KV& out) {
  size_t pos = 0;
  while (pos <= q.size() && !q.empty()) {
    size_t amp = q.find('&', pos);
    std::string_view part = q.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string k, v;
      if (!url_decode(part.substr(0, eq), true, k)) return false;
      if (eq != std::string_view::npos && !url_decode(part.substr(eq + 1), true, v)) return false;
      out.emplace_back(std::move(k), std::move(v));
    }
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return true;
}

std::vector<std::string_view> split_path(std::string_view p) {
  std::vector<std::string_view> segs;
  size_t pos = 0;
  while (pos < p.size()) {
    if (p[pos] == '/') {
      ++pos;
      continue;
    }
    size_t slash = p.find('/', pos);
    segs.push_back(p.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return segs;
}

// Matches the request path against a route; captures the one {param}.
bool match_route(std::string_view pattern, const std::vector<std::string_view>& segs, std::string_view& param) {
  auto pat = split_path(pattern);
  if (pat.size() != segs.size()) return false;
  for (size_t i = 0; i < pat.size(); ++i) {
    if (!pat[i].empty() && pat[i].front() == '{') {
      param = segs[i];
    } else if (pat[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

bool method_allowed(std::string_view methods, std::string_view m) {
  size_t pos = 0;
  while (pos < methods.size()) {
    size_t sp = methods.find(' ', pos);
    if (methods.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos) == m) return true;
    if (sp == std::string_view::npos) break;
    pos = sp + 1;
  }
  return false;
}

bool authorised(const HttpRequest& req, const std::string& token) {
  if (token.empty()) return true;
  const std::string* h = req.header("authorization");
  if (!h) return false;
  std::string_view v = *h;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  constexpr std::string_view kScheme = "bearer";
  if (v.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = v[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return false;
  }
  v.remove_prefix(kScheme.size());
  if (v.front() != ' ' && v.front() != '\t') return false;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  return constant_time_equal(token, v);
}

// Parses a JSON body strictly (one value, nothing after it). Empty → null.
bool parse_body(const HttpRequest& req, Json& doc, std::string& err) {
  std::string_view b = req.body;
  bool blank = true;
  for (char c : b) blank = blank && (c == ' ' || c == '\t' || c == '\r' || c == '\n');
  if (blank) {
    doc.SetNull();
    return true;
  }
  doc.Parse(b.data(), b.size());
  if (doc.HasParseError()) {
    err = std::string("the body is not valid JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()) +
          " (at byte " + std::to_string(doc.GetErrorOffset()) + ")";
    return false;
  }
  return true;
}

HttpResponse bad_request(std::string_view code, std::string_view msg) { return control_error(400, code, msg); }

// ---- clock -------------------------------------------------------------------

HttpResponse clock_state(const Clock& clock) {
  Json doc(rapidjson::kObjectType);
  Alloc& a = doc.GetAllocator();
  const Millis now = clock.now();
  doc.AddMember("now", jstr(format_rfc3339(now), a), a);
  doc.AddMember("nowMs", now, a);
  doc.AddMember("scale", clock.scale(), a);
  doc.AddMember("frozen", clock.frozen(), a);
  return control_json(doc);
}

HttpResponse clock_post(const HttpRequest& req, Clock& clock) {
  Json body;
  std::string err;
  if (!parse_body(req, body, err)) return bad_request("InvalidJson", err);
  if (!body.IsObject() || body.MemberCount() == 0)
    return bad_request("InvalidClock",
                       "the body must be an object with at least one of advance, set, scale, frozen, e.g. "
                       "{\"advance\": 60}");
  for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it) {
    std::string_view k(it->name.GetString(), it->name.GetStringLength());
    if (k != "advance" && k != "set" && k != "scale" && k != "frozen")
      return bad_request("InvalidClock",
                         "unknown member '" + std::string(k) + "' (expected advance, set, scale, frozen)");
  }
  // Validate everything before changing anything.
  std::optional<Millis> advance_ms, set_ms;
  std::optional<double> scale;
  std::optional<bool> frozen;
  if (const JsonValue* v = member(body, "advance")) {
    if (!v->IsNumber() || !std::isfinite(v->GetDouble()) || v->GetDouble() < 0 ||
        v->GetDouble() > static_cast<double>(kMaxAdvanceSeconds))
      return bad_request("InvalidClock",
                         "'advance' must be a number of seconds, 0 or more (to go back in time, use 'set')");
    advance_ms = static_cast<Millis>(std::llround(v->GetDouble() * 1000.0));
  }
  if (const JsonValue* v = member(body, "set")) {
    std::optional<Millis> t;
    if (v->IsString()) t = parse_rfc3339({v->GetString(), v->GetStringLength()});
    if (!t) return bad_request("InvalidClock", "'set' must be an RFC 3339 time, e.g. \"2024-05-01T12:00:00Z\"");
    set_ms = t;
  }
  if (const JsonValue* v = member(body, "scale")) {
    if (!v->IsNumber() || !(v->GetDouble() > 0) || v->GetDouble() > kMaxScale)
      return bad_request("InvalidClock",
                         "'scale' must be a number above 0 and at most 1000000 (to stop time, use 'frozen')");
    scale = v->GetDouble();
  }
  if (const JsonValue* v = member(body, "frozen")) {
    if (!v->IsBool()) return bad_request("InvalidClock", "'frozen' must be true or false");
    frozen = v->GetBool();
  }
  if (set_ms) clock.set(*set_ms);
  if (advance_ms) clock.advance(*advance_ms);
  if (scale) clock.set_scale(*scale);
  if (frozen) clock.set_frozen(*frozen);
  return clock_state(clock);
}

// ---- faults ------------------------------------------------------------------

HttpResponse faults_post(const HttpRequest& req, FaultEngine& faults) {
  Json body;
  std::string err;
  if (!parse_body(req, body, err)) return bad_request("InvalidJson", err);
  if (body.IsNull()) return bad_request("InvalidRule", "the body must be a rule object or an array of rule objects");
  FaultAddResult res = faults.add(body);
  if (!res.ok()) return control_error(res.conflict ? 409 : 400, res.conflict ? "Conflict" : "InvalidRule", res.error);
  if (body.IsObject()) {
    auto rule = faults.get(res.ids.front());
    if (rule) return control_json(*rule, 201);
  }
  Json out(rapidjson::kObjectType);
  Alloc& a = out.GetAllocator();
  JsonValue arr(rapidjson::kArrayType);
  for (const auto& id : res.ids) {
    if (auto rule = faults.get(id)) arr.PushBack(JsonValue(*rule, a), a);
  }
  out.AddMember("faults", arr, a);
  return control_json(out, 201);
}

// ---- journal -----------------------------------------------------------------

bool parse_filter(const KV& query, JournalFilter& f, std::string& err) {
  for (const auto& [k, v] : query) {
    if (k == "action") f.action = v;
    else if (k == "jobId") f.job_id = v;
    else if (k == "tenant") f.tenant = v;
    else if (k == "region") f.region = v;
    else if (k == "requestId") f.request_id = v;
    else if (k == "code") f.code = v;
    else if (k == "faultId") f.fault_id = v;
    else if (k == "since") {
      bool numeric = !v.empty() && v.size() <= 18;
      for (char c : v) numeric = numeric && c >= '0' && c <= '9';
      if (numeric) {
        f.since_seq = std::stoll(v);
        f.since_time.reset();
      } else if (auto t = parse_rfc3339(v)) {
        f.since_time = *t;
        f.since_seq.reset();
      } else {
        err = "'since' must be a sequence number (e.g. 42) or an RFC 3339 time (e.g. 2024-05-01T12:00:00Z)";
        return false;
      }
    } else if (k == "limit") {
      bool numeric = !v.empty() && v.size() <= 9;
      for (char c : v) numeric = numeric && c >= '0' && c <= '9';
      if (!numeric) {
        err = "'limit' must be a whole number, 0 or more";
        return false;
      }
      f.limit = static_cast<size_t>(std::stoll(v));
    } else {
      err = "unknown filter '" + k + "' (expected action, jobId, tenant, region, requestId, code, faultId, since, limit)";
      return false;
    }
  }
  return true;
}

// ---- job-store hooks -----------------------------------------------------------

HttpResponse call_hook(const ControlHook& hook, const HttpRequest& req, std::string_view what, std::string job_id,
                       KV query) {
  if (!hook) return control_error(501, "NotImplemented", std::string(what) + " is not available in this build");
  Json body;
  std::string err;
  if (!parse_body(req, body, err)) return bad_request("InvalidJson", err);
  ControlCall call{req, std::move(job_id), std::move(query), body};
  try {
    return hook(call);
  } catch (const std::exception& e) {
    return control_error(500, "InternalError", std::string(what) + " failed: " + e.what());
  } catch (...) {
    return control_error(500, "InternalError", std::string(what) + " failed");
  }
}

HttpResponse route(const HttpRequest& req, ControlDeps& deps) {
  const std::vector<std::string_view> segs = split_path(req.path());
  int id = -1;
  std::string_view raw_param;
  for (size_t i = 0; i < std::size(kRoutes); ++i) {
    if (match_route(kRoutes[i].path, segs, raw_param)) {
      id = static_cast<int>(i);
      break;
    }
  }
  if (id < 0) {
    return control_error(404, "NotFound",
                         "no control endpoint at " + std::string(req.path()) +
                             " (GET /_dtsmock/openapi.json lists them all)");
  }
  if (!method_allowed(kRoutes[id].methods, req.method)) {
    HttpResponse r = control_error(405, "MethodNotAllowed",
                                   req.method + " is not allowed on " + std::string(kRoutes[id].path) +
                                       " (allowed: " + std::string(kRoutes[id].methods) + ")");
    std::string allow(kRoutes[id].methods);
    for (char& c : allow)
      if (c == ' ') c = ',';
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  std::string param;
  if (!raw_param.empty() && !url_decode(raw_param, false, param))
    return bad_request("InvalidPath", "the path has a malformed %-escape");
  KV query;
  if (!parse_query(req.query(), query)) return bad_request("InvalidQuery", "the query string has a malformed %-escape");
  const std::string& m = req.method;

  switch (static_cast<RouteId>(id)) {
    case kClock:
      return m == "GET" ? clock_state(deps.clock) : clock_post(req, deps.clock);
    case kFaults:
      if (m == "GET") return control_json(deps.faults.list());
      if (m == "POST") return faults_post(req, deps.faults);
      {
        Json out(rapidjson::kObjectType);
        out.AddMember("deleted", static_cast<uint64_t>(deps.faults.clear()), out.GetAllocator());
        return control_json(out);
      }
    case kFault:
      if (m == "GET") {
        if (auto rule = deps.faults.get(param)) return control_json(*rule);
      } else if (deps.faults.remove(param)) {
        Json out(rapidjson::kObjectType);
        out.AddMember("deleted", jstr(param, out.GetAllocator()), out.GetAllocator());
        return control_json(out);
      }
      return control_error(404, "NotFound", "no fault rule with id '" + param + "'");
    case kRequests:
    case kRequestsCount: {
      if (m == "DELETE") {
        if (!query.empty())
          return bad_request("InvalidQuery", "DELETE /_dtsmock/requests takes no filters: it clears the whole journal");
        Json out(rapidjson::kObjectType);
        out.AddMember("deleted", static_cast<uint64_t>(deps.journal.clear()), out.GetAllocator());
        return control_json(out);
      }
      JournalFilter f;
      std::string err;
      if (!parse_filter(query, f, err)) return bad_request("InvalidQuery", err);
      if (id == kRequests) return control_json(deps.journal.query(f));
      Json out(rapidjson::kObjectType);
      out.AddMember("count", static_cast<uint64_t>(deps.journal.count(f)), out.GetAllocator());
      return control_json(out);
    }
    case kOpenApi: {
      HttpResponse r;
      r.body = std::string(control_openapi_json());
      return r;
    }
    case kJob:
      return call_hook(deps.set_job, req, "PUT /_dtsmock/jobs/{JobId}", param, std::move(query));
    case kJobFail:
      return call_hook(deps.fail_job, req, "POST /_dtsmock/jobs/{JobId}/fail", param, std::move(query));
    case kFixtures:
      return call_hook(deps.fixtures, req, "POST /_dtsmock/fixtures", "", std::move(query));
    case kReset: {
      bool whole = true;
      for (const auto& [k, v] : query) whole = whole && k != "tenant";
      HttpResponse r = call_hook(deps.reset, req, "POST /_dtsmock/reset", "", std::move(query));
      if (whole && r.status >= 200 && r.status < 300) {
        deps.faults.clear();
        deps.journal.clear();
      }
      return r;
    }
    case kState:
      return call_hook(deps.state, req, "GET /_dtsmock/state", "", std::move(query));
  }
  return control_error(404, "NotFound", "no control endpoint at " + std::string(req.path()));
}

}  // namespace

std::optional<std::string> ControlCall::param(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& [k, v] : query)
    if (k == name) out = v;
  return out;
}

HttpResponse control_json(const JsonValue& body, int status) {
  HttpResponse r;
  r.status = status;
  r.body = to_string(body);
  return r;
}

HttpResponse control_error(int status, std::string_view code, std::string_view message) {
  Json doc(rapidjson::kObjectType);
  Alloc& a = doc.GetAllocator();
  JsonValue e(rapidjson::kObjectType);
  e.AddMember("code", jstr(code, a), a);
  e.AddMember("message", jstr(message, a), a);
  doc.AddMember("error", e, a);
  return control_json(doc, status);
}

std::span<const ControlRoute> control_routes() { return kRoutes; }

HttpResponse handle_control(const HttpRequest& req, ControlDeps& deps) {
  if (!authorised(req, deps.admin_token)) {
    HttpResponse r = control_error(401, "Unauthorized",
                                   req.header("authorization")
                                       ? "the admin token does not match"
                                       : "this server requires 'Authorization: Bearer <admin token>' on control calls");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dtsmock\"");
    return r;
  }
  try {
    return route(req, deps);
  } catch (const std::exception& e) {
    return control_error(500, "InternalError", e.what());
  } catch (...) {
    return control_error(500, "InternalError", "unexpected failure");
  }
}

}  // namespace dtsmock
