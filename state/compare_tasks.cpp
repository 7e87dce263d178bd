// Data-consistency compare tasks of migration jobs: CreateCompareTask,
// StartCompare, StopCompare, DescribeCompareTasks, DescribeCompareReport,
// DescribeCompareDiffItems, DeleteCompareTask, ModifyCompareTask,
// ModifyCompareTaskName, DescribeMigrateGtidCompareReport.
#include "state/compare_tasks.h"

#include <algorithm>
#include <functional>

#include "state/handlers.h"
#include "state/job_access.h"
#include "state/json_put.h"
#include "state/shapes.h"

namespace dtsmock {
namespace {


constexpr std::string_view kCols =
    "task_id, job_id, seq, task_name, object_mode, objects, options, auto_created, created_ms, started_ms, ready_ms, run_ms, stop_ms, "
    "stopping_ms, conclusion, outcome";

CompareTask read_task(Stmt& st) {
  CompareTask t;
  t.id = st.col_text(0);
  t.job_id = st.col_text(1);
  t.seq = st.col_int(2);
  t.name = st.col_text(3);
  t.object_mode = st.col_text(4);
  t.objects = st.col_text(5);
  t.options = st.col_text(6);
  t.auto_created = st.col_int(7);
  t.created_ms = st.col_int(8);
  t.started_ms = st.col_int(9);
  t.ready_ms = st.col_int(10);
  t.run_ms = st.col_int(11);
  t.stop_ms = st.col_int(12);
  t.stopping_ms = st.col_int(13);
  t.conclusion = st.col_text(14);
  t.outcome = st.col_text(15);
  return t;
}

JsonValue parsed_or(const std::string& text, const Shape& shape, Alloc& a) {
  Json d;
  if (text.empty() || !parse_json(text, d)) return normalize(nullptr, shape, a);
  return normalize(&d, shape, a);
}

// The compare objects of a sameAsMigrate task: the job's migration objects.
JsonValue objects_of(const CompareTask& t, const Job& j, Alloc& a) {
  if (!t.objects.empty()) return parsed_or(t.objects, shapes::CompareObject, a);
  Json opt;
  JsonValue from(rapidjson::kObjectType);
  if (parse_json(j.migrate_option, opt))
    if (const JsonValue* table = member(opt, "DatabaseTable"); table && table->IsObject()) {
      from.AddMember("ObjectMode", jstr(str_member(*table, "ObjectMode").value_or("all"), a), a);
      JsonValue items(rapidjson::kArrayType);
      if (const JsonValue* dbs = member(*table, "Databases"); dbs && dbs->IsArray())
        for (const auto& db : dbs->GetArray()) {
          JsonValue item(rapidjson::kObjectType), tables(rapidjson::kArrayType);
          item.AddMember("DbName", jstr(str_member(db, "DbName").value_or(""), a), a);
          item.AddMember("DbMode", jstr(str_member(db, "DBMode").value_or(""), a), a);
          item.AddMember("SchemaName", jstr(str_member(db, "SchemaName").value_or(""), a), a);
          item.AddMember("TableMode", jstr(str_member(db, "TableMode").value_or(""), a), a);
          item.AddMember("ViewMode", jstr(str_member(db, "ViewMode").value_or(""), a), a);
          if (const JsonValue* ts = member(db, "Tables"); ts && ts->IsArray())
            for (const auto& tb : ts->GetArray()) {
              JsonValue ti(rapidjson::kObjectType);
              ti.AddMember("TableName", jstr(str_member(tb, "TableName").value_or(""), a), a);
              tables.PushBack(ti, a);
            }
          item.AddMember("Tables", tables, a);
          items.PushBack(item, a);
        }
      from.AddMember("ObjectItems", items, a);
    }
  return normalize(&from, shapes::CompareObject, a);
}

int64_t table_count(const JsonValue& objects) {
  int64_t n = 0;
  if (const JsonValue* items = member(objects, "ObjectItems"); items && items->IsArray())
    for (const auto& it : items->GetArray()) {
      const JsonValue* ts = member(it, "Tables");
      n += (ts && ts->IsArray() && !ts->Empty()) ? static_cast<int64_t>(ts->Size()) : 1;
    }
  return std::max<int64_t>(1, n);
}

std::string object_db(const JsonValue& objects) {
  if (const JsonValue* items = member(objects, "ObjectItems"); items && items->IsArray() && !items->Empty())
    return str_member((*items)[0], "DbName").value_or("db1");
  return "db1";
}

Millis finished_at(const CompareTask& t) {
  if (t.stop_ms > 0) return t.stop_ms + t.stopping_ms;
  return t.started_ms > 0 ? t.started_ms + t.ready_ms + t.run_ms : 0;
}

// ProcessProgress of one phase [from, from+span).
JsonValue progress(Millis from, Millis span, Millis now, bool started, std::string_view done_message, Alloc& a) {
  JsonValue o(rapidjson::kObjectType);
  std::string_view status = "notStarted";
  int64_t percent = 0;
  if (started && now >= from + span) {
    status = "success";
    percent = 100;
  } else if (started && now >= from) {
    status = "running";
    percent = span > 0 ? (now - from) * 100 / span : 100;
  }
  put(o, "Status", status, a);
  put(o, "Percent", percent, a);
  put(o, "StepAll", 1, a);
  put(o, "StepNow", status == "notStarted" ? 0 : 1, a);
  put(o, "Message", status == "success" ? done_message : "", a);
  put(o, "Steps", JsonValue(rapidjson::kArrayType), a);
  return o;
}

JsonValue task_item(const CompareTask& t, const Job& j, const RenderCtx& rc, Alloc& a) {
  std::string status = compare_status(t, rc.now);
  bool finished = status == "success" || status == "failed";
  JsonValue opts = parsed_or(t.options, shapes::CompareOptions, a);
  std::string method = str_member(opts, "Method").value_or("dataCheck");
  bool started = t.started_ms > 0;
  JsonValue o(rapidjson::kObjectType);
  put(o, "JobId", t.job_id, a);
  put(o, "CompareTaskId", t.id, a);
  put(o, "TaskName", t.name, a);
  put(o, "Status", status, a);
  put(o, "Config", objects_of(t, j, a), a);
  put(o, "CheckProcess", progress(t.started_ms, t.ready_ms, rc.now, started, "done", a), a);
  put(o, "CompareProcess", progress(t.started_ms + t.ready_ms, t.run_ms, rc.now, started && t.stop_ms == 0, "done", a), a);
  put(o, "Conclusion", finished ? t.conclusion : "", a);
  put(o, "CreatedAt", rc.tf.at(t.created_ms), a);
  put(o, "StartedAt", rc.tf.or_zero(t.started_ms > rc.now ? 0 : t.started_ms), a);
  put(o, "FinishedAt", rc.tf.or_zero(finished || status == "canceled" ? finished_at(t) : 0), a);
  put(o, "Method", method, a);
  put(o, "Options", std::move(opts), a);
  put(o, "Message", finished || status == "canceled" ? "done" : "", a);
  return o;
}

// ---- validation -------------------------------------------------------------

std::optional<ApiError> check_options(std::string_view api, const JsonValue& params) {
  const JsonValue* o = member(params, "Options");
  if (!o || !o->IsObject()) return std::nullopt;
  if (auto m = str_member(*o, "Method"))
    if (auto e = check_one_of(api, "Options.Method", *m, {"dataCheck", "sampleDataCheck", "rowsCount"})) return e;
  if (auto v = int_member(*o, "SampleRate"))
    if (auto e = check_range(api, "Options.SampleRate", *v, 0, 100)) return e;
  if (auto v = int_member(*o, "ThreadCount"))
    if (auto e = check_range(api, "Options.ThreadCount", *v, 1, 8)) return e;
  if (auto t = str_member(*o, "Type"))
    if (auto e = check_one_of(api, "Options.Type", *t, {"builtin", "independent"})) return e;
  if (auto v = int_member(*o, "ReCheckInterval"); v && *v != 0)
    if (auto e = check_range(api, "Options.ReCheckInterval", *v, 1, 60)) return e;
  if (const JsonValue* modes = member(*o, "CompareMode"); modes && modes->IsArray())
    for (const auto& m : modes->GetArray())
      if (auto e = check_one_of(api, "Options.CompareMode", m.IsString() ? m.GetString() : "", {"structureCheck", "full", "increment", "advanceObject"}))
        return e;
  return std::nullopt;
}

std::optional<ApiError> check_task_config(std::string_view api, const JsonValue& params) {
  std::string mode = str_member(params, "ObjectMode").value_or("sameAsMigrate");
  if (auto e = check_one_of(api, "ObjectMode", mode, {"sameAsMigrate", "custom"})) return e;
  const JsonValue* objects = member(params, "Objects");
  if (mode == "custom") {
    if (!objects || !objects->IsObject()) return bad_value(api, Msg::ValueEmpty, {"Objects"});
    if (auto e = check_one_of(api, "Objects.ObjectMode", str_member(*objects, "ObjectMode").value_or(""), {"all", "partial"})) return e;
  }
  if (auto name = str_member(params, "TaskName"))
    if (auto e = check_length(api, "TaskName", *name, 128)) return e;
  return check_options(api, params);
}

// Applies TaskName / ObjectMode / Objects / Options of a Create or Modify call.
void apply_task_config(CompareTask& t, const JsonValue& params) {
  Json scratch;
  auto& a = scratch.GetAllocator();
  if (auto name = str_member(params, "TaskName"); name && !name->empty()) t.name = *name;
  if (auto mode = str_member(params, "ObjectMode")) t.object_mode = *mode;
  if (t.object_mode == "custom") {
    if (const JsonValue* objects = member(params, "Objects")) t.objects = to_string(normalize(objects, shapes::CompareObject, a));
  } else {
    t.objects.clear();
  }
  if (const JsonValue* o = member(params, "Options")) t.options = to_string(normalize(o, shapes::CompareOptions, a));
}

ApiError task_not_found(std::string_view api, std::string_view id) { return make_error(codes_for(api).not_found, Msg::CompareTaskNotFound, {id}); }

ApiError task_wrong_status(std::string_view api, const CompareTask& t, std::string_view status, std::string_view allowed) {
  return make_error(Err::OperationDenied_OperationDeniedError, Msg::CompareWrongStatus, {t.id, status, api, allowed});
}

// The frame of the per-task actions: the job (behind the wall, advanced), then
// the task named by CompareTaskId, settled; `fn` may change and save it.
using TaskFn = std::function<std::optional<ApiError>(Job&, CompareTask&, Millis, Outcome&)>;
Outcome with_task(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock, std::string_view api, const TaskFn& fn) {
  return job_read(params, ctx, store, clock, api, [&](Job& j, Millis now, Outcome& out) -> std::optional<ApiError> {
    std::string id = str_member(params, "CompareTaskId").value_or("");
    auto t = load_compare_task(store, j.id, id);
    if (!t) return task_not_found(api, id);
    settle_compare_task(*t, j, now);
    return fn(j, *t, now, out);
  });
}

Millis next_seq(Store& s, std::string_view job_id) {
  auto& st = s.db().prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM compare_tasks WHERE job_id = ?");
  st.bind(1, job_id);
  int64_t n = st.step() ? st.col_int(0) : 1;
  st.reset();
  return n;
}

std::string new_task_id(Store& s, const Job& j, IdSource* ids) {
  std::string id;
  do {
    id = j.id + "-cmp-" + (ids ? ids->alnum(8) : std::to_string(next_seq(s, j.id)));
  } while (load_compare_task(s, j.id, id));
  return id;
}


}  // namespace

// ---- model ------------------------------------------------------------------

std::string compare_status(const CompareTask& t, Millis now) {
  if (t.stop_ms > 0) return now >= t.stop_ms + t.stopping_ms ? "canceled" : "stopping";
  if (t.started_ms == 0 || now < t.started_ms) return t.started_ms == 0 ? "created" : "readyRun";
  if (now < t.started_ms + t.ready_ms) return "readyRun";
  if (now < t.started_ms + t.ready_ms + t.run_ms) return "running";
  return t.outcome;
}

void settle_compare_task(CompareTask& t, const Job& j, Millis now) {
  if (!t.auto_created || t.started_ms != 0 || t.stop_ms != 0) return;
  Millis start = 0;
  for (const Step& s : j.steps)
    if (s.incremental && s.start > 0) start = s.start;
  if (start == 0 && j.st() == Status::success) start = j.end_ms;
  if (start > 0 && start <= now) t.started_ms = start;
}

std::vector<CompareTask> load_compare_tasks(Store& s, std::string_view job_id) {
  auto& st = s.db().prepare("SELECT " + std::string(kCols) + " FROM compare_tasks WHERE job_id = ? ORDER BY seq DESC");
  st.bind(1, job_id);
  std::vector<CompareTask> out;
  while (st.step()) out.push_back(read_task(st));
  st.reset();
  return out;
}

std::optional<CompareTask> load_compare_task(Store& s, std::string_view job_id, std::string_view task_id) {
  auto& st = s.db().prepare("SELECT " + std::string(kCols) + " FROM compare_tasks WHERE job_id = ? AND task_id = ?");
  st.bind_all(job_id, task_id);
  std::optional<CompareTask> t;
  if (st.step()) t = read_task(st);
  st.reset();
  return t;
}

void save_compare_task(Store& s, const CompareTask& t) {
  s.db()
      .prepare("INSERT OR REPLACE INTO compare_tasks (" + std::string(kCols) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(t.id, t.job_id, t.seq, t.name, t.object_mode, t.objects, t.options, t.auto_created, t.created_ms, t.started_ms, t.ready_ms,
                t.run_ms, t.stop_ms, t.stopping_ms, t.conclusion, t.outcome)
      .exec();
}

CompareBrief compare_brief(Store& s, const Job& j, Millis now) {
  auto& st = s.db().prepare("SELECT " + std::string(kCols) + " FROM compare_tasks WHERE job_id = ? ORDER BY seq DESC LIMIT 1");
  st.bind(1, j.id);
  std::optional<CompareTask> t;
  if (st.step()) t = read_task(st);
  st.reset();
  if (!t) return {};
  settle_compare_task(*t, j, now);
  std::string status = compare_status(*t, now);
  CompareBrief b;
  b.id = t->id;
  if (status == "created") b.status = "unstart";
  else if (status == "readyRun" || status == "running" || status == "stopping") b.status = "running";
  else if (status == "success") b.status = t->conclusion == "same" ? "consistent" : "inconsistent";
  else b.status = status;  // failed, canceled
  return b;
}

void create_default_compare(Store& s, const Job& j, Millis now, IdSource* ids) {
  Json opt;
  if (!parse_json(j.migrate_option, opt)) return;
  const JsonValue* c = member(opt, "Consistency");
  if (!c || str_member(*c, "Mode").value_or("") != "full") return;
  CompareTask t;
  t.id = new_task_id(s, j, ids);
  t.job_id = j.id;
  t.seq = next_seq(s, j.id);
  t.name = "defaultCmpTask";
  t.auto_created = 1;
  t.created_ms = now;
  t.ready_ms = s.timing().of("compareReadyRun");
  t.run_ms = s.timing().of("comparing");
  if (const JsonValue* o = member(*c, "Options")) {
    Json scratch;
    t.options = to_string(normalize(o, shapes::CompareOptions, scratch.GetAllocator()));
  }
  save_compare_task(s, t);
}

// ---- handlers -----------------------------------------------------------------

Outcome CreateCompareTask(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "CreateCompareTask";
  return job_action(
      params, ctx, store, clock, Act::CreateCompare,
      [&](Job& j, Millis now, Outcome& out) -> std::optional<ApiError> {
        CompareTask t;
        t.id = new_task_id(store, j, ctx.ids);
        t.job_id = j.id;
        t.seq = next_seq(store, j.id);
        t.name = t.id;  // TaskName defaults to the task's id
        t.created_ms = now;
        apply_task_config(t, params);
        save_compare_task(store, t);
        out.body.AddMember("CompareTaskId", jstr(t.id, out.body.GetAllocator()), out.body.GetAllocator());
        return std::nullopt;
      },
      [&](const Job&) { return check_task_config(api, params); });
}

Outcome StartCompare(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "StartCompare";
  std::string id = str_member(params, "CompareTaskId").value_or("");
  return job_action(params, ctx, store, clock, Act::StartCompare, [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
    auto t = load_compare_task(store, j.id, id);
    if (!t) return task_not_found(api, id);
    settle_compare_task(*t, j, now);
    std::string status = compare_status(*t, now);
    if (status != "created") return task_wrong_status(api, *t, status, "created");
    t->started_ms = now;
    t->ready_ms = store.timing().of("compareReadyRun");
    t->run_ms = store.timing().of("comparing");
    save_compare_task(store, *t);
    return std::nullopt;
  });
}

Outcome StopCompare(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "StopCompare";
  return with_task(params, ctx, store, clock, api, [&](Job&, CompareTask& t, Millis now, Outcome&) -> std::optional<ApiError> {
    std::string status = compare_status(t, now);
    if (status != "readyRun" && status != "running") return task_wrong_status(api, t, status, "readyRun, running");
    t.stop_ms = now;
    t.stopping_ms = store.timing().of("compareStopping");
    save_compare_task(store, t);
    return std::nullopt;
  });
}

Outcome DescribeCompareTasks(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "DescribeCompareTasks";
  int64_t limit = int_member(params, "Limit").value_or(20), offset = int_member(params, "Offset").value_or(0);
  auto want_id = str_member(params, "CompareTaskId").value_or("");
  const JsonValue* statuses = member(params, "Status");
  return job_read(params, ctx, store, clock, api, [&](Job& j, Millis now, Outcome& out) -> std::optional<ApiError> {
    if (auto e = check_range(api, "Limit", limit, 1, 100)) return e;
    if (auto e = check_range(api, "Offset", offset, 0, INT64_MAX)) return e;
    std::vector<std::string> wanted;
    if (statuses && statuses->IsArray())
      for (const auto& s : statuses->GetArray()) {
        std::string v = s.IsString() ? s.GetString() : "";
        if (auto e = check_one_of(api, "Status", v, {"created", "readyRun", "running", "success", "stopping", "failed", "canceled"})) return e;
        wanted.push_back(v);
      }
    auto& a = out.body.GetAllocator();
    RenderCtx rc = render_ctx(params, ctx, now);
    JsonValue items(rapidjson::kArrayType);
    int64_t total = 0;
    for (auto& t : load_compare_tasks(store, j.id)) {
      settle_compare_task(t, j, now);
      std::string status = compare_status(t, now);
      if (!want_id.empty() && t.id != want_id) continue;
      if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), status) == wanted.end()) continue;
      if (total++ < offset || static_cast<int64_t>(items.Size()) >= limit) continue;
      items.PushBack(task_item(t, j, rc, a), a);
    }
    out.body.AddMember("TotalCount", total, a);
    out.body.AddMember("Items", items, a);
    return std::nullopt;
  });
}

Outcome DescribeCompareReport(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "DescribeCompareReport";
  return with_task(params, ctx, store, clock, api, [&](Job& j, CompareTask& t, Millis now, Outcome& out) -> std::optional<ApiError> {
    std::string status = compare_status(t, now);
    if (status != "success" && status != "failed") return task_wrong_status(api, t, status, "success, failed");
    auto& a = out.body.GetAllocator();
    RenderCtx rc = render_ctx(params, ctx, now);
    JsonValue objects = objects_of(t, j, a);
    const int64_t tables = table_count(objects);
    const bool different = t.conclusion == "different";
    std::string db = object_db(objects);

    JsonValue abstract(rapidjson::kObjectType);
    put(abstract, "Options", parsed_or(t.options, shapes::CompareOptions, a), a);
    put(abstract, "Objects", std::move(objects), a);
    put(abstract, "Conclusion", t.conclusion, a);
    put(abstract, "Status", status, a);
    put(abstract, "TotalTables", tables, a);
    put(abstract, "CheckedTables", status == "success" ? tables : 0, a);
    put(abstract, "DifferentTables", different ? 1 : 0, a);
    put(abstract, "SkippedTables", 0, a);
    put(abstract, "NearlyTableCount", tables, a);
    put(abstract, "DifferentRows", different ? 1 : 0, a);
    put(abstract, "SrcSampleRows", 0, a);
    put(abstract, "DstSampleRows", 0, a);
    put(abstract, "StartedAt", rc.tf.or_zero(t.started_ms), a);
    put(abstract, "FinishedAt", rc.tf.or_zero(finished_at(t)), a);

    auto empty_list = [&]() {
      JsonValue o(rapidjson::kObjectType);
      put(o, "TotalCount", 0, a);
      put(o, "Items", JsonValue(rapidjson::kArrayType), a);
      return o;
    };
    JsonValue difference(rapidjson::kObjectType), items(rapidjson::kArrayType);
    if (different) {
      JsonValue d(rapidjson::kObjectType);
      put(d, "Db", db, a);
      put(d, "Schema", "", a);
      put(d, "Table", "t1", a);
      put(d, "Chunk", 1, a);
      put(d, "SrcItem", "1", a);
      put(d, "DstItem", "0", a);
      put(d, "IndexName", "PRIMARY", a);
      put(d, "LowerBoundary", "1", a);
      put(d, "UpperBoundary", "1000", a);
      d.AddMember("CostTime", 12.0, a);
      put(d, "FinishedAt", rc.tf.or_zero(finished_at(t)), a);
      items.PushBack(d, a);
    }
    put(difference, "TotalCount", static_cast<int64_t>(items.Size()), a);
    put(difference, "Items", std::move(items), a);
    JsonValue detail(rapidjson::kObjectType);
    put(detail, "Difference", std::move(difference), a);
    put(detail, "Skipped", empty_list(), a);
    put(detail, "DifferenceAdvancedObjects", empty_list(), a);
    put(detail, "DifferenceData", empty_list(), a);
    put(detail, "DifferenceRow", empty_list(), a);
    put(detail, "DifferenceSchema", empty_list(), a);
    put(detail, "DifferenceOwner", empty_list(), a);
    put(detail, "FullProgress", empty_list(), a);
    put(detail, "IncDifference", empty_list(), a);
    out.body.AddMember("Abstract", abstract, a);
    out.body.AddMember("Detail", detail, a);
    return std::nullopt;
  });
}

Outcome DescribeCompareDiffItems(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "DescribeCompareDiffItems";
  int64_t limit = int_member(params, "Limit").value_or(20), offset = int_member(params, "Offset").value_or(0);
  return with_task(params, ctx, store, clock, api, [&](Job& j, CompareTask& t, Millis now, Outcome& out) -> std::optional<ApiError> {
    if (auto e = check_range(api, "Limit", limit, 1, 1000)) return e;
    if (auto e = check_range(api, "Offset", offset, 0, INT64_MAX)) return e;
    auto& a = out.body.GetAllocator();
    RenderCtx rc = render_ctx(params, ctx, now);
    std::string status = compare_status(t, now);
    JsonValue objects = objects_of(t, j, a);
    std::string db = object_db(objects);
    // One differing chunk when the task concluded `different`, none otherwise.
    bool has = (status == "success" || status == "failed") && t.conclusion == "different";
    if (auto f = str_member(params, "DBName"); f && !f->empty() && *f != db) has = false;
    if (auto f = str_member(params, "TableName"); f && !f->empty() && *f != "t1") has = false;
    if (auto f = int_member(params, "ChunkId"); f && *f != 1) has = false;
    JsonValue items(rapidjson::kArrayType);
    if (has && offset == 0) {
      JsonValue d(rapidjson::kObjectType);
      put(d, "DBName", db, a);
      put(d, "SchemaName", "", a);
      put(d, "TableName", "t1", a);
      put(d, "ChunkId", 1, a);
      put(d, "Identifier", "id=1", a);
      put(d, "DiffType", "data", a);
      JsonValue schema(rapidjson::kArrayType), src(rapidjson::kArrayType), dst(rapidjson::kArrayType);
      schema.PushBack(jstr("id", a), a).PushBack(jstr("c1", a), a);
      src.PushBack(jstr("1", a), a).PushBack(jstr("value1", a), a);
      dst.PushBack(jstr("1", a), a).PushBack(jstr("value2", a), a);
      put(d, "SchemaInfo", std::move(schema), a);
      put(d, "SrcItem", std::move(src), a);
      put(d, "DstItem", std::move(dst), a);
      put(d, "FinishedAt", rc.tf.or_zero(finished_at(t)), a);
      items.PushBack(d, a);
    }
    out.body.AddMember("TotalCount", has ? 1 : 0, a);
    out.body.AddMember("Items", items, a);
    return std::nullopt;
  });
}

Outcome DeleteCompareTask(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "DeleteCompareTask";
  return with_task(params, ctx, store, clock, api, [&](Job&, CompareTask& t, Millis now, Outcome&) -> std::optional<ApiError> {
    std::string status = compare_status(t, now);
    if (status != "success" && status != "failed" && status != "canceled") return task_wrong_status(api, t, status, "success, failed, canceled");
    store.db().prepare("DELETE FROM compare_tasks WHERE task_id = ?").bind(1, t.id).exec();
    return std::nullopt;
  });
}

Outcome ModifyCompareTask(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "ModifyCompareTask";
  return with_task(params, ctx, store, clock, api, [&](Job&, CompareTask& t, Millis now, Outcome&) -> std::optional<ApiError> {
    if (auto e = check_task_config(api, params)) return e;
    std::string status = compare_status(t, now);
    if (status != "created") return task_wrong_status(api, t, status, "created");
    apply_task_config(t, params);
    save_compare_task(store, t);
    return std::nullopt;
  });
}

Outcome ModifyCompareTaskName(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "ModifyCompareTaskName";
  std::string name = str_member(params, "TaskName").value_or("");
  return with_task(params, ctx, store, clock, api, [&](Job&, CompareTask& t, Millis, Outcome&) -> std::optional<ApiError> {
    if (name.empty()) return bad_value(api, Msg::ValueEmpty, {"TaskName"});
    if (auto e = check_length(api, "TaskName", name, 128)) return e;
    t.name = name;
    save_compare_task(store, t);
    return std::nullopt;
  });
}

Outcome DescribeMigrateGtidCompareReport(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "DescribeMigrateGtidCompareReport";
  bool need_detail = bool_member(params, "NeedDiffDetail").value_or(false);
  return job_read(params, ctx, store, clock, api, [&](Job& j, Millis now, Outcome& out) -> std::optional<ApiError> {
    if (auto id = str_member(params, "CompareTaskId"); id && !id->empty() && !load_compare_task(store, j.id, *id))
      return task_not_found(api, *id);
    if (j.start_ms == 0 || j.steps.empty()) return make_error(Err::FailedOperation, Msg::GtidNotStarted, {j.id});
    auto& a = out.body.GetAllocator();
    RenderCtx rc = render_ctx(params, ctx, now);
    JsonValue detail(rapidjson::kArrayType);
    if (need_detail) {
      // A deterministic server uuid per job; the transferred range grows with the job's age.
      std::hash<std::string> h;
      char uuid[40];
      uint64_t x = h(j.id), y = h(j.id + "/gtid");
      std::snprintf(uuid, sizeof uuid, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(x >> 32), static_cast<unsigned>(x >> 16) & 0xffff,
                    static_cast<unsigned>(x) & 0xffff, static_cast<unsigned>(y >> 48), static_cast<unsigned long long>(y & 0xffffffffffffULL));
      std::string sets = std::string(uuid) + ":1-" + std::to_string(std::max<Millis>(1, (now - j.start_ms) / 1000 + 1));
      JsonValue d(rapidjson::kObjectType);
      put(d, "Result", "consistent", a);
      put(d, "SrcGtidSets", sets, a);
      put(d, "DstGtidSets", sets, a);
      put(d, "DiffSrc", "", a);
      put(d, "DiffSrcTables", JsonValue(rapidjson::kArrayType), a);
      put(d, "DiffDst", "", a);
      put(d, "CompareTimestamp", rc.tf.at(now), a);
      put(d, "DiffSrcTablesNeedSync", JsonValue(rapidjson::kArrayType), a);
      d.AddMember("DiffSrcIsNeedSync", false, a);
      detail.PushBack(d, a);
    }
    out.body.AddMember("Conclusion", "same", a);
    out.body.AddMember("Status", "success", a);
    out.body.AddMember("Type", "gtid", a);
    out.body.AddMember("Detail", detail, a);
    return std::nullopt;
  });
}

}  // namespace dtsmock
