#include "state/job_faults.h"

#include <algorithm>

#include "state/compare_tasks.h"
#include "state/job_access.h"
#include "state/job_repo.h"

namespace dtsmock {
namespace {

std::variant<Job, FaultError> open_any(Store& s, const Clock& c, std::string_view job_id) {
  auto j = load_job_any(s, job_id);
  if (!j) return FaultError{FaultError::NotFound, "no job " + std::string(job_id)};
  advance_job(s, *j, c.now());
  return std::move(*j);
}

std::string json_list(const std::vector<std::string>& v) {
  Json d(rapidjson::kArrayType);
  for (const auto& x : v) d.PushBack(jstr(x, d.GetAllocator()), d.GetAllocator());
  return to_string(d);
}

}  // namespace

std::optional<FaultError> schedule_failure(Store& s, const Clock& c, std::string_view job_id, const FailureSpec& f) {
  if (f.status != Status::error && f.status != Status::resumableErr && f.status != Status::failed)
    return FaultError{FaultError::BadRequest, "a failure ends in status error, resumableErr or failed, not " + std::string(status_name(f.status))};
  if (f.after_ms < 0) return FaultError{FaultError::BadRequest, "the delay must not be negative"};
  auto opened = open_any(s, c, job_id);
  if (auto* e = std::get_if<FaultError>(&opened)) return *e;
  Job& j = std::get<Job>(opened);
  if (f.step_id) {
    auto plan = j.steps.empty() ? engine::plan_steps(j, s.timing()) : j.steps;
    std::string ids;
    bool known = false;
    for (const Step& st : plan) {
      known = known || st.id == *f.step_id;
      ids += (ids.empty() ? "" : ", ") + st.id;
    }
    if (!known) return FaultError{FaultError::BadRequest, "the job has no step " + *f.step_id + " (its steps: " + ids + ")"};
  }
  Millis now = c.now();
  engine::arm_failure(j, now, f);
  advance_job(s, j, now);  // a failure due now fires at once
  persist(s, j);
  return std::nullopt;
}

std::optional<FaultError> force_status(Store& s, const Clock& c, std::string_view job_id, Status status, std::optional<Trade> trade) {
  if (status >= Status::Count_) return FaultError{FaultError::BadRequest, "unknown status"};
  auto opened = open_any(s, c, job_id);
  if (auto* e = std::get_if<FaultError>(&opened)) return *e;
  Job& j = std::get<Job>(opened);
  Millis now = c.now();
  engine::force(j, now, s.timing(), status);
  if (trade) {
    j.trade_status = std::string(trade_name(*trade));
    j.trade_since = now;
    j.trade_phase_ms = *trade == Trade::isolating ? s.timing().of("isolating")
                       : *trade == Trade::offlining ? s.timing().of("offlining")
                       : *trade == Trade::resizing  ? s.timing().of("resizing")
                                                    : 0;
    if (*trade == Trade::isolated || *trade == Trade::isolating) j.isolate_ms = j.isolate_ms ? j.isolate_ms : now;
    if (*trade == Trade::resizing && j.pending_class.empty()) j.pending_class = j.instance_class;
    if (*trade == Trade::offlined) j.offline_ms = now;
    j.removed = *trade == Trade::offlined ? 1 : 0;
  }
  persist(s, j);
  return std::nullopt;
}

std::optional<FaultError> set_check_outcome(Store& s, const Clock& c, std::string_view job_id, const std::vector<std::string>& fail_steps,
                                            const std::vector<std::string>& warn_steps) {
  auto opened = open_any(s, c, job_id);
  if (auto* e = std::get_if<FaultError>(&opened)) return *e;
  Job& j = std::get<Job>(opened);
  auto plan = engine::check_plan(j);
  for (const auto* list : {&fail_steps, &warn_steps})
    for (const auto& id : *list)
      if (std::none_of(plan.begin(), plan.end(), [&](const auto& p) { return p.first == id; })) {
        std::string ids;
        for (const auto& p : plan) ids += (ids.empty() ? "" : ", ") + p.first;
        return FaultError{FaultError::BadRequest, "the job's check has no step " + id + " (its steps: " + ids + ")"};
      }
  j.check_fail = json_list(fail_steps);
  j.check_warn = json_list(warn_steps);
  persist(s, j);
  return std::nullopt;
}

std::optional<FaultError> set_compare_outcome(Store& s, const Clock& c, std::string_view job_id, std::string_view conclusion,
                                              std::string_view outcome) {
  if (conclusion != "same" && conclusion != "different") return FaultError{FaultError::BadRequest, "conclusion is same or different"};
  if (outcome != "success" && outcome != "failed") return FaultError{FaultError::BadRequest, "outcome is success or failed"};
  auto opened = open_any(s, c, job_id);
  if (auto* e = std::get_if<FaultError>(&opened)) return *e;
  Job& j = std::get<Job>(opened);
  Millis now = c.now();
  for (auto& t : load_compare_tasks(s, j.id)) {
    settle_compare_task(t, j, now);
    std::string st = compare_status(t, now);
    if (st == "success" || st == "failed" || st == "canceled") continue;
    t.conclusion = std::string(conclusion);
    t.outcome = std::string(outcome);
    save_compare_task(s, t);
  }
  persist(s, j);
  return std::nullopt;
}

std::variant<FailureSpec, FaultError> failure_from_json(const JsonValue& body) {
  FailureSpec f;
  if (body.IsNull()) return f;
  if (!body.IsObject()) return FaultError{FaultError::BadRequest, "the body must be a JSON object"};
  // Strict: a misspelt member (afterSecond) must not silently fail the job now.
  static constexpr std::string_view kKnown[] = {"status", "stepId", "afterMs", "afterSeconds", "code", "message", "solution"};
  for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it) {
    std::string_view k(it->name.GetString(), it->name.GetStringLength());
    if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown))
      return FaultError{FaultError::BadRequest, "unknown member '" + std::string(k) +
                                                    "' (known: status, stepId, afterMs, afterSeconds, code, message, solution)"};
  }
  for (const char* name : {"status", "stepId", "code", "message", "solution"})
    if (const JsonValue* v = member(body, name); v && !v->IsString())
      return FaultError{FaultError::BadRequest, std::string(name) + " must be a string"};
  if (const JsonValue* v = member(body, "afterMs"); v && !(v->IsInt64() && v->GetInt64() >= 0))
    return FaultError{FaultError::BadRequest, "afterMs must be a non-negative whole number"};
  if (const JsonValue* v = member(body, "afterSeconds"); v && !(v->IsNumber() && v->GetDouble() >= 0))
    return FaultError{FaultError::BadRequest, "afterSeconds must be a non-negative number"};
  if (auto st = str_member(body, "status")) {
    auto s = parse_status(*st);
    if (!s) return FaultError{FaultError::BadRequest, "unknown status " + *st};
    f.status = *s;
  }
  if (auto step = str_member(body, "stepId"); step && !step->empty()) f.step_id = *step;
  if (auto ms = int_member(body, "afterMs")) f.after_ms = *ms;
  if (const JsonValue* sec = member(body, "afterSeconds"); sec && sec->IsNumber()) f.after_ms = static_cast<Millis>(sec->GetDouble() * 1000);
  if (auto code = str_member(body, "code")) f.code = *code;
  if (auto msg = str_member(body, "message")) f.message = *msg;
  if (auto sol = str_member(body, "solution")) f.solution = *sol;
  return f;
}

std::optional<Json> describe_job_any(Store& s, const Clock& c, std::string_view job_id) {
  auto opened = open_any(s, c, job_id);
  if (std::holds_alternative<FaultError>(opened)) return std::nullopt;
  Job& j = std::get<Job>(opened);
  persist(s, j);
  Json d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  RenderCtx rc{c.now(), TimeFmt{}, Lang::En};
  JsonValue body = render_with_compare(s, j, rc, true, a);
  merge_into(d, body, a);
  return d;
}

}  // namespace dtsmock
