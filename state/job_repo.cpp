#include "state/job_repo.h"

#include <array>
#include <string>

namespace dtsmock {
namespace {

// One column of the jobs table and the Job member it maps to. The same table
// generates the SQL, reads rows, and converts a job to and from JSON.
struct Col {
  std::string_view name;
  int64_t Job::*i = nullptr;
  std::string Job::*s = nullptr;
};

constexpr Col I(std::string_view n, int64_t Job::*p) { return Col{n, p, nullptr}; }
constexpr Col S(std::string_view n, std::string Job::*p) { return Col{n, nullptr, p}; }

const Col kJobCols[] = {
    I("seq", &Job::seq),
    S("job_id", &Job::id),
    S("tenant", &Job::tenant),
    S("region", &Job::region),
    S("job_name", &Job::name),
    S("status", &Job::status),
    I("status_since", &Job::since),
    I("phase_ms", &Job::phase_ms),
    I("next_event", &Job::next_event),
    I("create_ms", &Job::create_ms),
    I("update_ms", &Job::update_ms),
    I("start_ms", &Job::start_ms),
    I("end_ms", &Job::end_ms),
    S("run_mode", &Job::run_mode),
    I("expect_run_ms", &Job::expect_run_ms),
    S("src_type", &Job::src_type),
    S("dst_type", &Job::dst_type),
    S("src_region", &Job::src_region),
    S("dst_region", &Job::dst_region),
    S("src_instance", &Job::src_instance),
    S("dst_instance", &Job::dst_instance),
    S("src_access", &Job::src_access),
    S("dst_access", &Job::dst_access),
    I("configured", &Job::configured),
    S("src_info", &Job::src_info),
    S("dst_info", &Job::dst_info),
    S("migrate_option", &Job::migrate_option),
    S("migrate_type", &Job::migrate_type),
    I("auto_retry_minutes", &Job::auto_retry_minutes),
    S("brief_msg", &Job::brief_msg),
    S("error_info", &Job::error_info),
    S("rate_limit", &Job::rate_limit),
    S("runtime_attrs", &Job::runtime_attrs),
    S("instance_class", &Job::instance_class),
    S("trade_status", &Job::trade_status),
    I("trade_since", &Job::trade_since),
    I("trade_phase_ms", &Job::trade_phase_ms),
    S("pay_type", &Job::pay_type),
    S("billing_type", &Job::billing_type),
    S("deal_name", &Job::deal_name),
    S("last_deal_name", &Job::last_deal_name),
    I("expire_ms", &Job::expire_ms),
    I("isolate_ms", &Job::isolate_ms),
    I("offline_ms", &Job::offline_ms),
    S("isolate_reason", &Job::isolate_reason),
    S("offline_reason", &Job::offline_reason),
    S("pre_isolate_status", &Job::pre_isolate_status),
    S("pending_class", &Job::pending_class),
    S("check_status", &Job::check_status),
    S("check_flag", &Job::check_flag),
    S("check_steps", &Job::check_steps),
    S("check_skipped", &Job::check_skipped),
    S("check_fail", &Job::check_fail),
    S("check_warn", &Job::check_warn),
    I("check_start", &Job::check_start),
    I("check_end", &Job::check_end),
    I("cur_step", &Job::cur_step),
    I("seg_start", &Job::seg_start),
    S("resume_option", &Job::resume_option),
    I("resume_count", &Job::resume_count),
    I("auto_resume_count", &Job::auto_resume_count),
    S("pending_failure", &Job::pending_failure),
    I("removed", &Job::removed),
};

struct StepCol {
  std::string_view name;
  int64_t Step::*i = nullptr;
  std::string Step::*s = nullptr;
};
constexpr StepCol SI(std::string_view n, int64_t Step::*p) { return StepCol{n, p, nullptr}; }
constexpr StepCol SS(std::string_view n, std::string Step::*p) { return StepCol{n, nullptr, p}; }

const StepCol kStepCols[] = {
    SI("step_no", &Step::no),       SS("step_id", &Step::id),         SS("step_name", &Step::name),
    SS("status", &Step::status),    SI("start_ms", &Step::start),     SI("finish_ms", &Step::finish),
    SI("planned_ms", &Step::planned), SI("done_ms", &Step::done),     SI("incremental", &Step::incremental),
    SS("message", &Step::message),  SS("errors", &Step::errors),      SS("warnings", &Step::warnings),
};

std::string col_list() {
  std::string s;
  for (const auto& c : kJobCols) {
    if (!s.empty()) s += ", ";
    s += c.name;
  }
  return s;
}

const std::string& select_sql(bool scoped) {
  static const std::string scoped_sql = "SELECT " + col_list() + " FROM jobs WHERE job_id = ? AND tenant = ? AND region = ?";
  static const std::string any_sql = "SELECT " + col_list() + " FROM jobs WHERE job_id = ?";
  return scoped ? scoped_sql : any_sql;
}

// INSERT with every column except seq (new jobs) or with it (restored jobs).
std::string insert_sql(bool with_seq) {
  std::string cols, qs;
  for (const auto& c : kJobCols) {
    if (!with_seq && c.name == "seq") continue;
    if (!cols.empty()) {
      cols += ", ";
      qs += ", ";
    }
    cols += c.name;
    qs += "?";
  }
  return "INSERT INTO jobs (" + cols + ") VALUES (" + qs + ")";
}

const std::string& update_sql() {
  static const std::string sql = [] {
    std::string s = "UPDATE jobs SET ";
    bool first = true;
    for (const auto& c : kJobCols) {
      if (c.name == "seq" || c.name == "job_id") continue;
      if (!first) s += ", ";
      first = false;
      s += std::string(c.name) + " = ?";
    }
    return s + " WHERE job_id = ?";
  }();
  return sql;
}

Job read_row(Stmt& st) {
  Job j;
  int i = 0;
  for (const auto& c : kJobCols) {
    if (c.i) j.*c.i = st.col_int(i);
    else j.*c.s = st.col_text(i);
    ++i;
  }
  return j;
}

void load_children(Store& s, Job& j) {
  auto& st = s.db().prepare(
      "SELECT step_no, step_id, step_name, status, start_ms, finish_ms, planned_ms, done_ms, incremental, message, errors, warnings "
      "FROM job_steps WHERE job_id = ? ORDER BY step_no");
  st.bind(1, j.id);
  while (st.step()) {
    Step step;
    int i = 0;
    for (const auto& c : kStepCols) {
      if (c.i) step.*c.i = st.col_int(i);
      else step.*c.s = st.col_text(i);
      ++i;
    }
    j.steps.push_back(std::move(step));
  }
  st.reset();
  auto& tags = s.db().prepare("SELECT tag_key, tag_value FROM job_tags WHERE job_id = ? ORDER BY pos");
  tags.bind(1, j.id);
  while (tags.step()) j.tags.emplace_back(tags.col_text(0), tags.col_text(1));
  tags.reset();
}

std::optional<Job> load_with(Store& s, Stmt& st) {
  if (!st.step()) {
    st.reset();
    return std::nullopt;
  }
  Job j = read_row(st);
  st.reset();
  load_children(s, j);
  return j;
}

void save_children(Store& s, const Job& j) {
  s.db().prepare("DELETE FROM job_steps WHERE job_id = ?").bind(1, j.id).exec();
  for (const Step& step : j.steps) {
    auto& st = s.db().prepare(
        "INSERT INTO job_steps (job_id, step_no, step_id, step_name, status, start_ms, finish_ms, planned_ms, done_ms, incremental, "
        "message, errors, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, j.id);
    int i = 2;
    for (const auto& c : kStepCols) {
      if (c.i) st.bind(i, step.*c.i);
      else st.bind(i, step.*c.s);
      ++i;
    }
    st.exec();
  }
  s.db().prepare("DELETE FROM job_tags WHERE job_id = ?").bind(1, j.id).exec();
  int pos = 0;
  for (const auto& [k, v] : j.tags)
    s.db().prepare("INSERT INTO job_tags (job_id, pos, tag_key, tag_value) VALUES (?, ?, ?, ?)").bind_all(j.id, pos++, k, v).exec();
}

}  // namespace

std::optional<Job> load_job(Store& s, std::string_view tenant, std::string_view region, std::string_view job_id) {
  auto& st = s.db().prepare(select_sql(true));
  st.bind_all(job_id, tenant, region);
  return load_with(s, st);
}

std::optional<Job> load_job_any(Store& s, std::string_view job_id) {
  auto& st = s.db().prepare(select_sql(false));
  st.bind(1, job_id);
  return load_with(s, st);
}

bool job_exists(Store& s, std::string_view job_id) {
  auto& st = s.db().prepare("SELECT 1 FROM jobs WHERE job_id = ?");
  st.bind(1, job_id);
  bool found = st.step();
  st.reset();
  return found;
}

void save_job(Store& s, Job& j) {
  bool exists = j.seq > 0 && job_exists(s, j.id);
  if (exists) {
    auto& st = s.db().prepare(update_sql());
    int i = 1;
    for (const auto& c : kJobCols) {
      if (c.name == "seq" || c.name == "job_id") continue;
      if (c.i) st.bind(i, j.*c.i);
      else st.bind(i, j.*c.s);
      ++i;
    }
    st.bind(i, j.id);
    st.exec();
  } else {
    static const std::string with_seq = insert_sql(true), without_seq = insert_sql(false);
    bool keep_seq = j.seq > 0;
    auto& st = s.db().prepare(keep_seq ? with_seq : without_seq);
    int i = 1;
    for (const auto& c : kJobCols) {
      if (!keep_seq && c.name == "seq") continue;
      if (c.i) st.bind(i, j.*c.i);
      else st.bind(i, j.*c.s);
      ++i;
    }
    st.exec();
    if (!keep_seq) j.seq = s.db().last_insert_rowid();
  }
  save_children(s, j);
}

void delete_job(Store& s, std::string_view job_id) { s.db().prepare("DELETE FROM jobs WHERE job_id = ?").bind(1, job_id).exec(); }

std::vector<std::string> due_jobs(Store& s, std::string_view tenant, std::string_view region, Millis now) {
  auto& st = s.db().prepare("SELECT job_id FROM jobs WHERE tenant = ? AND region = ? AND next_event <= ?");
  st.bind_all(tenant, region, now);
  std::vector<std::string> ids;
  while (st.step()) ids.push_back(st.col_text(0));
  st.reset();
  return ids;
}

JsonValue job_to_json(const Job& j, Alloc& a) {
  JsonValue o(rapidjson::kObjectType);
  for (const auto& c : kJobCols) {
    if (c.i) o.AddMember(jstr(c.name, a), JsonValue(static_cast<int64_t>(j.*c.i)), a);
    else o.AddMember(jstr(c.name, a), jstr(j.*c.s, a), a);
  }
  JsonValue steps(rapidjson::kArrayType);
  for (const Step& step : j.steps) {
    JsonValue so(rapidjson::kObjectType);
    for (const auto& c : kStepCols) {
      if (c.i) so.AddMember(jstr(c.name, a), JsonValue(static_cast<int64_t>(step.*c.i)), a);
      else so.AddMember(jstr(c.name, a), jstr(step.*c.s, a), a);
    }
    steps.PushBack(so, a);
  }
  o.AddMember("steps", steps, a);
  JsonValue tags(rapidjson::kArrayType);
  for (const auto& [k, v] : j.tags) {
    JsonValue t(rapidjson::kArrayType);
    t.PushBack(jstr(k, a), a).PushBack(jstr(v, a), a);
    tags.PushBack(t, a);
  }
  o.AddMember("tags", tags, a);
  return o;
}

Job job_from_json(const JsonValue& v) {
  Job j;
  for (const auto& c : kJobCols) {
    if (c.i) {
      if (auto x = int_member(v, c.name)) j.*c.i = *x;
    } else if (auto x = str_member(v, c.name)) {
      j.*c.s = *x;
    }
  }
  if (const JsonValue* steps = member(v, "steps"); steps && steps->IsArray()) {
    for (const auto& sv : steps->GetArray()) {
      Step step;
      for (const auto& c : kStepCols) {
        if (c.i) {
          if (auto x = int_member(sv, c.name)) step.*c.i = *x;
        } else if (auto x = str_member(sv, c.name)) {
          step.*c.s = *x;
        }
      }
      j.steps.push_back(std::move(step));
    }
  }
  if (const JsonValue* tags = member(v, "tags"); tags && tags->IsArray()) {
    for (const auto& t : tags->GetArray())
      if (t.IsArray() && t.Size() == 2 && t[0].IsString() && t[1].IsString()) j.tags.emplace_back(t[0].GetString(), t[1].GetString());
  }
  return j;
}

}  // namespace dtsmock
