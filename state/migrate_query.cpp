// Reads: DescribeMigrationJobs, DescribeMigrationDetail, DescribeMigrateDBInstances.
#include <set>
#include <variant>

#include "state/handlers.h"
#include "state/job_access.h"
#include "state/job_repo.h"

namespace dtsmock {
namespace {

constexpr std::string_view kList = "DescribeMigrationJobs";

using Bind = std::variant<std::string, int64_t>;

struct Where {
  std::string sql;
  std::vector<Bind> binds;
  void add(std::string clause) { sql += " AND " + clause; }
  void add(std::string clause, Bind b) {
    add(std::move(clause));
    binds.push_back(std::move(b));
  }
};

// A JSON array of the strings of a list parameter (nullopt when absent or empty).
std::optional<std::string> string_list(const JsonValue& params, std::string_view name) {
  const JsonValue* v = member(params, name);
  if (!v || !v->IsArray() || v->Empty()) return std::nullopt;
  Json arr(rapidjson::kArrayType);
  for (const auto& e : v->GetArray())
    if (e.IsString()) arr.PushBack(JsonValue(e, arr.GetAllocator()), arr.GetAllocator());
  return to_string(arr);
}

std::optional<ApiError> validate_list(const JsonValue& params) {
  if (auto limit = int_member(params, "Limit"))
    if (auto e = check_range(kList, "Limit", *limit, 1, 100)) return e;
  if (auto order = str_member(params, "OrderSeq"); order && !order->empty())
    if (auto e = check_one_of(kList, "OrderSeq", *order, {"asc", "desc"})) return e;
  if (auto mode = str_member(params, "RunMode"); mode && !mode->empty())
    if (auto e = check_one_of(kList, "RunMode", *mode, {"immediate", "timed"})) return e;
  if (const JsonValue* st = member(params, "Status"); st && st->IsArray()) {
    for (const auto& s : st->GetArray()) {
      std::string v = s.IsString() ? s.GetString() : "";
      if (!parse_status(v)) {
        std::string all;
        for (Status x : all_statuses()) all += (all.empty() ? "" : ", ") + std::string(status_name(x));
        return bad_value(kList, Msg::ValueNotOneOf, {"Status", v, all});
      }
    }
  }
  return std::nullopt;
}

Where list_filter(const JsonValue& params, const RequestContext& ctx) {
  Where w;
  w.sql = "tenant = ? AND region = ?";
  w.binds = {ctx.tenant, ctx.region};
  auto scalar = [&](std::string_view param, std::string col) {
    if (auto v = str_member(params, param); v && !v->empty()) w.add(col + " = ?", *v);
  };
  auto list = [&](std::string_view param, std::string col) {
    if (auto v = string_list(params, param)) w.add(col + " IN (SELECT value FROM json_each(?))", *v);
  };
  if (auto id = str_member(params, "JobId"); id && !id->empty()) {
    w.add("job_id = ?", *id);
  } else {
    w.add("removed = 0");  // [G] destroyed jobs leave the list; asked for by JobId they still answer
  }
  // [G] JobName matches as a case-sensitive substring.
  if (auto name = str_member(params, "JobName"); name && !name->empty()) w.add("instr(job_name, ?) > 0", *name);
  // One status (the common case) as an equality, so the status index also gives the order.
  if (const JsonValue* st = member(params, "Status"); st && st->IsArray() && st->Size() == 1 && (*st)[0].IsString())
    w.add("status = ?", std::string((*st)[0].GetString(), (*st)[0].GetStringLength()));
  else
    list("Status", "status");
  scalar("SrcInstanceId", "src_instance");
  scalar("SrcRegion", "src_region");
  list("SrcDatabaseType", "src_type");
  list("SrcAccessType", "src_access");
  scalar("DstInstanceId", "dst_instance");
  scalar("DstRegion", "dst_region");
  list("DstDatabaseType", "dst_type");
  list("DstAccessType", "dst_access");
  scalar("RunMode", "run_mode");
  if (const JsonValue* tf = member(params, "TagFilters"); tf && tf->IsArray()) {
    for (const auto& f : tf->GetArray()) {
      std::string key = str_member(f, "TagKey").value_or("");
      std::string clause = "EXISTS (SELECT 1 FROM job_tags t WHERE t.job_id = jobs.job_id AND t.tag_key = ?";
      w.binds.emplace_back(key);
      if (auto values = string_list(f, "TagValue")) {
        clause += " AND t.tag_value IN (SELECT value FROM json_each(?))";
        w.binds.emplace_back(*values);
      }
      w.add(clause + ")");
    }
  }
  return w;
}

void bind_all(Stmt& st, const std::vector<Bind>& binds, int from = 1) {
  int i = from;
  for (const auto& b : binds) {
    if (const auto* s = std::get_if<std::string>(&b)) st.bind(i++, *s);
    else st.bind(i++, std::get<int64_t>(b));
  }
}

// Brings every due job of the caller's tenant and region up to `now`, so the
// indexed status column is current before it is filtered on.
void advance_due(Store& store, const RequestContext& ctx, Millis now) {
  for (const auto& id : due_jobs(store, ctx.tenant, ctx.region, now)) {
    auto j = load_job(store, ctx.tenant, ctx.region, id);
    if (!j) continue;
    advance_job(store, *j, now);
    persist(store, *j);  // due jobs always move (or at least get a new next_event)
  }
}

}  // namespace

Outcome DescribeMigrationJobs(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  if (auto e = validate_list(params)) return Outcome::fail(*e);
  const int64_t limit = int_member(params, "Limit").value_or(20);
  const int64_t offset = std::max<int64_t>(0, int_member(params, "Offset").value_or(0));
  const bool asc = str_member(params, "OrderSeq").value_or("desc") == "asc";
  const Millis now = clock.now();
  advance_due(store, ctx, now);

  Where w = list_filter(params, ctx);
  Stmt count(store.db().raw(), "SELECT COUNT(*) FROM jobs WHERE " + w.sql);
  bind_all(count, w.binds);
  int64_t total = count.step() ? count.col_int(0) : 0;

  std::string dir = asc ? "ASC" : "DESC";
  Stmt page(store.db().raw(), "SELECT job_id FROM jobs WHERE " + w.sql + " ORDER BY create_ms " + dir + ", seq " + dir + " LIMIT ? OFFSET ?");
  bind_all(page, w.binds);
  page.bind(static_cast<int>(w.binds.size()) + 1, limit).bind(static_cast<int>(w.binds.size()) + 2, offset);
  std::vector<std::string> ids;
  while (page.step()) ids.push_back(page.col_text(0));

  Outcome out;
  auto& a = out.body.GetAllocator();
  RenderCtx rc = render_ctx(params, ctx, now);
  JsonValue list(rapidjson::kArrayType);
  for (const auto& id : ids)
    if (auto j = load_job(store, ctx.tenant, ctx.region, id)) list.PushBack(render_with_compare(store, *j, rc, false, a), a);
  out.body.AddMember("TotalCount", total, a);
  out.body.AddMember("JobList", list, a);
  return out;
}

Outcome DescribeMigrationDetail(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return job_read(params, ctx, store, clock, "DescribeMigrationDetail", [&](Job& j, Millis now, Outcome& out) -> std::optional<ApiError> {
    auto& a = out.body.GetAllocator();
    JsonValue body = render_with_compare(store, j, render_ctx(params, ctx, now), true, a);
    merge_into(out.body, body, a);
    return std::nullopt;
  });
}

Outcome DescribeMigrateDBInstances(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock&) {
  constexpr std::string_view api = "DescribeMigrateDBInstances";
  std::string type = str_member(params, "DatabaseType").value_or("");
  auto role = str_member(params, "MigrateRole");
  auto account = str_member(params, "AccountMode");
  auto want_id = str_member(params, "InstanceId").value_or("");
  auto want_name = str_member(params, "InstanceName").value_or("");
  int64_t limit = int_member(params, "Limit").value_or(20), offset = int_member(params, "Offset").value_or(0);
  if (type.empty()) return Outcome::fail(bad_value(api, Msg::ValueEmpty, {"DatabaseType"}));
  if (role && !role->empty())
    if (auto e = check_one_of(api, "MigrateRole", *role, {"src", "dst"})) return Outcome::fail(*e);
  if (account && !account->empty())
    if (auto e = check_one_of(api, "AccountMode", *account, {"self", "other"})) return Outcome::fail(*e);
  if (auto e = check_range(api, "Limit", limit, 1, 1000)) return Outcome::fail(*e);
  if (auto e = check_range(api, "Offset", offset, 0, INT64_MAX)) return Outcome::fail(*e);

  // [G] The mock knows no cloud instances but those the tenant's jobs in this
  // region name as endpoints; each is usable in either role.
  struct Instance {
    std::string id, vip;
    int64_t port;
  };
  std::vector<Instance> found;
  std::set<std::string> seen;
  auto& st = store.db().prepare("SELECT src_type, src_info, dst_type, dst_info FROM jobs WHERE tenant = ? AND region = ? AND removed = 0 ORDER BY seq");
  st.bind_all(ctx.tenant, ctx.region);
  while (st.step()) {
    for (int side = 0; side < 2; ++side) {
      if (st.col_text(side * 2) != type) continue;
      Json ep;
      if (!parse_json(st.col_text(side * 2 + 1), ep) || str_member(ep, "Region").value_or("") != ctx.region) continue;
      const JsonValue* info = member(ep, "Info");
      if (!info || !info->IsArray()) continue;
      for (const auto& i : info->GetArray()) {
        std::string id = str_member(i, "InstanceId").value_or("");
        if (id.empty() || !seen.insert(id).second) continue;
        if (!want_id.empty() && id != want_id) continue;
        if (!want_name.empty() && id.find(want_name) == std::string::npos) continue;
        found.push_back({id, str_member(i, "Host").value_or(""), int_member(i, "Port").value_or(0)});
      }
    }
  }
  st.reset();

  Outcome out;
  auto& a = out.body.GetAllocator();
  JsonValue list(rapidjson::kArrayType);
  for (size_t k = static_cast<size_t>(offset); k < found.size() && static_cast<int64_t>(list.Size()) < limit; ++k) {
    JsonValue o(rapidjson::kObjectType);
    o.AddMember("InstanceId", jstr(found[k].id, a), a);
    o.AddMember("InstanceName", jstr(found[k].id, a), a);
    o.AddMember("Vip", jstr(found[k].vip, a), a);
    o.AddMember("Vport", found[k].port, a);
    o.AddMember("Usable", 1, a);
    o.AddMember("Hint", "ok", a);
    list.PushBack(o, a);
  }
  out.body.AddMember("TotalCount", static_cast<int64_t>(found.size()), a);
  out.body.AddMember("Instances", list, a);
  return out;
}

}  // namespace dtsmock
