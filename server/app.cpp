#include "server/app.h"

#include <exception>

#include "server/api_model.h"
#include "server/envelope.h"
#include "server/flat.h"
#include "server/regions.h"
#include "server/validate.h"
#include "server/wire.h"
#include "state/routes.h"

namespace dtsmock {
namespace {

constexpr std::string_view kVersion = "2021-12-06";

int64_t monotonic_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

const Handler* find_route(std::string_view action) {
  static const auto* table = [] {
    auto* m = new std::unordered_map<std::string_view, Handler>();
    for (const auto& r : routes()) m->emplace(r.action, r.fn);
    return m;
  }();
  auto it = table->find(action);
  return it == table->end() ? nullptr : &it->second;
}

// The SecretId a request names, without verifying it (for --auth off tenancy).
std::string claimed_secret_id(const HttpRequest& req, const ApiCall& call) {
  if (call.style == Style::V1Get || call.style == Style::V1Post) return call.secret_id;
  const std::string* auth = req.header("authorization");
  if (!auth) return {};
  if (auto parsed = parse_tc3_authorization(*auth)) return parsed->secret_id;
  // Lenient fallback: "...Credential=<id>/..." even when the rest is malformed.
  auto pos = auth->find("Credential=");
  if (pos == std::string::npos) return {};
  pos += 11;
  auto end = auth->find_first_of("/, ", pos);
  return auth->substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

std::string job_id_of(const ApiCall& call) {
  if (auto v = str_member(call.params, "JobId")) return *v;
  for (const auto& [k, v] : call.form)
    if (k == "JobId") return v;
  return {};
}

const char* style_name(Style s) {
  switch (s) {
    case Style::Tc3Post: return "TC3 POST";
    case Style::Tc3Get: return "TC3 GET";
    case Style::V1Post: return "v1 POST";
    case Style::V1Get: return "v1 GET";
  }
  return "";
}

HttpResponse json_response(std::string body) {
  HttpResponse r;
  r.body = std::move(body);
  return r;
}

}  // namespace

App::App(const Config& cfg, Store& store, Clock& clock, IdSource& ids, Credentials creds)
    : cfg_(cfg),
      store_(store),
      clock_(clock),
      ids_(ids),
      creds_(std::move(creds)),
      limiter_(cfg.rate_limit),
      control_{clock, faults_, journal_, cfg.admin_token, {}},
      started_(std::chrono::steady_clock::now()) {
  journal_.set_max(cfg.journal_max);
  wire_control_hooks();
}

HttpResponse App::handle(const HttpRequest& req) {
  try {
    std::string_view path = req.path();
    if (path.rfind("/_dtsmock/", 0) == 0) {
      if (path == "/_dtsmock/health") return health();
      if (cfg_.admin && cfg_.admin_listen.empty()) return control(req);
      HttpResponse r;
      r.status = 404;
      r.body = R"({"error":{"code":"NotFound","message":"the control API is not served on this port"}})";
      return r;
    }
    return api(req);
  } catch (const std::exception& e) {
    // Last line of defence: a bug must still give the client a Tencent-style answer.
    return json_response(envelope_error(make_error_text(Err::InternalError, std::string("internal error: ") + e.what()), Lang::En,
                                         ids_.uuid4()));
  }
}

HttpResponse App::reject(const ApiError& e) { return json_response(envelope_error(e, Lang::En, ids_.uuid4())); }

HttpResponse App::handle_control_only(const HttpRequest& req) {
  if (req.path() == "/_dtsmock/health") return health();
  return control(req);
}

HttpResponse App::health() {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("status");
  w.String("ok");
  w.Key("version");
  w.String(DTSMOCK_VERSION);
  w.Key("db");
  w.String(store_.path().c_str());
  w.Key("uptime_s");
  w.Double(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  w.EndObject();
  return json_response(std::string(buf.GetString(), buf.GetSize()));
}

HttpResponse App::control(const HttpRequest& req) { return handle_control(req, control_); }

HttpResponse App::api(const HttpRequest& req) {
  const int64_t t0 = monotonic_ms();
  ApiCall call;
  RequestContext ctx;
  ctx.ids = &ids_;
  ctx.request_id = ids_.uuid4();

  JournalEntry entry;
  entry.time = system_now_ms();
  entry.sim_time = clock_.now();
  entry.request_id = ctx.request_id;

  HttpResponse resp;
  if (const std::string* trace = req.header("x-tc-traceid")) resp.headers.emplace_back("X-TC-TraceId", *trace);
  resp.headers.emplace_back("X-TC-RequestId", ctx.request_id);

  // Every exit goes through here: envelope, journal.
  auto finish = [&](const std::optional<ApiError>& err, const JsonValue* body) -> HttpResponse {
    if (err) {
      resp.body = envelope_error(*err, ctx.lang, ctx.request_id);
      entry.code = std::string(code_of(err->code));
      entry.message = err->en;
    } else {
      resp.body = envelope_ok(*body, ctx.request_id);
    }
    entry.latency_ms = static_cast<double>(monotonic_ms() - t0);
    journal_.record(std::move(entry));
    return std::move(resp);
  };

  if (auto e = parse_call(req, call)) return finish(e, nullptr);
  ctx.lang = language_of(call);
  entry.style = style_name(call.style);
  entry.action = valid_utf8(call.action) ? call.action : sanitize_utf8(call.action);
  entry.region = valid_utf8(call.region) ? call.region : sanitize_utf8(call.region);
  ctx.action = call.action;
  ctx.region = call.region;

  std::string secret_id;
  if (cfg_.auth_verify) {
    if (auto e = verify(req, call, creds_, system_now_ms() / 1000, &secret_id)) {
      entry.tenant = tenant_of(creds_, claimed_secret_id(req, call));
      return finish(e, nullptr);
    }
  } else {
    secret_id = claimed_secret_id(req, call);
  }
  ctx.tenant = tenant_of(creds_, secret_id);
  entry.tenant = ctx.tenant;

  if (call.action.empty()) return finish(make_error(Err::MissingParameter, Msg::MissingParam, {"Action"}), nullptr);
  if (call.version.empty()) return finish(make_error(Err::MissingParameter, Msg::MissingParam, {"Version"}), nullptr);
  if (call.version != kVersion) {
    if (call.version == "2018-03-30") return finish(make_error(Err::NoSuchVersion, Msg::OldVersionNotEmulated, {}), nullptr);
    return finish(make_error(Err::NoSuchVersion, Msg::VersionNotSupported, {call.version}), nullptr);
  }
  const model::Action* action = model::find_action(call.action);
  if (!action) {
    std::string hint = model::nearest_action(call.action);
    entry.did_you_mean = hint;
    if (hint.empty()) return finish(make_error(Err::InvalidAction, Msg::NoSuchAction, {call.action}), nullptr);
    return finish(make_error(Err::InvalidAction, Msg::NoSuchActionHint, {call.action, hint}), nullptr);
  }
  if (!call.has_region || call.region.empty())
    return finish(make_error(Err::MissingParameter, Msg::MissingParam, {"Region"}), nullptr);
  if (!known_region(call.region)) return finish(make_error(Err::UnsupportedRegion, Msg::RegionNotSupported, {call.region}), nullptr);

  if (limiter_.enabled()) {
    auto d = limiter_.check(ctx.tenant, ctx.region, ctx.action);
    if (!d.allowed) {
      std::string limit = std::to_string(static_cast<long long>(limiter_.rate()));
      return finish(make_error(Err::RequestLimitExceeded, Msg::RateLimited, {std::to_string(d.seen_this_second), limit}), nullptr);
    }
  }

  // Parameters are decoded and validated before fault rules are consulted, as
  // the real gateway validates before any backend can fail: a fault rule never
  // hides a client's malformed call, and the journal always shows the params.
  if (call.style != Style::Tc3Post) {
    if (auto e = decode_flat(*action, call.form, call.params, &entry.did_you_mean)) return finish(e, nullptr);
  }
  entry.params_json = Journal::mask_secrets(call.params);
  if (auto e = validate(*action, call.params, &entry.did_you_mean)) return finish(e, nullptr);

  const std::string job_id = job_id_of(call);
  entry.job_id = job_id;
  if (auto hit = faults_.match(ctx.action, job_id, ctx.tenant, ctx.region)) {
    entry.fault_id = hit->rule_id;
    if (hit->delay_only()) {
      resp.delay_ms = hit->delay_ms;  // then answer the call normally, later
    } else {
      if (hit->error) {
        resp.body = envelope_error(hit->error->code, hit->error->message(ctx.lang), ctx.request_id);
        entry.code = hit->error->code;
        entry.message = hit->error->en;
      } else if (hit->transport == Transport::Malformed) {
        resp.body = "{\"Response\":{\"RequestId\":\"" + ctx.request_id + "\",";  // cut short: not JSON
        entry.code = "transport:malformed";
      } else if (hit->http_status) {
        entry.code = "HTTP " + std::to_string(*hit->http_status);
      } else {
        entry.code = "transport";
      }
      apply_fault(*hit, resp);
      entry.latency_ms = static_cast<double>(monotonic_ms() - t0);
      journal_.record(std::move(entry));
      return resp;
    }
  }

  const Handler* handler = find_route(call.action);
  if (!handler) return finish(make_error(Err::UnsupportedOperation, Msg::NotImplemented, {call.action}), nullptr);

  Outcome out;
  std::lock_guard lk(store_mu_);
  try {
    Transaction tx(store_.db());
    out = (*handler)(call.params, ctx, store_, clock_);
    if (!out.error) tx.commit();
  } catch (const StoreError& e) {
    out = Outcome::fail(make_error_text(Err::InternalError_DatabaseError, std::string("the emulator's store failed: ") + e.what()));
  }
  if (!out.job_id.empty()) entry.job_id = out.job_id;
  entry.status_before = out.status_before;
  entry.status_after = out.status_after;
  // Journaled before the store lock is released, so that the journal's order
  // is the order in which calls saw the store: one call's statusAfter is the
  // next call's statusBefore (tests/integration/concurrency.test.js).
  return finish(out.error, &out.body);
}

void App::wire_control_hooks() {
  // Filled in once the job store's control functions exist (state/job_faults.h, state/fixtures.h).
}

}  // namespace dtsmock
