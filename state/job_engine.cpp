#include "state/job_engine.h"

#include <algorithm>
#include <set>

#include "state/json.h"

namespace dtsmock {
namespace engine {
namespace {

using S = Status;

constexpr Millis k48h = 48LL * 3600 * 1000;

// ---- small JSON helpers -------------------------------------------------------

std::set<std::string> string_set(const std::string& json_array) {
  std::set<std::string> out;
  Json d;
  if (!parse_json(json_array, d) || !d.IsArray()) return out;
  for (const auto& v : d.GetArray())
    if (v.IsString()) out.emplace(v.GetString(), v.GetStringLength());
  return out;
}

// [{"Message","Solution","HelpDoc"}] — StepDetailInfo.Errors.
std::string step_tip_json(std::string_view message, std::string_view solution) {
  Json d(rapidjson::kArrayType);
  auto& a = d.GetAllocator();
  JsonValue o(rapidjson::kObjectType);
  o.AddMember("Message", jstr(message, a), a);
  o.AddMember("Solution", jstr(solution, a), a);
  o.AddMember("HelpDoc", jstr("", a), a);
  d.PushBack(o, a);
  return to_string(d);
}

// [{"Code","Solution","ErrorLog","HelpDoc"}] — DescribeMigrationDetail.ErrorInfo.
std::string error_info_json(std::string_view code, std::string_view message, std::string_view solution) {
  Json d(rapidjson::kArrayType);
  auto& a = d.GetAllocator();
  JsonValue o(rapidjson::kObjectType);
  o.AddMember("Code", jstr(code, a), a);
  o.AddMember("Solution", jstr(solution, a), a);
  o.AddMember("ErrorLog", jstr(message, a), a);
  o.AddMember("HelpDoc", jstr("", a), a);
  d.PushBack(o, a);
  return to_string(d);
}

struct Armed {
  FailureSpec spec;
  Millis armed_at = 0;
};

std::optional<Armed> parse_pending(const std::string& text) {
  if (text.empty()) return std::nullopt;
  Json d;
  if (!parse_json(text, d) || !d.IsObject()) return std::nullopt;
  Armed a;
  a.spec.status = parse_status(str_member(d, "Status").value_or("error")).value_or(S::error);
  a.spec.step_id = str_member(d, "StepId");
  a.spec.after_ms = int_member(d, "AfterMs").value_or(0);
  a.spec.code = str_member(d, "Code").value_or("");
  a.spec.message = str_member(d, "Message").value_or("");
  a.spec.solution = str_member(d, "Solution").value_or("");
  a.armed_at = int_member(d, "ArmedAt").value_or(0);
  return a;
}

bool valid_step(const Job& j) { return j.cur_step >= 0 && static_cast<size_t>(j.cur_step) < j.steps.size(); }

// When the step running now finishes by itself.
Millis step_end(const Job& j) {
  const Step& s = j.steps[static_cast<size_t>(j.cur_step)];
  return j.seg_start + std::max<Millis>(0, s.planned - s.done);
}

Millis failure_time(const Job& j) {
  auto p = parse_pending(j.pending_failure);
  if (!p) return kNever;
  S s = j.st();
  if (s != S::running && s != S::readyComplete) return kNever;
  const Millis after = std::max<Millis>(0, p->spec.after_ms);
  if (p->spec.step_id) {
    if (!valid_step(j) || j.steps[static_cast<size_t>(j.cur_step)].id != *p->spec.step_id) return kNever;
    const Step& step = j.steps[static_cast<size_t>(j.cur_step)];
    if (s == S::readyComplete) return std::max(p->armed_at, j.since) + after;
    Millis fire = std::max(p->armed_at, j.seg_start) + after;
    // A step that ends by itself fails no later than its end: the failure is guaranteed to hit it.
    if (!step.incremental) fire = std::min(fire, step_end(j));
    return fire;
  }
  return std::max(p->armed_at + after, j.since);
}

enum class Ev { None, Trade, Failure, Phase, StepDone, AutoRetry };
struct Due {
  Millis at = kNever;
  Ev ev = Ev::None;
};

Due next_due(const Job& j) {
  Due d;
  // Strictly earlier wins, so on a tie the event considered first happens first.
  auto consider = [&](Millis at, Ev ev) {
    if (at < d.at) d = Due{at, ev};
  };
  Trade tr = j.trade();
  if (tr == Trade::isolating || tr == Trade::offlining || tr == Trade::resizing) consider(j.trade_since + j.trade_phase_ms, Ev::Trade);
  consider(failure_time(j), Ev::Failure);
  switch (j.st()) {
    case S::creating:
    case S::checking:
    case S::pausing:
    case S::resuming:
    case S::stopping:
    case S::completing:
      consider(j.since + j.phase_ms, Ev::Phase);
      break;
    case S::readyRun:
      consider(std::max(j.since + j.phase_ms, j.run_mode == "timed" ? j.expect_run_ms : 0), Ev::Phase);
      break;
    case S::running:
      if (valid_step(j) && j.steps[static_cast<size_t>(j.cur_step)].status == "running") consider(step_end(j), Ev::StepDone);
      break;
    case S::resumableErr:
      if (j.auto_retry_minutes > 0) consider(j.since + j.phase_ms, Ev::AutoRetry);
      break;
    default:
      break;
  }
  return d;
}

// ---- transitions --------------------------------------------------------------

void start_step(Job& j, size_t i, Millis t) {
  Step& s = j.steps[i];
  s.status = "running";
  if (s.start == 0) s.start = t;
  j.cur_step = static_cast<int64_t>(i);
  j.seg_start = t;
}

// Banks the work of the running segment, so progress stops moving.
void freeze(Job& j, Millis t) {
  if (j.st() != S::running || !valid_step(j)) return;
  Step& s = j.steps[static_cast<size_t>(j.cur_step)];
  if (s.status == "running") s.done = std::min(s.planned, s.done + std::max<Millis>(0, t - j.seg_start));
  j.seg_start = t;
}

void cancel_running_steps(Job& j) {
  for (Step& s : j.steps)
    if (s.status == "running") s.status = "canceled";
}

void ensure_steps(Job& j, Millis t, const Timing& tm) {
  if (j.steps.empty()) j.steps = plan_steps(j, tm);
  if (j.start_ms == 0) j.start_ms = t;
}

Millis retry_delay(const Job& j, const Timing& tm) {
  if (j.auto_retry_minutes <= 0) return 0;
  return std::min(tm.of("autoRetry"), j.auto_retry_minutes * 60000);
}

void apply_failure(Job& j, Millis t, const Timing& tm, const FailureSpec& f) {
  freeze(j, t);
  if (valid_step(j)) {
    Step& s = j.steps[static_cast<size_t>(j.cur_step)];
    s.status = "failed";
    s.message = f.message;
    s.errors = step_tip_json(f.message, f.solution);
  }
  j.error_info = error_info_json(f.code, f.message, f.solution);
  j.brief_msg = f.message;
  j.pending_failure.clear();
  if (f.status == S::failed) j.end_ms = t;
  enter(j, f.status, t, f.status == S::resumableErr ? retry_delay(j, tm) : 0);
}

void finish_check(Job& j, Millis t) {
  Json d;
  bool pass = true;
  if (parse_json(j.check_steps, d) && d.IsArray())
    for (const auto& step : d.GetArray())
      if (str_member(step, "StepStatus").value_or("") == "failed" && !bool_member(step, "HasSkipped").value_or(false)) pass = false;
  j.check_end = t;
  j.check_status = "success";
  j.check_flag = pass ? "checkPass" : "checkNotPass";
  enter(j, pass ? S::checkPass : S::checkNotPass, t);
}

// The check results a check started now will report (revealed when it ends).
std::string check_results(const Job& j) {
  auto fail = string_set(j.check_fail), warn = string_set(j.check_warn), skipped = string_set(j.check_skipped);
  Json d(rapidjson::kArrayType);
  auto& a = d.GetAllocator();
  int64_t no = 0;
  for (const auto& [id, name] : check_plan(j)) {
    bool failed = fail.count(id) > 0, warned = !failed && warn.count(id) > 0, skip = failed && skipped.count(id) > 0;
    JsonValue step(rapidjson::kObjectType);
    step.AddMember("StepNo", no++, a);
    step.AddMember("StepId", jstr(id, a), a);
    step.AddMember("StepName", jstr(name, a), a);
    step.AddMember("StepStatus", jstr(failed ? "failed" : warned ? "warning" : "pass", a), a);
    step.AddMember("StepMessage", jstr(failed && !skip ? "the simulated check of " + id + " failed" : "", a), a);
    JsonValue items(rapidjson::kArrayType);
    if (failed || warned) {
      JsonValue item(rapidjson::kObjectType);
      item.AddMember("CheckItemName", jstr(name, a), a);
      item.AddMember("Description", jstr("", a), a);
      item.AddMember("CheckResult", jstr(failed && !skip ? "failed" : "warning", a), a);
      item.AddMember("FailureReason", jstr(failed && !skip ? "simulated check failure (dtsmock control API)" : "", a), a);
      item.AddMember("Solution", jstr(failed && !skip ? "fix the cause, or skip this item with SkipCheckItem and check again" : "", a), a);
      JsonValue log(rapidjson::kArrayType);
      log.PushBack(jstr(skip ? "skipped" : failed ? "simulated check failure" : "simulated check warning", a), a);
      item.AddMember("ErrorLog", log, a);
      JsonValue help(rapidjson::kArrayType);
      help.PushBack(jstr("", a), a);
      item.AddMember("HelpDoc", help, a);
      item.AddMember("SkipInfo", jstr("", a), a);
      items.PushBack(item, a);
    }
    step.AddMember("DetailCheckItems", items, a);
    step.AddMember("HasSkipped", skip, a);
    d.PushBack(step, a);
  }
  return to_string(d);
}

void end_of_phase(Job& j, Millis t, const Timing& tm) {
  switch (j.st()) {
    case S::creating:
      enter(j, S::created, t);
      break;
    case S::checking:
      finish_check(j, t);
      break;
    case S::readyRun:
      ensure_steps(j, t, tm);
      start_step(j, 0, t);
      enter(j, S::running, t);
      break;
    case S::pausing:
      enter(j, S::manualPaused, t);
      break;
    case S::resuming: {
      ensure_steps(j, t, tm);
      if (!valid_step(j)) j.cur_step = 0;
      Step& s = j.steps[static_cast<size_t>(j.cur_step)];
      s.message.clear();
      s.errors = "[]";
      if (s.incremental && s.done >= s.planned) {
        s.status = "running";
        j.seg_start = t;
        enter(j, S::readyComplete, t);
      } else {
        start_step(j, static_cast<size_t>(j.cur_step), t);
        enter(j, S::running, t);
      }
      break;
    }
    case S::stopping:
      cancel_running_steps(j);
      j.end_ms = t;
      enter(j, S::canceled, t);
      break;
    case S::completing:
      for (Step& s : j.steps) {
        if (s.incremental) {
          s.done = s.planned;
          s.status = "finished";
          s.finish = t;
        }
      }
      j.end_ms = t;
      enter(j, S::success, t);
      break;
    default:
      break;
  }
}

void step_done(Job& j, Millis t) {
  auto i = static_cast<size_t>(j.cur_step);
  Step& s = j.steps[i];
  s.done = s.planned;
  j.update_ms = t;
  if (s.incremental) {  // caught up: waits for CompleteMigrateJob, the step keeps running
    enter(j, S::readyComplete, t);
    return;
  }
  s.status = "finished";
  s.finish = t;
  if (i + 1 < j.steps.size()) {
    start_step(j, i + 1, t);
  } else {
    j.end_ms = t;
    enter(j, S::success, t);
  }
}

void trade_done(Job& j, Millis t) {
  switch (j.trade()) {
    case Trade::isolating:
      j.trade_status = "isolated";
      break;
    case Trade::offlining:
      j.trade_status = "offlined";
      j.offline_ms = t;
      j.offline_reason = "manual";
      j.removed = 1;
      break;
    case Trade::resizing:
      j.trade_status = "normal";
      if (!j.pending_class.empty()) j.instance_class = j.pending_class;
      j.pending_class.clear();
      break;
    default:
      break;
  }
  j.trade_since = t;
  j.trade_phase_ms = 0;
  j.update_ms = t;
}

}  // namespace

// ---- plans --------------------------------------------------------------------

std::vector<Step> plan_steps(const Job& j, const Timing& tm) {
  struct Def {
    std::string_view id, name;
    bool incremental;
  };
  // [G] Redis step ids are not documented; these names are dtsmock's.
  static constexpr Def kRedis[] = {{"fullSync", "全量数据同步", false}, {"incrSync", "增量数据同步", true}};
  static constexpr Def kSql[] = {{"dumper", "源库导出", false}, {"loader", "数据导入", false}, {"sinker", "同步增量", true}};
  std::vector<Step> out;
  auto add = [&](const Def& d) {
    Step s;
    s.no = static_cast<int64_t>(out.size()) + 1;
    s.id = d.id;
    s.name = d.name;
    s.incremental = d.incremental;
    s.planned = d.incremental ? tm.of("catchUp") : tm.step(d.id);
    out.push_back(std::move(s));
  };
  if (is_redis_link(j)) {
    for (const auto& d : kRedis) add(d);
  } else {
    bool incremental = j.migrate_type.empty() || j.migrate_type == "fullAndIncrement";
    for (const auto& d : kSql)
      if (!d.incremental || incremental) add(d);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> check_plan(const Job& j) {
  static const std::vector<std::pair<std::string, std::string>> kMysql = {
      {"ConnectDBCheck", "连接DB检查"},       {"VersionCheck", "版本检查"},         {"SrcPrivilegeCheck", "源实例权限检查"},
      {"SimpleParamCheck", "部分实例参数检查"}, {"DstPrivilegeCheck", "目标实例权限检查"}, {"DstEmptyCheck", "目标实例内容冲突检查"},
      {"DstSpaceCheck", "目标实例空间检查"},   {"BinlogParamCheck", "binlog参数检查"},  {"ConstraintCheck", "外键依赖检查"},
      {"ConstraintRefCheck", "外键部分库表依赖检查"}, {"ViewCheck", "视图检查"},     {"WarningParamCheck", "警告项检查"},
      {"OptimizeCheck", "周边检查"},
  };
  // [G] Redis check ids are not documented: the checks the product pages name.
  static const std::vector<std::pair<std::string, std::string>> kRedis = {
      {"ConnectDBCheck", "连接DB检查"}, {"VersionCheck", "版本检查"}, {"SrcParamCheck", "源实例参数检查"}, {"DstEmptyCheck", "目标实例空检查"}};
  static const std::vector<std::pair<std::string, std::string>> kOther = {
      {"ConnectDBCheck", "连接DB检查"},         {"VersionCheck", "版本检查"},           {"SrcPrivilegeCheck", "源实例权限检查"},
      {"DstPrivilegeCheck", "目标实例权限检查"}, {"DstEmptyCheck", "目标实例内容冲突检查"}, {"DstSpaceCheck", "目标实例空间检查"},
      {"OptimizeCheck", "周边检查"},
  };
  static const std::set<std::string, std::less<>> kMysqlFamily = {"mysql", "percona", "mariadb", "cynosdbmysql", "tdsqlmysql",
                                                                   "tdsqlpercona", "tdstore"};
  if (is_redis_link(j)) return kRedis;
  if (kMysqlFamily.count(j.src_type)) return kMysql;
  return kOther;
}

// ---- advancement --------------------------------------------------------------

Millis next_event(const Job& j) { return next_due(j).at; }

bool advance(Job& j, Millis now, const Timing& tm) {
  bool changed = false;
  // Each event changes the job; the bound only guards against a logic error looping forever.
  for (int guard = 0; guard < 100000; ++guard) {
    Due d = next_due(j);
    if (d.ev == Ev::None || d.at > now) break;
    changed = true;
    switch (d.ev) {
      case Ev::Trade:
        trade_done(j, d.at);
        break;
      case Ev::Failure:
        if (auto p = parse_pending(j.pending_failure)) apply_failure(j, d.at, tm, p->spec);
        break;
      case Ev::Phase:
        end_of_phase(j, d.at, tm);
        break;
      case Ev::StepDone:
        step_done(j, d.at);
        break;
      case Ev::AutoRetry:
        resume(j, d.at, tm, default_resume_option(j), true);
        break;
      case Ev::None:
        break;
    }
  }
  j.next_event = next_event(j);
  return changed;
}

// ---- actions ------------------------------------------------------------------

void enter(Job& j, Status s, Millis t, Millis phase_ms) {
  j.status = std::string(status_name(s));
  j.since = t;
  j.phase_ms = phase_ms;
  j.update_ms = t;
}

void configure_done(Job& j, Millis t) {
  j.check_status = "notStarted";
  j.check_flag.clear();
  j.check_steps = "[]";
  j.check_skipped = "[]";
  j.check_start = j.check_end = 0;
  j.configured = 1;
  enter(j, S::created, t);
}

void begin_check(Job& j, Millis t, const Timing& tm) {
  j.check_steps = check_results(j);
  j.check_status = "running";
  j.check_flag.clear();
  j.check_start = t;
  j.check_end = 0;
  enter(j, S::checking, t, tm.of("checking"));
}

void start(Job& j, Millis t, const Timing& tm) {
  j.start_ms = t;
  j.end_ms = 0;
  j.steps = plan_steps(j, tm);
  j.cur_step = -1;
  j.seg_start = 0;
  j.error_info = "[]";
  j.brief_msg.clear();
  enter(j, S::readyRun, t, tm.of("readyRun"));
}

void pause(Job& j, Millis t, const Timing& tm) {
  freeze(j, t);
  enter(j, S::pausing, t, tm.of("pausing"));
}

void cont(Job& j, Millis t, const Timing& tm) { enter(j, S::resuming, t, tm.of("resuming")); }

void resume(Job& j, Millis t, const Timing& tm, std::string_view option, bool automatic) {
  ensure_steps(j, t, tm);
  ++j.resume_count;
  if (automatic) ++j.auto_resume_count;
  j.resume_option = std::string(option);
  j.error_info = "[]";
  j.brief_msg.clear();
  j.end_ms = 0;
  if (is_redis_link(j)) {
    // clearData (target emptied), overwrite (keys written over) and normal all
    // replay the transfer from its first step.
    for (Step& s : j.steps) {
      s.status = "notStarted";
      s.start = s.finish = s.done = 0;
      s.message.clear();
      s.errors = "[]";
    }
    j.cur_step = 0;
  } else {
    // normal: back into the step that failed, from its checkpoint; finished steps keep their progress.
    if (!valid_step(j)) j.cur_step = 0;
    Step& s = j.steps[static_cast<size_t>(j.cur_step)];
    s.errors = "[]";
    s.message.clear();
    // The export is only resumable within 48 hours of the start (DumperResumeCtrl=no after that).
    if (s.id == "dumper" && t - j.start_ms > k48h) s.done = 0;
  }
  enter(j, S::resuming, t, tm.of("resuming"));
}

void stop(Job& j, Millis t, const Timing& tm) {
  freeze(j, t);
  j.pending_failure.clear();
  enter(j, S::stopping, t, tm.of("stopping"));
}

void complete(Job& j, Millis t, const Timing& tm) { enter(j, S::completing, t, tm.of("completing")); }

namespace {
constexpr StatusSet kTerminal = bit(S::success) | bit(S::failed) | bit(S::canceled);

// Isolation ends whatever ran: a live job becomes canceled (RecoverMigrateJob brings it back).
void cancel_for_isolation(Job& j, Millis t) {
  j.pre_isolate_status = j.status;
  j.pending_failure.clear();
  if (kTerminal & bit(j.st())) return;
  freeze(j, t);
  cancel_running_steps(j);
  j.end_ms = t;
  enter(j, S::canceled, t);
}
}  // namespace

void isolate(Job& j, Millis t, const Timing& tm) {
  cancel_for_isolation(j, t);
  j.isolate_ms = t;
  j.isolate_reason = "manual";
  j.update_ms = t;
  if (j.trade() == Trade::notBilled) {
    // Nothing to refund: the job is destroyed at once (TradeStatus stays notBilled).
    j.offline_ms = t;
    j.offline_reason = "manual";
    j.removed = 1;
    return;
  }
  j.trade_status = "isolating";
  j.trade_since = t;
  j.trade_phase_ms = tm.of("isolating");
}

void recover(Job& j, Millis t, const Timing& tm) {
  j.trade_status = "normal";
  j.trade_since = t;
  j.trade_phase_ms = 0;
  j.isolate_ms = 0;
  j.isolate_reason.clear();
  j.update_ms = t;
  auto before = parse_status(j.pre_isolate_status);
  j.pre_isolate_status.clear();
  if (!before || *before == j.st()) return;
  j.end_ms = 0;
  if (valid_step(j)) {
    Step& s = j.steps[static_cast<size_t>(j.cur_step)];
    if (s.status == "canceled") s.status = "running";
  }
  j.seg_start = t;
  enter(j, *before, t, *before == S::resumableErr ? retry_delay(j, tm) : 0);
}

void destroy(Job& j, Millis t, const Timing& tm) {
  j.trade_status = "offlining";
  j.trade_since = t;
  j.trade_phase_ms = tm.of("offlining");
  j.update_ms = t;
}

void resize(Job& j, Millis t, const Timing& tm, std::string_view new_class, std::string_view new_deal) {
  j.trade_status = "resizing";
  j.trade_since = t;
  j.trade_phase_ms = tm.of("resizing");
  j.pending_class = std::string(new_class);
  j.last_deal_name = j.deal_name;
  j.deal_name = std::string(new_deal);
  j.update_ms = t;
}

void arm_failure(Job& j, Millis t, const FailureSpec& f) {
  Json d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  d.AddMember("Status", jstr(status_name(f.status), a), a);
  if (f.step_id) d.AddMember("StepId", jstr(*f.step_id, a), a);
  d.AddMember("AfterMs", f.after_ms, a);
  d.AddMember("Code", jstr(f.code, a), a);
  d.AddMember("Message", jstr(f.message, a), a);
  d.AddMember("Solution", jstr(f.solution, a), a);
  d.AddMember("ArmedAt", t, a);
  j.pending_failure = to_string(d);
}

void fail_now(Job& j, Millis t, const Timing& tm, const FailureSpec& f) { apply_failure(j, t, tm, f); }

void force(Job& j, Millis t, const Timing& tm, Status s) {
  switch (s) {
    case S::creating:
      enter(j, s, t, tm.of("creating"));
      break;
    case S::checking:
      begin_check(j, t, tm);
      break;
    case S::checkPass:
    case S::checkNotPass:
      if (j.check_status != "success") j.check_steps = check_results(j);
      j.check_status = "success";
      j.check_flag = std::string(status_name(s));
      if (j.check_start == 0) j.check_start = t;
      j.check_end = t;
      enter(j, s, t);
      break;
    case S::readyRun:
      start(j, t, tm);
      break;
    case S::running:
      ensure_steps(j, t, tm);
      start_step(j, valid_step(j) ? static_cast<size_t>(j.cur_step) : 0, t);
      j.steps[static_cast<size_t>(j.cur_step)].errors = "[]";
      enter(j, s, t);
      break;
    case S::readyComplete:
    case S::success: {
      ensure_steps(j, t, tm);
      for (size_t i = 0; i < j.steps.size(); ++i) {
        Step& st = j.steps[i];
        if (st.start == 0) st.start = t;
        st.done = st.planned;
        st.errors = "[]";
        bool keep_running = s == S::readyComplete && st.incremental;
        st.status = keep_running ? "running" : "finished";
        if (!keep_running && st.finish == 0) st.finish = t;
        j.cur_step = static_cast<int64_t>(i);
      }
      j.seg_start = t;
      if (s == S::success) j.end_ms = t;
      enter(j, s, t);
      break;
    }
    case S::failed:
    case S::error:
    case S::resumableErr: {
      FailureSpec f;
      f.status = s;
      apply_failure(j, t, tm, f);
      break;
    }
    case S::stopping:
      stop(j, t, tm);
      break;
    case S::canceled:
      freeze(j, t);
      cancel_running_steps(j);
      j.end_ms = t;
      enter(j, s, t);
      break;
    case S::pausing:
    case S::manualPaused:
    case S::resuming:
      // States of a job that has been running: it needs a current step.
      ensure_steps(j, t, tm);
      if (!valid_step(j)) start_step(j, 0, t);
      freeze(j, t);
      enter(j, s, t, s == S::pausing ? tm.of("pausing") : s == S::resuming ? tm.of("resuming") : 0);
      break;
    case S::unknown:
    case S::created:
      freeze(j, t);
      enter(j, s, t);
      break;
    case S::completing:
      complete(j, t, tm);
      break;
    case S::Count_:
      break;
  }
  j.next_event = next_event(j);
}

std::string dst_write_mode(const Job& j) {
  Json d;
  if (parse_json(j.runtime_attrs, d))
    if (auto v = str_member(d, "DstWriteMode")) return *v;
  Json o;
  if (parse_json(j.migrate_option, o))
    if (const JsonValue* attrs = member(o, "ExtraAttr"); attrs && attrs->IsArray())
      for (const auto& kv : attrs->GetArray())
        if (str_member(kv, "Key").value_or("") == "DstWriteMode") return str_member(kv, "Value").value_or("overwrite");
  return "overwrite";
}

std::string default_resume_option(const Job& j) { return is_redis_link(j) ? dst_write_mode(j) : "normal"; }

// ---- progress -----------------------------------------------------------------

int64_t step_percent(const Job& j, size_t index, Millis now) {
  const Step& s = j.steps[index];
  if (s.status == "finished") return 100;
  if (s.planned <= 0) return s.status == "notStarted" ? 0 : 100;
  Millis work = s.done;
  if (static_cast<int64_t>(index) == j.cur_step && j.st() == S::running && s.status == "running") work += std::max<Millis>(0, now - j.seg_start);
  work = std::clamp<Millis>(work, 0, s.planned);
  return work * 100 / s.planned;
}

Millis catch_up_remaining(const Job& j, Millis now) {
  if (!valid_step(j)) return -1;
  const Step& s = j.steps[static_cast<size_t>(j.cur_step)];
  if (!s.incremental || s.status != "running") return -1;
  Millis work = s.done;
  if (j.st() == S::running) work += std::max<Millis>(0, now - j.seg_start);
  return std::max<Millis>(0, s.planned - work);
}

}  // namespace engine

bool is_redis_family(std::string_view t) { return t == "redis" || t == "tendis" || t == "keewidb"; }
bool is_redis_link(const Job& j) { return is_redis_family(j.src_type); }

JobView view_of(const Job& j) {
  JobView v;
  v.job_id = j.id;
  v.status = j.st();
  v.trade = j.trade();
  v.redis = is_redis_link(j);
  v.postpay = j.pay_type != "prepay";
  v.removed = j.removed != 0;
  return v;
}

}  // namespace dtsmock
