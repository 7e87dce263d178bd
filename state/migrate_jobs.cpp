// The running lifecycle of a migration job: StartMigrateJob, PauseMigrateJob,
// ContinueMigrateJob, ResumeMigrateJob, StopMigrateJob, CompleteMigrateJob.
// Whether each may run is the transition table's decision (state/transitions.cpp).
#include "state/compare_tasks.h"
#include "state/handlers.h"
#include "state/job_access.h"
#include "state/job_engine.h"

namespace dtsmock {
namespace {

constexpr std::string_view kResume = "ResumeMigrateJob";

std::string link_of(const Job& j) { return j.src_type + " -> " + j.dst_type; }

// migrate-jobs.md §5.1: clearData/overwrite only on redis-family links, normal
// only on the others; anything else is unknown.
std::optional<ApiError> check_resume_option(const Job& j, const std::optional<std::string>& option) {
  if (!option) return std::nullopt;
  bool redis = is_redis_link(j);
  std::string_view allowed = redis ? "clearData, overwrite" : "normal";
  std::string family = redis ? "redis-family" : "non-redis";
  if (*option != "clearData" && *option != "overwrite" && *option != "normal")
    return bad_value(kResume, Msg::ResumeOptionUnknown, {*option, link_of(j), family, allowed});
  bool fits = redis ? *option != "normal" : *option == "normal";
  if (!fits) return bad_value(kResume, Msg::ResumeOptionNotForLink, {*option, link_of(j), family, allowed});
  return std::nullopt;
}

// An action whose whole effect is one engine transition.
template <typename F>
Outcome simple(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock, Act act, F transition) {
  return job_action(params, ctx, store, clock, act, [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
    transition(j, now, store.timing());
    return std::nullopt;
  });
}

}  // namespace

Outcome StartMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return job_action(params, ctx, store, clock, Act::Start, [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
    engine::start(j, now, store.timing());
    create_default_compare(store, j, now, ctx.ids);
    return std::nullopt;
  });
}

Outcome PauseMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return simple(params, ctx, store, clock, Act::Pause, engine::pause);
}

Outcome ContinueMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return simple(params, ctx, store, clock, Act::Continue, engine::cont);
}

Outcome StopMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  return simple(params, ctx, store, clock, Act::Stop, engine::stop);
}

Outcome CompleteMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  auto mode = str_member(params, "CompleteMode");
  return job_action(
      params, ctx, store, clock, Act::Complete,
      [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
        // [G] immediately and waitForSync take the same simulated time: the mock's
        // incremental step is already caught up in readyComplete.
        engine::complete(j, now, store.timing());
        return std::nullopt;
      },
      [&](const Job&) -> std::optional<ApiError> {
        if (!mode) return std::nullopt;
        return check_one_of("CompleteMigrateJob", "CompleteMode", *mode, {"waitForSync", "immediately"});
      });
}

Outcome ResumeMigrateJob(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock) {
  auto option = str_member(params, "ResumeOption");
  if (option && option->empty()) option.reset();  // an empty string (an SDK's zero value) counts as omitted
  // A value that no link accepts is refused before the job is looked up; one
  // that only the other link family accepts needs the job to say which it is.
  if (option && *option != "clearData" && *option != "overwrite" && *option != "normal")
    return Outcome::fail(bad_value(kResume, Msg::ResumeOptionUnknownAny, {*option}));
  return job_action(
      params, ctx, store, clock, Act::Resume,
      [&](Job& j, Millis now, Outcome&) -> std::optional<ApiError> {
        engine::resume(j, now, store.timing(), option ? *option : engine::default_resume_option(j), false);
        return std::nullopt;
      },
      [&](const Job& j) { return check_resume_option(j, option); });
}

}  // namespace dtsmock
