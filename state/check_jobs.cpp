// The pre-check of a migration job: CreateMigrateCheckJob,
// DescribeMigrationCheckJob, SkipCheckItem.
#include <set>

#include "state/handlers.h"
#include "state/job_access.h"
#include "state/job_engine.h"

namespace dtsmock {

Outcome CreateMigrateCheckJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return job_action(params, ctx, store, clock, Act::Check, [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
    if (!j.configured) return make_error(Err::OperationDenied_JobOperationDeniedError, Msg::NotConfigured, {j.id});
    engine::begin_check(j, now, store.timing());
    return std::nullopt;
  });
}

Outcome DescribeMigrationCheckJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return job_read(params, ctx, store, clock, "DescribeMigrationCheckJob", [&](Job& j, Millis now, Outcome& out) -> std::optional<ApiError> {
    auto& a = out.body.GetAllocator();
    JsonValue body = render_check_job(j, render_ctx(params, ctx, now), a);
    merge_into(out.body, body, a);
    return std::nullopt;
  });
}

Outcome SkipCheckItem(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "SkipCheckItem";
  const JsonValue* ids = member(params, "StepIds");
  auto fk = str_member(params, "ForeignKeyFlag");
  return job_action(
      params, ctx, store, clock, Act::SkipCheck,
      [&](Job& j, Millis now, Outcome& out) -> std::optional<ApiError> {
        Json steps, skipped;
        if (!parse_json(j.check_steps, steps) || !steps.IsArray()) steps.SetArray();
        if (!parse_json(j.check_skipped, skipped) || !skipped.IsArray()) skipped.SetArray();
        std::set<std::string> failed;
        std::string failed_list;
        for (const auto& s : steps.GetArray()) {
          if (str_member(s, "StepStatus").value_or("") != "failed") continue;
          std::string id = str_member(s, "StepId").value_or("");
          failed.insert(id);
          failed_list += (failed_list.empty() ? "" : ", ") + id;
        }
        for (const auto& v : ids->GetArray()) {
          std::string id = v.IsString() ? v.GetString() : "";
          if (!failed.count(id)) return bad_value(api, Msg::NotAFailedCheckStep, {id, failed_list.empty() ? "(none)" : failed_list});
        }
        auto& a = steps.GetAllocator();
        for (const auto& v : ids->GetArray()) {
          std::string id = v.GetString();
          for (auto& s : steps.GetArray()) {
            if (str_member(s, "StepId").value_or("") != id) continue;
            s["HasSkipped"] = true;
            s["StepMessage"] = jstr("", a);
            for (auto& item : s["DetailCheckItems"].GetArray()) {
              item["CheckResult"] = jstr("warning", a);
              item["FailureReason"] = jstr("", a);
              item["Solution"] = jstr("", a);
              item["ErrorLog"].SetArray().PushBack(jstr("skipped", a), a);
            }
          }
          bool known = false;
          for (const auto& k : skipped.GetArray()) known = known || (k.IsString() && id == k.GetString());
          if (!known) skipped.PushBack(jstr(id, skipped.GetAllocator()), skipped.GetAllocator());
        }
        j.check_steps = to_string(steps);
        j.check_skipped = to_string(skipped);
        j.update_ms = now;
        // The job stays checkNotPass: a new CreateMigrateCheckJob treats the skipped items as passed.
        out.body.AddMember("Message", "skip item successfully", out.body.GetAllocator());
        return std::nullopt;
      },
      [&](const Job&) -> std::optional<ApiError> {
        if (!ids || !ids->IsArray() || ids->Empty()) return bad_value(api, Msg::ValueEmpty, {"StepIds"});
        if (fk) return check_one_of(api, "ForeignKeyFlag", *fk, {"shield", "migrate"});
        return std::nullopt;
      });
}

}  // namespace dtsmock
