#include "state/fixtures.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "state/compare_tasks.h"
#include "state/job_access.h"
#include "state/job_engine.h"
#include "state/job_repo.h"
#include "state/shapes.h"
#include "state/timefmt.h"

namespace dtsmock {
namespace {

// Opens a transaction unless the caller already has one.
class MaybeTx {
 public:
  explicit MaybeTx(Db& db) {
    if (sqlite3_get_autocommit(db.raw())) tx_.emplace(db);
  }
  void commit() {
    if (tx_) tx_->commit();
  }

 private:
  std::optional<Transaction> tx_;
};

Millis time_of(const JsonValue& v, std::string_view name) {
  auto s = str_member(v, name);
  if (!s || s->empty() || *s == kZeroTime) return 0;
  auto t = parse_api_time(*s);
  if (!t) throw FixtureError("field " + std::string(name) + ": `" + *s + "` is not a time");
  return *t;
}

std::string text_of(const JsonValue* v) { return v ? to_string(*v) : std::string(); }

// ---- compare tasks ------------------------------------------------------------

JsonValue task_to_json(const CompareTask& t, Alloc& a) {
  JsonValue o(rapidjson::kObjectType);
  auto s = [&](std::string_view k, const std::string& v) { o.AddMember(jstr(k, a), jstr(v, a), a); };
  auto i = [&](std::string_view k, int64_t v) { o.AddMember(jstr(k, a), JsonValue(v), a); };
  s("task_id", t.id);
  s("task_name", t.name);
  i("seq", t.seq);
  s("object_mode", t.object_mode);
  s("objects", t.objects);
  s("options", t.options);
  i("auto_created", t.auto_created);
  i("created_ms", t.created_ms);
  i("started_ms", t.started_ms);
  i("ready_ms", t.ready_ms);
  i("run_ms", t.run_ms);
  i("stop_ms", t.stop_ms);
  i("stopping_ms", t.stopping_ms);
  s("conclusion", t.conclusion);
  s("outcome", t.outcome);
  return o;
}

CompareTask task_from_json(const JsonValue& v, const std::string& job_id) {
  CompareTask t;
  t.job_id = job_id;
  t.id = str_member(v, "task_id").value_or("");
  t.name = str_member(v, "task_name").value_or(t.id);
  t.seq = int_member(v, "seq").value_or(1);
  t.object_mode = str_member(v, "object_mode").value_or("sameAsMigrate");
  t.objects = str_member(v, "objects").value_or("");
  t.options = str_member(v, "options").value_or("");
  t.auto_created = int_member(v, "auto_created").value_or(0);
  t.created_ms = int_member(v, "created_ms").value_or(0);
  t.started_ms = int_member(v, "started_ms").value_or(0);
  t.ready_ms = int_member(v, "ready_ms").value_or(0);
  t.run_ms = int_member(v, "run_ms").value_or(0);
  t.stop_ms = int_member(v, "stop_ms").value_or(0);
  t.stopping_ms = int_member(v, "stopping_ms").value_or(0);
  t.conclusion = str_member(v, "conclusion").value_or("same");
  t.outcome = str_member(v, "outcome").value_or("success");
  return t;
}

// JobItem.CompareTask {CompareTaskId, Status} → a task that shows that status now.
std::optional<CompareTask> task_from_brief(const JsonValue& v, const Job& j, Millis now, const Timing& tm) {
  const JsonValue* ct = member(v, "CompareTask");
  if (!ct) return std::nullopt;
  std::string id = str_member(*ct, "CompareTaskId").value_or(""), status = str_member(*ct, "Status").value_or("notexist");
  if (id.empty() || status == "notexist") return std::nullopt;
  CompareTask t;
  t.id = id;
  t.job_id = j.id;
  t.seq = 1;
  t.name = "defaultCmpTask";
  t.created_ms = now;
  t.ready_ms = tm.of("compareReadyRun");
  t.run_ms = tm.of("comparing");
  if (status == "running") {
    t.started_ms = now;
  } else if (status == "consistent" || status == "inconsistent" || status == "failed") {
    t.started_ms = now - t.ready_ms - t.run_ms;
    t.created_ms = t.started_ms;
    t.conclusion = status == "inconsistent" ? "different" : "same";
    t.outcome = status == "failed" ? "failed" : "success";
  } else if (status == "canceled") {
    t.started_ms = t.stop_ms = now;
  }
  return t;
}

// ---- a job from its DescribeMigrationDetail shape ---------------------------

std::vector<Step> steps_from(const JsonValue& v, const Timing& tm) {
  std::vector<Step> out;
  const JsonValue* info = member(v, "StepInfo");
  const JsonValue* list = info ? member(*info, "StepInfo") : nullptr;
  if (!list || !list->IsArray()) return out;
  for (const auto& sv : list->GetArray()) {
    Step s;
    s.no = int_member(sv, "StepNo").value_or(static_cast<int64_t>(out.size()) + 1);
    s.id = str_member(sv, "StepId").value_or("");
    s.name = str_member(sv, "StepName").value_or(s.id);
    s.status = str_member(sv, "Status").value_or("notStarted");
    if (s.status == "success") s.status = "finished";
    s.start = time_of(sv, "StartTime");
    s.finish = time_of(sv, "FinishTime");
    s.incremental = s.id == "sinker" || s.id == "incrSync";
    s.planned = s.incremental ? tm.of("catchUp") : tm.step(s.id);
    int64_t pct = std::clamp<int64_t>(int_member(sv, "Percent").value_or(0), 0, 100);
    s.done = s.status == "finished" ? s.planned : s.status == "notStarted" ? 0 : s.planned * pct / 100;
    s.message = str_member(sv, "StepMessage").value_or("");
    s.errors = member(sv, "Errors") ? text_of(member(sv, "Errors")) : "[]";
    s.warnings = member(sv, "Warnings") ? text_of(member(sv, "Warnings")) : "[]";
    out.push_back(std::move(s));
  }
  return out;
}

// CheckStepInfo (Detail shape) → the stored CheckStep results.
void check_from(const JsonValue& v, Job& j) {
  const JsonValue* info = member(v, "CheckStepInfo");
  if (!info || !info->IsObject()) return;
  j.check_start = time_of(*info, "StartAt");
  j.check_end = time_of(*info, "EndAt");
  const JsonValue* progress = member(*info, "Progress");
  if (!progress) return;
  std::string status = str_member(*progress, "Status").value_or("notStarted");
  j.check_status = status == "success" || status == "failed" ? "success" : status == "running" ? "running" : "notStarted";
  if (j.check_status == "success") j.check_flag = status == "success" ? "checkPass" : "checkNotPass";
  Json d(rapidjson::kArrayType);
  auto& a = d.GetAllocator();
  if (const JsonValue* steps = member(*progress, "Steps"); steps && steps->IsArray()) {
    int64_t no = 0;
    for (const auto& sv : steps->GetArray()) {
      std::string st = str_member(sv, "Status").value_or("finished");
      const JsonValue* warnings = member(sv, "Warnings");
      bool warned = warnings && warnings->IsArray() && !warnings->Empty();
      bool failed = st == "failed" || st == "skipped";
      JsonValue step(rapidjson::kObjectType);
      step.AddMember("StepNo", no++, a);
      step.AddMember("StepId", jstr(str_member(sv, "StepId").value_or(""), a), a);
      step.AddMember("StepName", jstr(str_member(sv, "StepName").value_or(""), a), a);
      step.AddMember("StepStatus", jstr(failed ? "failed" : warned ? "warning" : "pass", a), a);
      step.AddMember("StepMessage", jstr(str_member(sv, "StepMessage").value_or(""), a), a);
      JsonValue items(rapidjson::kArrayType);
      const JsonValue* tips = failed && st == "failed" ? member(sv, "Errors") : warnings;
      if (tips && tips->IsArray())
        for (const auto& tip : tips->GetArray()) {
          JsonValue item(rapidjson::kObjectType), log(rapidjson::kArrayType), help(rapidjson::kArrayType);
          item.AddMember("CheckItemName", jstr(str_member(sv, "StepName").value_or(""), a), a);
          item.AddMember("Description", jstr("", a), a);
          item.AddMember("CheckResult", jstr(st == "failed" ? "failed" : "warning", a), a);
          item.AddMember("FailureReason", jstr("", a), a);
          item.AddMember("Solution", jstr(str_member(tip, "Solution").value_or(""), a), a);
          log.PushBack(jstr(str_member(tip, "Message").value_or(""), a), a);
          help.PushBack(jstr(str_member(tip, "HelpDoc").value_or(""), a), a);
          item.AddMember("ErrorLog", log, a);
          item.AddMember("HelpDoc", help, a);
          item.AddMember("SkipInfo", jstr("", a), a);
          items.PushBack(item, a);
        }
      step.AddMember("DetailCheckItems", items, a);
      step.AddMember("HasSkipped", st == "skipped", a);
      d.PushBack(step, a);
    }
  }
  j.check_steps = to_string(d);
}

void trade_from(const JsonValue& v, Job& j, Millis now, const Timing& tm) {
  const JsonValue* t = member(v, "TradeInfo");
  if (!t) return;
  j.deal_name = str_member(*t, "DealName").value_or("");
  j.last_deal_name = str_member(*t, "LastDealName").value_or("");
  j.instance_class = str_member(*t, "InstanceClass").value_or(j.instance_class);
  j.trade_status = str_member(*t, "TradeStatus").value_or("normal");
  auto trade = parse_trade(j.trade_status);
  if (!trade) throw FixtureError("unknown TradeStatus `" + j.trade_status + "`");
  j.expire_ms = time_of(*t, "ExpireTime");
  j.offline_ms = time_of(*t, "OfflineTime");
  j.isolate_ms = time_of(*t, "IsolateTime");
  j.offline_reason = str_member(*t, "OfflineReason").value_or("");
  j.isolate_reason = str_member(*t, "IsolateReason").value_or("");
  j.pay_type = str_member(*t, "PayType").value_or("postpay");
  j.billing_type = str_member(*t, "BillingType").value_or("billing");
  j.trade_since = now;
  j.trade_phase_ms = *trade == Trade::isolating ? tm.of("isolating") : *trade == Trade::offlining ? tm.of("offlining")
                     : *trade == Trade::resizing ? tm.of("resizing") : 0;
  if (*trade == Trade::resizing) j.pending_class = j.instance_class;
  j.removed = *trade == Trade::offlined ? 1 : 0;
}

void rate_limit_from(const JsonValue& v, Job& j) {
  const JsonValue* r = member(v, "RateLimitOption");
  if (!r || str_member(*r, "HasUserSetRateLimit").value_or("no") != "yes") return;
  RateLimits cur = current_rate_limits(j);
  cur.dump_thread = int_member(*r, "CurrentDumpThread").value_or(cur.dump_thread);
  cur.dump_rps = int_member(*r, "CurrentDumpRps").value_or(cur.dump_rps);
  cur.load_thread = int_member(*r, "CurrentLoadThread").value_or(cur.load_thread);
  cur.load_rps = int_member(*r, "CurrentLoadRps").value_or(cur.load_rps);
  cur.sinker_thread = int_member(*r, "CurrentSinkerThread").value_or(cur.sinker_thread);
  cur.user_set = true;
  j.rate_limit = rate_limits_json(cur);
}

Job job_from_detail(const JsonValue& v, std::string_view tenant, std::string_view region, Millis now, const Timing& tm) {
  Job j;
  j.id = str_member(v, "JobId").value_or("");
  auto status = parse_status(str_member(v, "Status").value_or(""));
  if (!status) throw FixtureError("missing or unknown Status");
  j.tenant = std::string(tenant);
  j.region = std::string(region);
  j.name = str_member(v, "JobName").value_or(j.id);
  j.create_ms = time_of(v, "CreateTime");
  if (j.create_ms == 0) j.create_ms = now;
  j.update_ms = std::max(time_of(v, "UpdateTime"), j.create_ms);
  j.start_ms = time_of(v, "StartTime");
  j.end_ms = time_of(v, "EndTime");
  j.run_mode = str_member(v, "RunMode").value_or("immediate");
  j.expect_run_ms = time_of(v, "ExpectRunTime");
  j.brief_msg = str_member(v, "BriefMsg").value_or("");
  j.auto_retry_minutes = int_member(v, "AutoRetryTimeRangeMinutes").value_or(0);
  Json scratch;
  auto& a = scratch.GetAllocator();
  const JsonValue* src = member(v, "SrcInfo");
  const JsonValue* dst = member(v, "DstInfo");
  JsonValue src_n = normalize(src, shapes::DBEndpointInfo, a), dst_n = normalize(dst, shapes::DBEndpointInfo, a);
  j.src_type = str_member(src_n, "DatabaseType").value_or("");
  j.dst_type = str_member(dst_n, "DatabaseType").value_or("");
  if (j.src_type.empty() || j.dst_type.empty()) throw FixtureError("SrcInfo.DatabaseType and DstInfo.DatabaseType are required");
  j.src_region = str_member(src_n, "Region").value_or("");
  j.dst_region = str_member(dst_n, "Region").value_or("");
  if (j.src_region.empty()) j.src_region = j.region;
  if (j.dst_region.empty()) j.dst_region = j.region;
  src_n["Region"] = jstr(j.src_region, a);
  dst_n["Region"] = jstr(j.dst_region, a);
  j.src_access = str_member(src_n, "AccessType").value_or("");
  j.dst_access = str_member(dst_n, "AccessType").value_or("");
  auto first_instance = [](const JsonValue& ep) {
    const JsonValue& info = ep["Info"];
    return info.Empty() ? std::string() : str_member(info[0], "InstanceId").value_or("");
  };
  j.src_instance = first_instance(src_n);
  j.dst_instance = first_instance(dst_n);
  j.src_info = to_string(src_n);
  j.dst_info = to_string(dst_n);
  if (const JsonValue* opt = member(v, "MigrateOption"); opt && opt->IsObject() && opt->MemberCount() > 0) {
    j.migrate_option = to_string(normalize(opt, shapes::MigrateOption, a));
    j.migrate_type = str_member(*opt, "MigrateType").value_or("fullAndIncrement");
    j.configured = 1;
  }
  if (const JsonValue* ei = member(v, "ErrorInfo"); ei && ei->IsArray()) j.error_info = to_string(*ei);
  if (const JsonValue* tags = member(v, "Tags"); tags && tags->IsArray())
    for (const auto& t : tags->GetArray()) j.tags.emplace_back(str_member(t, "TagKey").value_or(""), str_member(t, "TagValue").value_or(""));
  trade_from(v, j, now, tm);
  rate_limit_from(v, j);
  check_from(v, j);
  j.steps = steps_from(v, tm);

  // Where the job stands: the current step, and a transient status's phase starting now.
  j.cur_step = -1;
  for (size_t i = 0; i < j.steps.size(); ++i) {
    const std::string& st = j.steps[i].status;
    if (st == "running" || st == "failed" || st == "canceled") {
      j.cur_step = static_cast<int64_t>(i);
      break;
    }
    if (st == "finished") j.cur_step = static_cast<int64_t>(i);
  }
  j.seg_start = now;
  const Status s = *status;
  const bool needs_steps = s == Status::running || s == Status::readyComplete || s == Status::success || s == Status::completing ||
                           s == Status::manualPaused || s == Status::pausing || s == Status::resuming;
  if (s == Status::checking || s == Status::readyRun || (needs_steps && j.steps.empty())) {
    engine::force(j, now, tm, s);  // synthesises what the fixture left out
  } else {
    Millis phase = 0;
    if (s == Status::creating) phase = tm.of("creating");
    else if (s == Status::pausing) phase = tm.of("pausing");
    else if (s == Status::resuming) phase = tm.of("resuming");
    else if (s == Status::stopping) phase = tm.of("stopping");
    else if (s == Status::completing) phase = tm.of("completing");
    else if (s == Status::resumableErr && j.auto_retry_minutes > 0) phase = std::min(tm.of("autoRetry"), j.auto_retry_minutes * 60000);
    j.status = std::string(status_name(s));
    j.since = now;
    j.phase_ms = phase;
    if (s == Status::checkPass || s == Status::checkNotPass) {
      j.check_status = "success";
      j.check_flag = j.status;
    }
  }
  if (j.status != "creating" && j.status != "created") j.configured = 1;
  return j;
}

void insert_replacing(Store& s, Job& j) {
  delete_job(s, j.id);
  if (j.seq > 0) {
    auto& st = s.db().prepare("SELECT 1 FROM jobs WHERE seq = ?");
    st.bind(1, j.seq);
    bool taken = st.step();
    st.reset();
    if (taken) j.seq = 0;
  }
  persist(s, j);
}

size_t load_one(Store& s, Millis now, const JsonValue& doc) {
  if (!doc.IsObject()) throw FixtureError("a fixture document is an object with tenant, region and jobs");
  std::string tenant = str_member(doc, "tenant").value_or("default");
  std::string region = str_member(doc, "region").value_or("");
  const JsonValue* jobs = member(doc, "jobs");
  if (!jobs || !jobs->IsArray()) throw FixtureError("a fixture document needs a `jobs` array");
  size_t n = 0;
  for (const auto& v : jobs->GetArray()) {
    std::string id = str_member(v, "JobId").value_or("");
    try {
      if (id.empty()) throw FixtureError("missing JobId");
      std::string job_region = str_member(v, "Region").value_or(region);
      if (job_region.empty())
        if (const JsonValue* dst = member(v, "DstInfo")) job_region = str_member(*dst, "Region").value_or("");
      if (job_region.empty()) throw FixtureError("no region: set the document's `region` or the job's `Region`");
      Job j;
      if (const JsonValue* exact = member(v, "Dtsmock"); exact && exact->IsObject()) {
        j = job_from_json(*exact);
        j.id = id;
        if (!parse_status(j.status)) throw FixtureError("unknown status in Dtsmock");
      } else {
        j = job_from_detail(v, tenant, job_region, now, s.timing());
      }
      j.tenant = tenant;
      j.region = job_region;
      insert_replacing(s, j);
      if (const JsonValue* exact = member(v, "Dtsmock"); exact && exact->IsObject()) {
        if (const JsonValue* tasks = member(*exact, "compare_tasks"); tasks && tasks->IsArray())
          for (const auto& t : tasks->GetArray()) save_compare_task(s, task_from_json(t, j.id));
      } else if (auto t = task_from_brief(v, j, now, s.timing())) {
        save_compare_task(s, *t);
      }
      ++n;
    } catch (const FixtureError& e) {
      throw FixtureError("job " + (id.empty() ? "#" + std::to_string(n + 1) : id) + ": " + e.what());
    }
  }
  return n;
}

}  // namespace

size_t load_fixtures(Store& s, const Clock& c, const JsonValue& doc) {
  MaybeTx tx(s.db());
  Millis now = c.now();
  size_t n = 0;
  if (doc.IsArray()) {
    for (const auto& d : doc.GetArray()) n += load_one(s, now, d);
  } else {
    n = load_one(s, now, doc);
  }
  tx.commit();
  return n;
}

size_t load_fixture_dir(Store& s, const Clock& c, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw FixtureError("fixture directory " + dir + " does not exist");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  MaybeTx tx(s.db());
  size_t n = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    Json doc;
    if (!parse_json(buf.str(), doc)) throw FixtureError(f.string() + ": not valid JSON (offset " + std::to_string(doc.GetErrorOffset()) + ")");
    try {
      n += load_fixtures(s, c, doc);
    } catch (const FixtureError& e) {
      throw FixtureError(f.string() + ": " + e.what());
    }
  }
  tx.commit();
  return n;
}

Json export_state(Store& s, const Clock& c, std::string_view tenant) {
  Millis now = c.now();
  std::vector<std::string> ids;
  {
    auto& st = s.db().prepare("SELECT job_id FROM jobs WHERE tenant = ? ORDER BY seq");
    st.bind(1, tenant);
    while (st.step()) ids.push_back(st.col_text(0));
    st.reset();
  }
  Json doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  JsonValue jobs(rapidjson::kArrayType);
  std::string first_region;
  RenderCtx rc{now, TimeFmt{}, Lang::En};
  for (const auto& id : ids) {
    auto j = load_job_any(s, id);
    if (!j) continue;
    advance_job(s, *j, now);
    persist(s, *j);
    if (first_region.empty()) first_region = j->region;
    JsonValue item = render_with_compare(s, *j, rc, true, a);
    item.AddMember("Region", jstr(j->region, a), a);
    item.AddMember("AutoRetryTimeRangeMinutes", j->auto_retry_minutes, a);
    JsonValue exact = job_to_json(*j, a);
    JsonValue tasks(rapidjson::kArrayType);
    for (const auto& t : load_compare_tasks(s, j->id)) tasks.PushBack(task_to_json(t, a), a);
    exact.AddMember("compare_tasks", tasks, a);
    item.AddMember("Dtsmock", exact, a);
    jobs.PushBack(item, a);
  }
  doc.AddMember("tenant", jstr(tenant, a), a);
  doc.AddMember("region", jstr(first_region, a), a);
  doc.AddMember("jobs", jobs, a);
  return doc;
}

}  // namespace dtsmock
