#include "state/job_render.h"

#include <algorithm>

#include "state/job_engine.h"
#include "state/json_put.h"
#include "state/shapes.h"

namespace dtsmock {
namespace {

using S = Status;


// Stored JSON text as a value (an empty array/object when unset or damaged).
JsonValue parsed(const std::string& text, Alloc& a, rapidjson::Type fallback) {
  Json d;
  if (text.empty() || !parse_json(text, d)) return JsonValue(fallback);
  return JsonValue(d, a);
}

JsonValue endpoint(const std::string& text, std::string_view region, std::string_view type, Alloc& a) {
  if (!text.empty()) return parsed(text, a, rapidjson::kObjectType);
  JsonValue minimal(rapidjson::kObjectType);
  put(minimal, "Region", region, a);
  put(minimal, "DatabaseType", type, a);
  return normalize(&minimal, shapes::DBEndpointInfo, a);
}

// MigrateOption with the runtime attributes (ModifyMigrateRuntimeAttribute) applied.
JsonValue migrate_option(const Job& j, Alloc& a) {
  JsonValue opt = j.migrate_option.empty() ? normalize(nullptr, shapes::MigrateOption, a) : parsed(j.migrate_option, a, rapidjson::kObjectType);
  Json attrs;
  if (!parse_json(j.runtime_attrs, attrs) || !attrs.IsObject()) return opt;
  if (auto ro = str_member(attrs, "IsDstReadOnly"); ro && opt.HasMember("IsDstReadOnly")) opt["IsDstReadOnly"].SetBool(*ro == "true");
  if (auto mode = str_member(attrs, "DstWriteMode"); mode && opt.HasMember("ExtraAttr") && opt["ExtraAttr"].IsArray()) {
    JsonValue& extra = opt["ExtraAttr"];
    bool found = false;
    for (auto& kv : extra.GetArray()) {
      if (str_member(kv, "Key").value_or("") == "DstWriteMode") {
        kv["Value"] = jstr(*mode, a);
        found = true;
      }
    }
    if (!found) {
      JsonValue kv(rapidjson::kObjectType);
      put(kv, "Key", "DstWriteMode", a);
      put(kv, "Value", *mode, a);
      extra.PushBack(kv, a);
    }
  }
  return opt;
}

JsonValue action_info(const Job& j, Alloc& a) {
  JsonValue o(rapidjson::kObjectType), all(rapidjson::kArrayType), allowed(rapidjson::kArrayType);
  for (auto v : all_action_verbs()) all.PushBack(jstr(v, a), a);
  for (const auto& v : allowed_action_verbs(view_of(j))) allowed.PushBack(jstr(v, a), a);
  put(o, "AllAction", std::move(all), a);
  put(o, "AllowedAction", std::move(allowed), a);
  return o;
}

JsonValue step_detail(const Job& j, size_t i, const RenderCtx& rc, Alloc& a) {
  const Step& s = j.steps[i];
  JsonValue o(rapidjson::kObjectType);
  put(o, "StepNo", s.no, a);
  put(o, "StepName", s.name, a);
  put(o, "StepId", s.id, a);
  put(o, "Status", s.status, a);
  put(o, "StartTime", rc.tf.or_empty(s.start), a);
  put(o, "FinishTime", rc.tf.or_empty(s.finish), a);
  put(o, "StepMessage", s.message, a);
  put(o, "Percent", engine::step_percent(j, i, rc.now), a);
  put(o, "Errors", parsed(s.errors, a, rapidjson::kArrayType), a);
  put(o, "Warnings", parsed(s.warnings, a, rapidjson::kArrayType), a);
  return o;
}

JsonValue migrate_detail(const Job& j, const RenderCtx& rc, Alloc& a) {
  JsonValue o(rapidjson::kObjectType), steps(rapidjson::kArrayType);
  for (size_t i = 0; i < j.steps.size(); ++i) steps.PushBack(step_detail(j, i, rc, a), a);
  Millis behind = engine::catch_up_remaining(j, rc.now);
  // [G] while catching up, one second behind the source is counted as 1 MB of distance.
  int64_t seconds = behind < 0 ? -1 : (behind + 999) / 1000;
  put(o, "StepAll", static_cast<int64_t>(j.steps.size()), a);
  put(o, "StepNow", j.cur_step >= 0 ? j.cur_step + 1 : 0, a);
  put(o, "MasterSlaveDistance", seconds, a);
  put(o, "SecondsBehindMaster", seconds, a);
  put(o, "StepInfo", std::move(steps), a);
  return o;
}

JsonValue trade_info(const Job& j, const RenderCtx& rc, Alloc& a) {
  JsonValue o(rapidjson::kObjectType);
  put(o, "DealName", j.deal_name, a);
  put(o, "LastDealName", j.last_deal_name, a);
  put(o, "InstanceClass", j.instance_class, a);
  put(o, "TradeStatus", j.trade_status, a);
  put(o, "ExpireTime", rc.tf.or_zero(j.expire_ms), a);
  put(o, "OfflineTime", rc.tf.or_zero(j.offline_ms), a);
  put(o, "IsolateTime", rc.tf.or_zero(j.isolate_ms), a);
  put(o, "OfflineReason", j.offline_reason, a);
  put(o, "IsolateReason", j.isolate_reason, a);
  put(o, "PayType", j.pay_type, a);
  put(o, "BillingType", j.billing_type, a);
  return o;
}

JsonValue tags_of(const Job& j, Alloc& a) {
  JsonValue arr(rapidjson::kArrayType);
  for (const auto& [k, v] : j.tags) {
    JsonValue t(rapidjson::kObjectType);
    put(t, "TagKey", k, a);
    put(t, "TagValue", v, a);
    arr.PushBack(t, a);
  }
  return arr;
}

JsonValue compare_info(const CompareBrief& c, Alloc& a) {
  JsonValue o(rapidjson::kObjectType);
  put(o, "CompareTaskId", c.id, a);
  put(o, "Status", c.status, a);
  return o;
}

JsonValue rate_limit_option(const Job& j, Alloc& a) {
  RateLimits d = default_rate_limits(j.instance_class), c = current_rate_limits(j);
  JsonValue o(rapidjson::kObjectType);
  put(o, "CurrentDumpThread", c.dump_thread, a);
  put(o, "DefaultDumpThread", d.dump_thread, a);
  put(o, "CurrentDumpRps", c.dump_rps, a);
  put(o, "DefaultDumpRps", d.dump_rps, a);
  put(o, "CurrentLoadThread", c.load_thread, a);
  put(o, "DefaultLoadThread", d.load_thread, a);
  put(o, "CurrentLoadRps", c.load_rps, a);
  put(o, "DefaultLoadRps", d.load_rps, a);
  put(o, "CurrentSinkerThread", c.sinker_thread, a);
  put(o, "DefaultSinkerThread", d.sinker_thread, a);
  put(o, "HasUserSetRateLimit", c.user_set ? "yes" : "no", a);
  return o;
}

std::string dumper_resume_ctrl(const Job& j, Millis now) {
  if (j.cur_step < 0 || static_cast<size_t>(j.cur_step) >= j.steps.size()) return "yes";
  const Step& s = j.steps[static_cast<size_t>(j.cur_step)];
  bool in_dumper = s.id == "dumper" && (s.status == "running" || s.status == "failed");
  return in_dumper && now - j.start_ms > 48LL * 3600 * 1000 ? "no" : "yes";
}

// ---- check progress ---------------------------------------------------------

struct CheckProgress {
  size_t total = 0, done = 0;  // steps whose result is known
  int64_t percent = 0;
  bool running = false;
};

CheckProgress check_progress(const Job& j, const JsonValue& steps, Millis now) {
  CheckProgress p;
  p.total = steps.IsArray() ? steps.Size() : 0;
  p.running = j.st() == S::checking;
  if (!p.running) {
    p.done = j.check_status == "success" ? p.total : 0;
    p.percent = j.check_status == "success" ? 100 : 0;
    return p;
  }
  Millis elapsed = std::clamp<Millis>(now - j.since, 0, std::max<Millis>(1, j.phase_ms));
  Millis span = std::max<Millis>(1, j.phase_ms);
  p.done = std::min(p.total, static_cast<size_t>(elapsed * static_cast<Millis>(p.total) / span));
  p.percent = elapsed * 100 / span;
  return p;
}

// The Detail's CheckStepInfo step status of a check result.
std::string_view detail_check_status(const JsonValue& step) {
  std::string r = str_member(step, "StepStatus").value_or("pass");
  if (r == "failed") return bool_member(step, "HasSkipped").value_or(false) ? "skipped" : "failed";
  return "finished";
}

JsonValue check_step_info(const Job& j, const RenderCtx& rc, Alloc& a) {
  JsonValue steps = parsed(j.check_steps, a, rapidjson::kArrayType);
  CheckProgress p = check_progress(j, steps, rc.now);
  JsonValue list(rapidjson::kArrayType);
  for (size_t i = 0; i < p.total; ++i) {
    const JsonValue& s = steps[static_cast<rapidjson::SizeType>(i)];
    bool known = i < p.done;
    std::string_view status = known ? detail_check_status(s) : (p.running && i == p.done ? "running" : "notStarted");
    JsonValue o(rapidjson::kObjectType), warnings(rapidjson::kArrayType), errors(rapidjson::kArrayType);
    if (known && s.HasMember("DetailCheckItems")) {
      for (const auto& item : s["DetailCheckItems"].GetArray()) {
        JsonValue tip(rapidjson::kObjectType);
        std::string log;
        if (item.HasMember("ErrorLog") && item["ErrorLog"].IsArray() && !item["ErrorLog"].Empty() && item["ErrorLog"][0].IsString())
          log = item["ErrorLog"][0].GetString();
        put(tip, "Message", log, a);
        put(tip, "Solution", str_member(item, "Solution").value_or(""), a);
        put(tip, "HelpDoc", "", a);
        (status == "failed" ? errors : warnings).PushBack(tip, a);
      }
    }
    put(o, "StepNo", static_cast<int64_t>(i), a);
    put(o, "StepName", str_member(s, "StepName").value_or(""), a);
    put(o, "StepId", str_member(s, "StepId").value_or(""), a);
    put(o, "Status", status, a);
    put(o, "StartTime", "", a);
    put(o, "FinishTime", "", a);
    put(o, "StepMessage", known ? str_member(s, "StepMessage").value_or("") : "", a);
    put(o, "Percent", known && status != "skipped" ? 100 : 0, a);
    put(o, "Errors", std::move(errors), a);
    put(o, "Warnings", std::move(warnings), a);
    list.PushBack(o, a);
  }
  std::string_view status = p.running ? "running" : j.check_status != "success" ? "notStarted" : j.check_flag == "checkPass" ? "success" : "failed";
  std::string_view message = status == "success" ? "success" : status == "failed" ? "check not passed" : "";
  JsonValue progress(rapidjson::kObjectType);
  put(progress, "Status", status, a);
  put(progress, "Percent", p.percent, a);
  put(progress, "StepAll", static_cast<int64_t>(p.total), a);
  put(progress, "StepNow", static_cast<int64_t>(p.done), a);
  put(progress, "Message", message, a);
  put(progress, "Steps", std::move(list), a);
  JsonValue o(rapidjson::kObjectType);
  put(o, "StartAt", rc.tf.or_empty(j.check_start), a);
  put(o, "EndAt", rc.tf.or_empty(j.check_end), a);
  put(o, "Progress", std::move(progress), a);
  return o;
}

}  // namespace

RateLimits default_rate_limits(std::string_view cls) {
  // [G] defaults by instance class; the real values are not documented.
  if (cls == "micro") return {2, 10000, 2, 10000, 8, false};
  if (cls == "small") return {4, 20000, 4, 20000, 16, false};
  if (cls == "large") return {12, 100000, 12, 100000, 64, false};
  if (cls == "xlarge") return {16, 200000, 16, 200000, 128, false};
  if (cls == "2xlarge") return {16, 500000, 16, 500000, 128, false};
  return {8, 50000, 8, 50000, 32, false};  // medium
}

RateLimits current_rate_limits(const Job& j) {
  RateLimits r = default_rate_limits(j.instance_class);
  Json d;
  if (j.rate_limit.empty() || !parse_json(j.rate_limit, d)) return r;
  r.dump_thread = int_member(d, "DumpThread").value_or(r.dump_thread);
  r.dump_rps = int_member(d, "DumpRps").value_or(r.dump_rps);
  r.load_thread = int_member(d, "LoadThread").value_or(r.load_thread);
  r.load_rps = int_member(d, "LoadRps").value_or(r.load_rps);
  r.sinker_thread = int_member(d, "SinkerThread").value_or(r.sinker_thread);
  r.user_set = bool_member(d, "UserSet").value_or(false);
  return r;
}

std::string rate_limits_json(const RateLimits& r) {
  Json d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  put(d, "DumpThread", r.dump_thread, a);
  put(d, "DumpRps", r.dump_rps, a);
  put(d, "LoadThread", r.load_thread, a);
  put(d, "LoadRps", r.load_rps, a);
  put(d, "SinkerThread", r.sinker_thread, a);
  d.AddMember("UserSet", r.user_set, a);
  return to_string(d);
}

std::string brief_msg(const Job& j, Lang lang) {
  if (!j.brief_msg.empty() || j.resume_count == 0) return j.brief_msg;
  std::string n = std::to_string(j.resume_count), autos = std::to_string(j.auto_resume_count);
  return make_error(Err::FailedOperation, Msg::ResumeSummary, {n, autos, j.resume_option}).message(lang);
}

JsonValue render_job(const Job& j, const RenderCtx& rc, const CompareBrief& cmp, bool detail, Alloc& a) {
  JsonValue o(rapidjson::kObjectType);
  put(o, "JobId", j.id, a);
  put(o, "JobName", j.name, a);
  put(o, "CreateTime", rc.tf.at(j.create_ms), a);
  put(o, "UpdateTime", rc.tf.at(std::max(j.update_ms, j.create_ms)), a);
  put(o, "StartTime", rc.tf.or_zero(j.start_ms), a);
  put(o, "EndTime", rc.tf.or_zero(j.end_ms), a);
  put(o, "BriefMsg", brief_msg(j, rc.lang), a);
  put(o, "Status", j.status, a);
  put(o, "RunMode", j.run_mode, a);
  put(o, "ExpectRunTime", rc.tf.or_empty(j.expect_run_ms), a);
  put(o, "Action", action_info(j, a), a);
  put(o, "StepInfo", migrate_detail(j, rc, a), a);
  put(o, "SrcInfo", endpoint(j.src_info, j.src_region, j.src_type, a), a);
  put(o, "DstInfo", endpoint(j.dst_info, j.dst_region, j.dst_type, a), a);
  put(o, "CompareTask", compare_info(cmp, a), a);
  put(o, "TradeInfo", trade_info(j, rc, a), a);
  put(o, "Tags", tags_of(j, a), a);
  put(o, "DumperResumeCtrl", dumper_resume_ctrl(j, rc.now), a);
  if (detail) {
    put(o, "MigrateOption", migrate_option(j, a), a);
    put(o, "CheckStepInfo", check_step_info(j, rc, a), a);
    put(o, "ErrorInfo", parsed(j.error_info, a, rapidjson::kArrayType), a);
    put(o, "RateLimitOption", rate_limit_option(j, a), a);
  } else {
    put(o, "AutoRetryTimeRangeMinutes", j.auto_retry_minutes, a);
  }
  return o;
}

JsonValue render_check_job(const Job& j, const RenderCtx& rc, Alloc& a) {
  JsonValue steps = parsed(j.check_steps, a, rapidjson::kArrayType);
  CheckProgress p = check_progress(j, steps, rc.now);
  JsonValue list(rapidjson::kArrayType);
  for (size_t i = 0; i < p.total; ++i) {
    JsonValue s(steps[static_cast<rapidjson::SizeType>(i)], a);
    if (i >= p.done) {  // result not known yet
      s["StepStatus"] = jstr("notStarted", a);
      s["StepMessage"] = jstr("", a);
      s["DetailCheckItems"].SetArray();
      s["HasSkipped"] = false;
    }
    list.PushBack(s, a);
  }
  const std::string status = p.running ? std::string("running") : j.check_status;
  std::string_view brief = status == "success" ? (j.check_flag == "checkPass" ? "success" : "check not passed") : "";
  JsonValue o(rapidjson::kObjectType);
  put(o, "Status", status, a);
  put(o, "BriefMsg", brief, a);
  put(o, "StepInfo", std::move(list), a);
  put(o, "CheckFlag", p.running ? "" : j.check_flag, a);
  return o;
}

void merge_into(JsonValue& to, JsonValue& from, Alloc& a) {
  for (auto& m : from.GetObject()) to.AddMember(JsonValue(m.name, a), m.value, a);
}

}  // namespace dtsmock
