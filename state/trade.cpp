// Billing of migration jobs: IsolateMigrateJob, RecoverMigrateJob,
// DestroyMigrateJob (TradeStatus isolating → isolated → offlining → offlined)
// and ModifyMigrateJobSpec (resizing → normal).
#include "state/handlers.h"
#include "state/job_access.h"
#include "state/job_engine.h"

namespace dtsmock {

Outcome IsolateMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return job_action(params, ctx, store, clock, Act::Isolate, [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
    engine::isolate(j, now, store.timing());
    return std::nullopt;
  });
}

Outcome RecoverMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return job_action(params, ctx, store, clock, Act::Recover, [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
    engine::recover(j, now, store.timing());
    return std::nullopt;
  });
}

Outcome DestroyMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return job_action(params, ctx, store, clock, Act::Destroy, [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
    engine::destroy(j, now, store.timing());
    return std::nullopt;
  });
}

Outcome ModifyMigrateJobSpec(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  constexpr std::string_view api = "ModifyMigrateJobSpec";
  std::string cls = str_member(params, "NewInstanceClass").value_or("");
  return job_action(
      params, ctx, store, clock, Act::Resize,
      [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
        if (cls == j.instance_class) return bad_value(api, Msg::SameInstanceClass, {j.id, cls});
        engine::resize(j, now, store.timing(), cls, new_deal_name(ctx.ids, now));
        return std::nullopt;
      },
      [&](const Job&) { return check_one_of(api, "NewInstanceClass", cls, {"micro", "small", "medium", "large", "xlarge", "2xlarge"}); });
}

}  // namespace dtsmock
