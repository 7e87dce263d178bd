// Purchase and configuration of migration jobs: CreateMigrationService,
// ModifyMigrationJob, ModifyMigrateName, ModifyMigrateRateLimit,
// ModifyMigrateRuntimeAttribute.
#include <algorithm>
#include <set>

#include "state/handlers.h"
#include "state/job_access.h"
#include "state/job_engine.h"
#include "state/job_repo.h"
#include "state/shapes.h"
#include "state/timefmt.h"

namespace dtsmock {
namespace {

// migrate-jobs.md §5: the union of the source and target types any action names.
constexpr std::string_view kDatabaseTypes[] = {"mysql",      "redis",      "percona", "mongodb", "postgresql", "sqlserver",   "mariadb",
                                               "cynosdbmysql", "tdsqlmysql", "keewidb", "tdstore", "tendis",     "clickhouse", "tdsqlpercona"};
constexpr std::string_view kAccessTypes[] = {"extranet", "ipv6", "cvm", "dcg", "vpncloud", "cdb", "ccn", "intranet", "vpc"};

std::optional<ApiError> check_database_type(std::string_view api, std::string_view param, std::string_view v) {
  if (std::find(std::begin(kDatabaseTypes), std::end(kDatabaseTypes), v) != std::end(kDatabaseTypes)) return std::nullopt;
  std::string list;
  for (auto t : kDatabaseTypes) list += (list.empty() ? "" : ", ") + std::string(t);
  return bad_value(api, Msg::ValueNotOneOf, {param, v, list});
}

std::optional<ApiError> check_tags(std::string_view api, const JsonValue& params) {
  const JsonValue* tags = member(params, "Tags");
  if (!tags || !tags->IsArray()) return std::nullopt;
  for (const auto& t : tags->GetArray())
    if (str_member(t, "TagKey").value_or("").empty()) return bad_value(api, Msg::TagKeyEmpty, {});
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> tags_of(const JsonValue& params) {
  std::vector<std::pair<std::string, std::string>> out;
  if (const JsonValue* tags = member(params, "Tags"); tags && tags->IsArray())
    for (const auto& t : tags->GetArray()) out.emplace_back(str_member(t, "TagKey").value_or(""), str_member(t, "TagValue").value_or(""));
  return out;
}

// ---- ModifyMigrationJob validation ----------------------------------------

constexpr std::string_view kModify = "ModifyMigrationJob";

std::optional<ApiError> check_endpoint(const JsonValue& params, std::string_view param, std::string_view type, std::string_view region) {
  const JsonValue* ep = member(params, param);
  if (!ep || !ep->IsObject()) return make_error(Err::MissingParameter_MissingParameterError, Msg::MissingParam, {param});
  std::string p = std::string(param);
  auto dt = str_member(*ep, "DatabaseType").value_or("");
  if (dt != type) return bad_value(kModify, Msg::EndpointImmutable, {p + ".DatabaseType", dt, type});
  auto rg = str_member(*ep, "Region").value_or("");
  if (rg != region) return bad_value(kModify, Msg::EndpointImmutable, {p + ".Region", rg, region});
  std::string access = str_member(*ep, "AccessType").value_or("");
  if (std::find(std::begin(kAccessTypes), std::end(kAccessTypes), access) == std::end(kAccessTypes)) {
    std::string list;
    for (auto t : kAccessTypes) list += (list.empty() ? "" : ", ") + std::string(t);
    return bad_value(kModify, Msg::ValueNotOneOf, {p + ".AccessType", access, list});
  }
  const JsonValue* info = member(*ep, "Info");
  if (!info || !info->IsArray() || info->Empty()) return bad_value(kModify, Msg::ValueEmpty, {p + ".Info"});
  for (const auto& i : info->GetArray())
    if (auto enc = str_member(i, "EncryptConn"); enc && !enc->empty())
      if (auto e = check_one_of(kModify, p + ".Info.EncryptConn", *enc, {"UnEncrypted", "Encrypted"})) return e;
  return std::nullopt;
}

std::optional<ApiError> check_migrate_option(const JsonValue& opt, const Job& j) {
  const JsonValue* table = member(opt, "DatabaseTable");
  if (!table || !table->IsObject()) return make_error(Err::MissingParameter_MissingParameterError, Msg::MissingParam, {"MigrateOption.DatabaseTable"});
  std::string mode = str_member(*table, "ObjectMode").value_or("");
  if (auto e = check_one_of(kModify, "MigrateOption.DatabaseTable.ObjectMode", mode, {"all", "partial"})) return e;
  if (mode == "partial") {
    const JsonValue* dbs = member(*table, "Databases");
    if (!dbs || !dbs->IsArray() || dbs->Empty()) return bad_value(kModify, Msg::ValueEmpty, {"MigrateOption.DatabaseTable.Databases"});
  }
  std::string type = str_member(opt, "MigrateType").value_or("fullAndIncrement");
  if (auto e = check_one_of(kModify, "MigrateOption.MigrateType", type, {"full", "structure", "fullAndIncrement"})) return e;
  if (is_redis_link(j) && type != "fullAndIncrement") return bad_value(kModify, Msg::RedisOnlyFullAndIncrement, {j.src_type, type});
  if (const JsonValue* c = member(opt, "Consistency"); c && c->IsObject())
    if (auto m = str_member(*c, "Mode"))
      if (auto e = check_one_of(kModify, "MigrateOption.Consistency.Mode", *m, {"full", "noCheck", "notConfigured"})) return e;
  if (const JsonValue* extra = member(opt, "ExtraAttr"); extra && extra->IsArray())
    for (const auto& kv : extra->GetArray())
      if (str_member(kv, "Key").value_or("") == "DstWriteMode")
        if (auto e = check_one_of(kModify, "MigrateOption.ExtraAttr.DstWriteMode", str_member(kv, "Value").value_or(""),
                                  {"clearData", "overwrite", "normal"}))
          return e;
  if (auto way = str_member(opt, "MigrateWay"); way && !way->empty())
    if (auto e = check_one_of(kModify, "MigrateOption.MigrateWay", *way, {"logical", "physical"})) return e;
  if (const JsonValue* rl = member(opt, "RateLimit"); rl && rl->IsObject()) {
    struct Limit {
      std::string_view name;
      int64_t max;
    };
    // 0 or less keeps the current value (the real examples send -1).
    for (Limit l : {Limit{"DumpThread", 16}, Limit{"LoadThread", 16}, Limit{"SinkerThread", 128}, Limit{"DumpRps", 50000000}, Limit{"LoadRps", 50000000}})
      if (auto v = int_member(*rl, l.name); v && *v > l.max)
        if (auto e = check_range(kModify, "MigrateOption.RateLimit." + std::string(l.name), *v, 0, l.max)) return e;
  }
  return std::nullopt;
}

std::optional<ApiError> validate_modify(const JsonValue& params, const Job& j) {
  std::string run_mode = str_member(params, "RunMode").value_or("");
  if (auto e = check_one_of(kModify, "RunMode", run_mode, {"immediate", "timed"})) return e;
  auto expect = str_member(params, "ExpectRunTime");
  if (expect && !expect->empty() && !parse_api_time(*expect))
    return make_error(Err::InvalidParameterValue_DataConvertError, Msg::BadTime, {"ExpectRunTime", *expect});
  if (run_mode == "timed" && (!expect || expect->empty())) return bad_value(kModify, Msg::TimedNeedsExpectRunTime, {});
  const JsonValue* opt = member(params, "MigrateOption");
  if (!opt || !opt->IsObject()) return make_error(Err::MissingParameter_MissingParameterError, Msg::MissingParam, {"MigrateOption"});
  if (auto e = check_migrate_option(*opt, j)) return e;
  if (auto e = check_endpoint(params, "SrcInfo", j.src_type, j.src_region)) return e;
  if (auto e = check_endpoint(params, "DstInfo", j.dst_type, j.dst_region)) return e;
  if (auto minutes = int_member(params, "AutoRetryTimeRangeMinutes"); minutes && *minutes != 0)
    if (auto e = check_range(kModify, "AutoRetryTimeRangeMinutes", *minutes, 5, 720)) return e;
  if (auto name = str_member(params, "JobName"))
    if (auto e = check_length(kModify, "JobName", *name, 128)) return e;
  return check_tags(kModify, params);
}

std::string first_instance(const JsonValue& ep) {
  if (const JsonValue* info = member(ep, "Info"); info && info->IsArray() && !info->Empty())
    return str_member((*info)[0], "InstanceId").value_or("");
  return {};
}

}  // namespace

Outcome CreateMigrationService(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "CreateMigrationService";
  std::string src = str_member(params, "SrcDatabaseType").value_or(""), dst = str_member(params, "DstDatabaseType").value_or("");
  std::string src_region = str_member(params, "SrcRegion").value_or(""), dst_region = str_member(params, "DstRegion").value_or("");
  std::string cls = str_member(params, "InstanceClass").value_or("");
  int64_t count = int_member(params, "Count").value_or(1);
  std::string name = str_member(params, "JobName").value_or("");
  if (auto e = check_database_type(api, "SrcDatabaseType", src)) return Outcome::fail(*e);
  if (auto e = check_database_type(api, "DstDatabaseType", dst)) return Outcome::fail(*e);
  if (dst_region != ctx.region) return Outcome::fail(bad_value(api, Msg::DstRegionNotRequestRegion, {dst_region, ctx.region}));
  if (src_region.empty()) return Outcome::fail(bad_value(api, Msg::ValueEmpty, {"SrcRegion"}));
  if (auto e = check_one_of(api, "InstanceClass", cls, {"small", "medium", "large", "xlarge", "2xlarge"})) return Outcome::fail(*e);
  if (auto e = check_range(api, "Count", count, 1, 15)) return Outcome::fail(*e);
  if (auto e = check_length(api, "JobName", name, 128)) return Outcome::fail(*e);
  if (auto e = check_tags(api, params)) return Outcome::fail(*e);

  Millis now = clock.now();
  std::optional<IdSource> local;  // callers without an id source (tools) still get random ids
  IdSource* id_source = ctx.ids;
  if (!id_source) id_source = &local.emplace();
  Outcome out;
  JsonValue ids(rapidjson::kArrayType);
  auto& a = out.body.GetAllocator();
  for (int64_t i = 0; i < count; ++i) {
    Job j;
    do {
      j.id = id_source->job_id();
    } while (job_exists(store, j.id));
    j.tenant = ctx.tenant;
    j.region = ctx.region;
    j.name = name.empty() ? j.id : name;  // [G] an unnamed job is named after its id
    j.create_ms = j.update_ms = now;
    j.src_type = src;
    j.dst_type = dst;
    j.src_region = src_region;
    j.dst_region = dst_region;
    j.instance_class = cls;
    j.deal_name = new_deal_name(id_source, now);
    j.tags = tags_of(params);
    engine::enter(j, Status::creating, now, store.timing().of("creating"));
    persist(store, j);
    ids.PushBack(jstr(j.id, a), a);
    out.job_id += (out.job_id.empty() ? "" : ",") + j.id;
  }
  out.body.AddMember("JobIds", ids, a);
  out.status_after = "creating";
  return out;
}

Outcome ModifyMigrationJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return job_action(
      params, ctx, store, clock, Act::Configure,
      [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
        Json scratch;
        auto& a = scratch.GetAllocator();
        const JsonValue& src = params["SrcInfo"];
        const JsonValue& dst = params["DstInfo"];
        const JsonValue& opt = params["MigrateOption"];
        j.src_info = to_string(normalize(&src, shapes::DBEndpointInfo, a));
        j.dst_info = to_string(normalize(&dst, shapes::DBEndpointInfo, a));
        j.src_instance = first_instance(src);
        j.dst_instance = first_instance(dst);
        j.src_access = str_member(src, "AccessType").value_or("");
        j.dst_access = str_member(dst, "AccessType").value_or("");
        j.migrate_option = to_string(normalize(&opt, shapes::MigrateOption, a));
        j.migrate_type = str_member(opt, "MigrateType").value_or("fullAndIncrement");
        j.run_mode = str_member(params, "RunMode").value_or("immediate");
        auto expect = str_member(params, "ExpectRunTime");
        j.expect_run_ms = expect && !expect->empty() ? parse_api_time(*expect).value_or(0) : 0;
        if (auto minutes = int_member(params, "AutoRetryTimeRangeMinutes")) j.auto_retry_minutes = *minutes;
        if (auto name = str_member(params, "JobName"); name && !name->empty()) j.name = *name;
        if (member(params, "Tags")) j.tags = tags_of(params);
        if (const JsonValue* rl = member(opt, "RateLimit"); rl && rl->IsObject()) {
          RateLimits r = current_rate_limits(j);
          auto take = [&](std::string_view k, int64_t& field) {
            if (auto v = int_member(*rl, k); v && *v > 0) {
              field = *v;
              r.user_set = true;
            }
          };
          take("DumpThread", r.dump_thread);
          take("DumpRps", r.dump_rps);
          take("LoadThread", r.load_thread);
          take("LoadRps", r.load_rps);
          take("SinkerThread", r.sinker_thread);
          j.rate_limit = rate_limits_json(r);
        }
        j.runtime_attrs = "{}";  // a new configuration supersedes earlier runtime attributes
        engine::configure_done(j, now);
        return std::nullopt;
      },
      [&](const Job& j) { return validate_modify(params, j); });
}

Outcome ModifyMigrateName(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "ModifyMigrateName";
  std::string name = str_member(params, "JobName").value_or("");
  return job_action(
      params, ctx, store, clock, Act::Rename,
      [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
        j.name = name;
        j.update_ms = now;
        return std::nullopt;
      },
      [&](const Job&) -> std::optional<ApiError> {
        if (name.empty()) return bad_value(api, Msg::ValueEmpty, {"JobName"});
        return check_length(api, "JobName", name, 128);
      });
}

Outcome ModifyMigrateRateLimit(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "ModifyMigrateRateLimit";
  struct Limit {
    std::string_view name;
    int64_t lo, hi;
    int64_t RateLimits::*field;
  };
  static constexpr Limit kLimits[] = {{"DumpThread", 1, 16, &RateLimits::dump_thread},
                                      {"DumpRps", 1, 50000000, &RateLimits::dump_rps},
                                      {"LoadThread", 1, 16, &RateLimits::load_thread},
                                      {"LoadRps", 1, 50000000, &RateLimits::load_rps},
                                      {"SinkerThread", 1, 128, &RateLimits::sinker_thread}};
  return job_action(
      params, ctx, store, clock, Act::RateLimit,
      [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
        RateLimits r = current_rate_limits(j);
        for (const Limit& l : kLimits)
          if (auto v = int_member(params, l.name)) r.*l.field = *v;
        r.user_set = true;
        j.rate_limit = rate_limits_json(r);
        j.update_ms = now;
        return std::nullopt;
      },
      [&](const Job&) -> std::optional<ApiError> {
        bool any = false;
        for (const Limit& l : kLimits) {
          if (auto v = int_member(params, l.name)) {
            any = true;
            if (auto e = check_range(api, l.name, *v, l.lo, l.hi)) return e;
          }
        }
        if (!any) return bad_value(api, Msg::NothingToChange, {"DumpThread, DumpRps, LoadThread, LoadRps, SinkerThread"});
        return std::nullopt;
      });
}

Outcome ModifyMigrateRuntimeAttribute(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "ModifyMigrateRuntimeAttribute";
  const JsonValue* opts = member(params, "OtherOptions");
  return job_action(
      params, ctx, store, clock, Act::RuntimeAttr,
      [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
        Json attrs;
        if (!parse_json(j.runtime_attrs, attrs) || !attrs.IsObject()) attrs.SetObject();
        auto& a = attrs.GetAllocator();
        for (const auto& kv : opts->GetArray()) {
          std::string key = str_member(kv, "Key").value_or(""), value = str_member(kv, "Value").value_or("");
          attrs.RemoveMember(key.c_str());
          attrs.AddMember(jstr(key, a), jstr(value, a), a);
        }
        j.runtime_attrs = to_string(attrs);
        j.update_ms = now;
        return std::nullopt;
      },
      [&](const Job& j) -> std::optional<ApiError> {
        if (!opts || !opts->IsArray() || opts->Empty()) return bad_value(api, Msg::ValueEmpty, {"OtherOptions"});
        for (const auto& kv : opts->GetArray()) {
          std::string key = str_member(kv, "Key").value_or(""), value = str_member(kv, "Value").value_or("");
          if (auto e = check_one_of(api, "OtherOptions.Key", key, {"DstWriteMode", "IsDstReadOnly"})) return e;
          if (key == "DstWriteMode") {
            if (!is_redis_link(j)) return bad_value(api, Msg::RedisOnlyAttribute, {key, j.src_type});
            if (auto e = check_one_of(api, "DstWriteMode", value, {"clearData", "overwrite", "normal"})) return e;
          } else if (auto e = check_one_of(api, "IsDstReadOnly", value, {"true", "false"})) {
            return e;
          }
        }
        return std::nullopt;
      });
}

}  // namespace dtsmock
