#include "server/control/faults.h"

#include <cmath>
#include <random>
#include <unordered_set>

namespace dtsmock {

struct FaultEngine::Rule {
  std::string id, note;
  std::optional<std::string> action, job_id, tenant, region;
  std::optional<int64_t> times, after;
  std::optional<double> probability;
  std::optional<uint64_t> seed;
  std::mt19937_64 rng;
  // Effects.
  std::optional<InjectedError> error;
  std::optional<std::string> error_message;  // as given, for the listing
  Transport transport = Transport::Normal;
  std::string transport_name;
  std::optional<int> http_status;
  std::string http_body;       // bytes to send
  bool http_body_given = false;
  bool http_body_is_json = false;  // given as a JSON value rather than a string
  std::string http_content_type;
  bool http_content_type_given = false;
  std::optional<int64_t> delay_ms;
  // Counters.
  uint64_t matched = 0, fired = 0;
  bool active = true;
};

namespace {

constexpr int64_t kMaxDelayMs = 600000;

constexpr std::string_view kKeys[] = {"id",          "note", "action", "jobId", "tenant", "region",    "times",
                                      "after",       "probability", "seed",   "error", "transport", "http",
                                      "delayMs"};

std::string_view sv(const JsonValue& v) { return {v.GetString(), v.GetStringLength()}; }

bool is_int(const JsonValue& v) { return v.IsInt64() || v.IsUint64(); }

int64_t as_int(const JsonValue& v) {
  return v.IsInt64() ? v.GetInt64() : static_cast<int64_t>(std::min<uint64_t>(v.GetUint64(), INT64_MAX));
}

bool valid_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.' || c == ':'))
      return false;
  return true;
}

bool valid_code(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'))
      return false;
  return true;
}

// The error a rule answers: catalogued codes keep their default texts; other
// codes borrow the texts of their nearest catalogued parent ("FailedOperation.X"
// reads as FailedOperation), or FailedOperation's when there is none.
InjectedError make_injected(std::string_view code, const std::optional<std::string>& message) {
  InjectedError e;
  e.code = std::string(code);
  e.err = err_from_code(code);
  std::optional<Err> texts_from = e.err;
  std::string_view prefix = code;
  while (!texts_from) {
    auto dot = prefix.rfind('.');
    if (dot == std::string_view::npos) break;
    prefix = prefix.substr(0, dot);
    texts_from = err_from_code(prefix);
  }
  ApiError base = make_error(texts_from.value_or(Err::FailedOperation));
  if (message) {
    e.en = *message;
    e.zh = *message;
  } else {
    e.en = std::move(base.en);
    e.zh = std::move(base.zh);
  }
  return e;
}

std::optional<Transport> transport_from(std::string_view s) {
  if (s == "reset") return Transport::Reset;
  if (s == "empty") return Transport::Empty;
  if (s == "malformed") return Transport::Malformed;
  if (s == "hang") return Transport::Hang;
  return std::nullopt;
}

// Validates one rule into r; returns "" or a message naming the member.
std::string parse_rule(const JsonValue& v, FaultEngine::Rule& r) {
  if (!v.IsObject()) return "a rule must be a JSON object";
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    std::string_view key = sv(it->name);
    bool known = false;
    for (auto k : kKeys) known = known || k == key;
    if (!known)
      return "unknown member '" + std::string(key) +
             "' (expected id, note, action, jobId, tenant, region, times, after, probability, seed, error, "
             "transport, http, delayMs)";
  }

  if (const JsonValue* id = member(v, "id")) {
    if (!id->IsString() || !valid_id(sv(*id)))
      return "'id' must be a string of 1 to 64 letters, digits, '_', '-', '.' or ':'";
    r.id = std::string(sv(*id));
  }
  if (const JsonValue* note = member(v, "note")) {
    if (!note->IsString()) return "'note' must be a string";
    r.note = std::string(sv(*note));
  }

  struct Filter { const char* name; std::optional<std::string>* out; };
  for (Filter f : {Filter{"action", &r.action}, Filter{"jobId", &r.job_id}, Filter{"tenant", &r.tenant},
                   Filter{"region", &r.region}}) {
    if (const JsonValue* m = member(v, f.name)) {
      if (!m->IsString() || m->GetStringLength() == 0)
        return std::string("'") + f.name + "' must be a non-empty string (leave it out to match any)";
      *f.out = std::string(sv(*m));
    }
  }

  if (const JsonValue* m = member(v, "times")) {
    if (!is_int(*m) || as_int(*m) < 1) return "'times' must be an integer of at least 1";
    r.times = as_int(*m);
  }
  if (const JsonValue* m = member(v, "after")) {
    if (!is_int(*m) || as_int(*m) < 0) return "'after' must be an integer of at least 0";
    r.after = as_int(*m);
  }
  if (const JsonValue* m = member(v, "probability")) {
    if (!m->IsNumber()) return "'probability' must be a number from 0 to 1";
    double p = m->GetDouble();
    if (!(p >= 0.0 && p <= 1.0)) return "'probability' must be a number from 0 to 1";
    r.probability = p;
  }
  if (const JsonValue* m = member(v, "seed")) {
    if (!m->IsUint64()) return "'seed' must be a non-negative integer";
    if (!r.probability) return "'seed' only applies together with 'probability'";
    r.seed = m->GetUint64();
  }

  int effects = 0;
  if (const JsonValue* m = member(v, "error")) {
    ++effects;
    if (!m->IsObject()) return "'error' must be an object {\"code\": \"...\", \"message\": \"...\"}";
    for (auto it = m->MemberBegin(); it != m->MemberEnd(); ++it) {
      std::string_view k = sv(it->name);
      if (k != "code" && k != "message")
        return "unknown member 'error." + std::string(k) + "' (expected code, message)";
    }
    const JsonValue* code = member(*m, "code");
    if (!code) return "'error.code' is required";
    if (!code->IsString() || !valid_code(sv(*code)))
      return "'error.code' must be a string of 1 to 128 letters, digits, '.' or '_', e.g. \"FailedOperation\"";
    if (const JsonValue* msg = member(*m, "message")) {
      if (!msg->IsString()) return "'error.message' must be a string";
      r.error_message = std::string(sv(*msg));
    }
    r.error = make_injected(sv(*code), r.error_message);
  }
  if (const JsonValue* m = member(v, "transport")) {
    ++effects;
    std::optional<Transport> t;
    if (m->IsString()) t = transport_from(sv(*m));
    if (!t) return "'transport' must be one of \"reset\", \"empty\", \"malformed\", \"hang\"";
    r.transport = *t;
    r.transport_name = std::string(sv(*m));
  }
  if (const JsonValue* m = member(v, "http")) {
    ++effects;
    if (!m->IsObject()) return "'http' must be an object {\"status\": 503, \"body\": ...}";
    for (auto it = m->MemberBegin(); it != m->MemberEnd(); ++it) {
      std::string_view k = sv(it->name);
      if (k != "status" && k != "body" && k != "contentType")
        return "unknown member 'http." + std::string(k) + "' (expected status, body, contentType)";
    }
    const JsonValue* status = member(*m, "status");
    if (!status) return "'http.status' is required";
    if (!is_int(*status) || as_int(*status) < 100 || as_int(*status) > 599)
      return "'http.status' must be an integer from 100 to 599";
    r.http_status = static_cast<int>(as_int(*status));
    if (const JsonValue* body = member(*m, "body")) {
      r.http_body_given = true;
      if (body->IsString()) {
        r.http_body = std::string(sv(*body));
      } else {
        r.http_body = to_string(*body);
        r.http_body_is_json = true;
      }
    }
    if (const JsonValue* ct = member(*m, "contentType")) {
      if (!ct->IsString() || ct->GetStringLength() == 0) return "'http.contentType' must be a non-empty string";
      r.http_content_type = std::string(sv(*ct));
      r.http_content_type_given = true;
    } else {
      r.http_content_type = (r.http_body_given && !r.http_body_is_json) ? "text/plain" : "application/json";
    }
  }
  if (effects > 1) return "a rule has exactly one of 'error', 'transport' and 'http' (add 'delayMs' to any of them)";
  if (const JsonValue* m = member(v, "delayMs")) {
    if (!is_int(*m) || as_int(*m) < 0 || as_int(*m) > kMaxDelayMs)
      return "'delayMs' must be an integer from 0 to " + std::to_string(kMaxDelayMs);
    r.delay_ms = as_int(*m);
  }
  if (effects == 0 && !r.delay_ms) return "a rule needs an effect: one of 'error', 'transport', 'http', or 'delayMs'";

  if (r.probability) {
    if (!r.seed) {
      std::random_device rd;
      r.rng.seed((static_cast<uint64_t>(rd()) << 32) ^ rd());
    } else {
      r.rng.seed(*r.seed);
    }
  }
  return {};
}

void write_rule(const FaultEngine::Rule& r, Json& doc, JsonValue& out) {
  Alloc& a = doc.GetAllocator();
  out.SetObject();
  out.AddMember("id", jstr(r.id, a), a);
  if (!r.note.empty()) out.AddMember("note", jstr(r.note, a), a);
  if (r.action) out.AddMember("action", jstr(*r.action, a), a);
  if (r.job_id) out.AddMember("jobId", jstr(*r.job_id, a), a);
  if (r.tenant) out.AddMember("tenant", jstr(*r.tenant, a), a);
  if (r.region) out.AddMember("region", jstr(*r.region, a), a);
  if (r.times) out.AddMember("times", *r.times, a);
  if (r.after) out.AddMember("after", *r.after, a);
  if (r.probability) out.AddMember("probability", *r.probability, a);
  if (r.seed) out.AddMember("seed", *r.seed, a);
  if (r.error) {
    JsonValue e(rapidjson::kObjectType);
    e.AddMember("code", jstr(r.error->code, a), a);
    if (r.error_message) e.AddMember("message", jstr(*r.error_message, a), a);
    out.AddMember("error", e, a);
  }
  if (r.transport != Transport::Normal) out.AddMember("transport", jstr(r.transport_name, a), a);
  if (r.http_status) {
    JsonValue h(rapidjson::kObjectType);
    h.AddMember("status", *r.http_status, a);
    if (r.http_body_given) {
      if (r.http_body_is_json) {
        Json body(&a);
        body.Parse(r.http_body.data(), r.http_body.size());
        JsonValue copy(body, a);
        h.AddMember("body", copy, a);
      } else {
        h.AddMember("body", jstr(r.http_body, a), a);
      }
    }
    if (r.http_content_type_given) h.AddMember("contentType", jstr(r.http_content_type, a), a);
    out.AddMember("http", h, a);
  }
  if (r.delay_ms) out.AddMember("delayMs", *r.delay_ms, a);
  out.AddMember("matched", r.matched, a);
  out.AddMember("fired", r.fired, a);
  out.AddMember("active", r.active, a);
}

// Uniform in [0, 1) from the top 53 bits: the same on every platform and run.
double unit_draw(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0); }

}  // namespace

void apply_fault(const FaultHit& hit, HttpResponse& resp) {
  resp.delay_ms = hit.delay_ms;
  if (hit.transport != Transport::Normal) resp.transport = hit.transport;
  if (hit.http_status) {
    resp.status = *hit.http_status;
    resp.body = hit.http_body;
    resp.content_type = hit.http_content_type;
  }
}

FaultEngine::FaultEngine() = default;
FaultEngine::~FaultEngine() = default;

FaultAddResult FaultEngine::add(const JsonValue& v) {
  FaultAddResult res;
  std::vector<std::unique_ptr<Rule>> parsed;
  auto parse_one = [&](const JsonValue& item, const std::string& where) -> bool {
    auto r = std::make_unique<Rule>();
    std::string err = parse_rule(item, *r);
    if (!err.empty()) {
      res.error = where + err;
      return false;
    }
    parsed.push_back(std::move(r));
    return true;
  };
  if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      if (!parse_one(v[i], "rule " + std::to_string(i) + ": ")) return res;
  } else if (v.IsObject()) {
    if (!parse_one(v, "")) return res;
  } else {
    res.error = "the body must be a rule object or an array of rule objects";
    return res;
  }

  std::lock_guard lk(mu_);
  std::unordered_set<std::string> taken;
  for (const auto& r : rules_) taken.insert(r->id);
  for (size_t i = 0; i < parsed.size(); ++i) {
    const std::string& id = parsed[i]->id;
    if (!id.empty() && !taken.insert(id).second) {
      res.conflict = true;
      res.error = (v.IsArray() ? "rule " + std::to_string(i) + ": " : std::string()) + "a rule with id '" + id +
                  "' already exists";
      return res;
    }
  }
  for (auto& r : parsed) {
    if (r->id.empty()) {
      do r->id = "f" + std::to_string(next_id_++);
      while (!taken.insert(r->id).second);
    }
    res.ids.push_back(r->id);
    rules_.push_back(std::move(r));
    active_.fetch_add(1, std::memory_order_relaxed);
  }
  return res;
}

Json FaultEngine::list() const {
  Json doc(rapidjson::kObjectType);
  Alloc& a = doc.GetAllocator();
  JsonValue arr(rapidjson::kArrayType);
  std::lock_guard lk(mu_);
  for (const auto& r : rules_) {
    JsonValue item;
    write_rule(*r, doc, item);
    arr.PushBack(item, a);
  }
  doc.AddMember("faults", arr, a);
  return doc;
}

std::optional<Json> FaultEngine::get(std::string_view id) const {
  std::lock_guard lk(mu_);
  for (const auto& r : rules_) {
    if (r->id != id) continue;
    Json doc;
    write_rule(*r, doc, doc);
    return doc;
  }
  return std::nullopt;
}

bool FaultEngine::remove(std::string_view id) {
  std::lock_guard lk(mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if ((*it)->id != id) continue;
    if ((*it)->active) active_.fetch_sub(1, std::memory_order_relaxed);
    rules_.erase(it);
    return true;
  }
  return false;
}

size_t FaultEngine::clear() {
  std::lock_guard lk(mu_);
  size_t n = rules_.size();
  rules_.clear();
  active_.store(0, std::memory_order_relaxed);
  return n;
}

size_t FaultEngine::size() const {
  std::lock_guard lk(mu_);
  return rules_.size();
}

std::optional<FaultHit> FaultEngine::match(std::string_view action, std::string_view job_id, std::string_view tenant,
                                           std::string_view region) {
  if (active_.load(std::memory_order_relaxed) == 0) return std::nullopt;
  std::lock_guard lk(mu_);
  for (auto& rp : rules_) {
    Rule& r = *rp;
    if (!r.active) continue;
    if ((r.action && *r.action != action) || (r.job_id && *r.job_id != job_id) || (r.tenant && *r.tenant != tenant) ||
        (r.region && *r.region != region))
      continue;
    ++r.matched;
    if (r.after && r.matched <= static_cast<uint64_t>(*r.after)) continue;
    if (r.probability && !(unit_draw(r.rng) < *r.probability)) continue;
    ++r.fired;
    if (r.times && r.fired >= static_cast<uint64_t>(*r.times)) {
      r.active = false;
      active_.fetch_sub(1, std::memory_order_relaxed);
    }
    FaultHit hit;
    hit.rule_id = r.id;
    hit.error = r.error;
    hit.transport = r.transport;
    if (r.http_status) {
      hit.http_status = r.http_status;
      hit.http_body = r.http_body;
      hit.http_content_type = r.http_content_type;
    }
    hit.delay_ms = r.delay_ms.value_or(0);
    return hit;
  }
  return std::nullopt;
}

}  // namespace dtsmock
