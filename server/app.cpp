#include "server/app.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <variant>

#include "server/api_model.h"
#include "server/envelope.h"
#include "server/flat.h"
#include "server/regions.h"
#include "server/validate.h"
#include "server/wire.h"
#include "state/fixtures.h"
#include "state/job_faults.h"
#include "state/routes.h"
#include "state/transitions.h"

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
      entry.message = valid_utf8(err->en) ? err->en : sanitize_utf8(err->en);  // may quote raw header bytes
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
        entry.message = valid_utf8(hit->error->en) ? hit->error->en : sanitize_utf8(hit->error->en);
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

namespace {

HttpResponse fault_error(const FaultError& e) {
  return control_error(e.kind == FaultError::NotFound ? 404 : 400, e.kind == FaultError::NotFound ? "JobNotFound" : "BadRequest",
                       e.message);
}

std::optional<std::string> string_list(const JsonValue& body, const char* name, std::vector<std::string>& out) {
  const JsonValue* v = member(body, name);
  if (!v) return std::nullopt;
  if (!v->IsArray()) return std::string(name) + " must be a list of check step ids";
  for (const auto& item : v->GetArray()) {
    if (!item.IsString()) return std::string(name) + " must be a list of check step ids";
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return std::nullopt;
}

}  // namespace

std::string App::load_scenario(const JsonValue& doc, size_t* jobs_loaded) {
  // A scenario is fixture JSON that may also carry fault rules ("faults") and
  // job failures ("jobFaults": [{"jobId", ...failure}]), as one object or a list.
  std::vector<const JsonValue*> docs;
  if (doc.IsArray()) {
    for (const auto& d : doc.GetArray()) docs.push_back(&d);
  } else {
    docs.push_back(&doc);
  }
  Json fixtures(rapidjson::kArrayType);
  Json rules(rapidjson::kArrayType);
  std::vector<std::pair<std::string, FailureSpec>> job_faults;
  auto& a = fixtures.GetAllocator();
  for (const JsonValue* d : docs) {
    if (!d->IsObject()) return "a fixture document must be an object (or a list of objects)";
    JsonValue copy(rapidjson::kObjectType);
    for (auto it = d->MemberBegin(); it != d->MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (key == "faults") {
        if (it->value.IsArray()) {
          for (const auto& r : it->value.GetArray()) rules.PushBack(JsonValue(r, rules.GetAllocator()), rules.GetAllocator());
        } else {
          rules.PushBack(JsonValue(it->value, rules.GetAllocator()), rules.GetAllocator());
        }
      } else if (key == "jobFaults") {
        if (!it->value.IsArray()) return "jobFaults must be a list of {\"jobId\", ...failure} objects";
        for (const auto& jf : it->value.GetArray()) {
          auto id = str_member(jf, "jobId");
          if (!id) return "every jobFaults entry needs a string jobId";
          JsonValue spec(rapidjson::kObjectType);
          Json holder;
          for (auto m = jf.MemberBegin(); m != jf.MemberEnd(); ++m)
            if (std::string_view(m->name.GetString(), m->name.GetStringLength()) != "jobId")
              spec.AddMember(JsonValue(m->name, holder.GetAllocator()), JsonValue(m->value, holder.GetAllocator()), holder.GetAllocator());
          auto parsed = failure_from_json(spec);
          if (auto* e = std::get_if<FaultError>(&parsed)) return "jobFaults for " + *id + ": " + e->message;
          job_faults.emplace_back(*id, std::get<FailureSpec>(parsed));
        }
      } else {
        copy.AddMember(JsonValue(it->name, a), JsonValue(it->value, a), a);
      }
    }
    if (copy.HasMember("jobs")) fixtures.PushBack(copy, a);
  }

  std::vector<std::string> added;
  if (!rules.Empty()) {
    auto res = faults_.add(rules);
    if (!res.ok()) return "faults: " + res.error;
    added = res.ids;
  }
  std::string error;
  {
    std::lock_guard lk(store_mu_);
    try {
      Transaction tx(store_.db());
      size_t n = fixtures.Empty() ? 0 : load_fixtures(store_, clock_, fixtures);
      for (const auto& [id, spec] : job_faults)
        if (auto e = schedule_failure(store_, clock_, id, spec)) {
          error = "jobFaults for " + id + ": " + e->message;
          break;
        }
      if (error.empty()) {
        tx.commit();
        if (jobs_loaded) *jobs_loaded = n;
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  if (!error.empty())
    for (const auto& id : added) faults_.remove(id);
  return error;
}

size_t App::load_fixture_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  size_t total = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Json doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError()) throw std::runtime_error(f.string() + ": not valid JSON");
    size_t n = 0;
    std::string err = load_scenario(doc, &n);
    if (!err.empty()) throw std::runtime_error(f.string() + ": " + err);
    total += n;
  }
  return total;
}

void App::wire_control_hooks() {
  // Each hook runs in one transaction under the store lock, as API calls do.
  auto in_store = [this](auto&& fn) -> HttpResponse {
    std::lock_guard lk(store_mu_);
    try {
      Transaction tx(store_.db());
      HttpResponse r = fn();
      if (r.status < 300) tx.commit();
      return r;
    } catch (const std::exception& e) {
      return control_error(500, "StoreError", e.what());
    }
  };
  auto describe = [this](std::string_view id) {
    auto job = describe_job_any(store_, clock_, id);
    return job ? control_json(*job) : control_error(404, "JobNotFound", "no job " + std::string(id));
  };

  static const JsonValue kEmptyObject(rapidjson::kObjectType);
  auto body_of = [](const ControlCall& call) -> const JsonValue& { return call.body.IsNull() ? kEmptyObject : call.body; };

  control_.fail_job = [=, this](const ControlCall& call) {
    const JsonValue& body = body_of(call);
    if (!body.IsObject()) return control_error(400, "BadRequest", "the body must be a JSON object");
    auto parsed = failure_from_json(body);
    if (auto* e = std::get_if<FaultError>(&parsed)) return fault_error(*e);
    return in_store([&] {
      if (auto e = schedule_failure(store_, clock_, call.job_id, std::get<FailureSpec>(parsed))) return fault_error(*e);
      return describe(call.job_id);
    });
  };

  control_.set_job = [=, this](const ControlCall& call) {
    const JsonValue& body = body_of(call);
    if (!body.IsObject()) return control_error(400, "BadRequest", "the body must be a JSON object");
    static constexpr std::string_view kKnown[] = {"Status", "TradeStatus", "CheckFailSteps", "CheckWarnSteps", "CompareConclusion", "CompareOutcome"};
    for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it) {
      std::string_view k(it->name.GetString(), it->name.GetStringLength());
      if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown))
        return control_error(400, "BadRequest", "unknown member '" + std::string(k) + "' (known: Status, TradeStatus, CheckFailSteps, CheckWarnSteps, CompareConclusion, CompareOutcome)");
    }
    std::optional<Status> status;
    std::optional<Trade> trade;
    if (const JsonValue* v = member(body, "Status")) {
      if (!v->IsString() || !(status = parse_status(v->GetString())))
        return control_error(400, "BadRequest", "Status must be one of the 19 job statuses (e.g. running, error, readyComplete)");
    }
    if (const JsonValue* v = member(body, "TradeStatus")) {
      if (!v->IsString() || !(trade = parse_trade(v->GetString())))
        return control_error(400, "BadRequest", "TradeStatus must be one of normal, resizing, reversing, isolating, isolated, offlining, offlined, notBilled");
    }
    std::vector<std::string> fail_steps, warn_steps;
    if (auto e = string_list(body, "CheckFailSteps", fail_steps)) return control_error(400, "BadRequest", *e);
    if (auto e = string_list(body, "CheckWarnSteps", warn_steps)) return control_error(400, "BadRequest", *e);
    auto conclusion = str_member(body, "CompareConclusion");
    auto outcome = str_member(body, "CompareOutcome");
    if (!status && !trade && !member(body, "CheckFailSteps") && !member(body, "CheckWarnSteps") && !conclusion && !outcome)
      return control_error(400, "BadRequest", "nothing to set: give Status, TradeStatus, CheckFailSteps/CheckWarnSteps or CompareConclusion/CompareOutcome");
    return in_store([&] {
      if (status || trade) {
        std::optional<FaultError> e;
        if (status) {
          e = force_status(store_, clock_, call.job_id, *status, trade);
        } else {
          auto job = describe_job_any(store_, clock_, call.job_id);
          if (!job) return control_error(404, "JobNotFound", "no job " + call.job_id);
          auto cur = parse_status((*job)["Status"].GetString());
          e = force_status(store_, clock_, call.job_id, cur.value_or(Status::unknown), trade);
        }
        if (e) return fault_error(*e);
      }
      if (member(body, "CheckFailSteps") || member(body, "CheckWarnSteps"))
        if (auto e = set_check_outcome(store_, clock_, call.job_id, fail_steps, warn_steps)) return fault_error(*e);
      if (conclusion || outcome)
        if (auto e = set_compare_outcome(store_, clock_, call.job_id, conclusion.value_or("same"), outcome.value_or("success")))
          return fault_error(*e);
      return describe(call.job_id);
    });
  };

  control_.fixtures = [this](const ControlCall& call) {
    if (call.body.IsNull()) return control_error(400, "BadRequest", "send fixture JSON in the body");
    size_t n = 0;
    std::string err = load_scenario(call.body, &n);
    if (!err.empty()) return control_error(400, "BadFixture", err);
    Json out(rapidjson::kObjectType);
    out.AddMember("loaded", static_cast<uint64_t>(n), out.GetAllocator());
    out.AddMember("faults", static_cast<uint64_t>(faults_.size()), out.GetAllocator());
    return control_json(out, 200);
  };

  control_.reset = [=, this](const ControlCall& call) {
    auto tenant = call.param("tenant");
    return in_store([&] {
      size_t n = tenant ? reset_tenant(store_, *tenant) : reset_all(store_);
      Json out(rapidjson::kObjectType);
      out.AddMember("jobsRemoved", static_cast<uint64_t>(n), out.GetAllocator());
      if (tenant) out.AddMember("tenant", jstr(*tenant, out.GetAllocator()), out.GetAllocator());
      return control_json(out, 200);
    });
  };

  control_.state = [=, this](const ControlCall& call) {
    std::string tenant = call.param("tenant").value_or("default");
    return in_store([&] { return control_json(export_state(store_, clock_, tenant), 200); });
  };
}

}  // namespace dtsmock
