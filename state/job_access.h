// The frame every job handler shares: find the job named by JobId behind the
// tenant/region wall, advance it to now, consult the transition table, apply
// the change, save it, and report the job and its statuses to the journal.
#pragma once
#include <functional>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <variant>

#include "state/handler.h"
#include "state/job.h"
#include "state/job_render.h"
#include "state/store.h"

namespace dtsmock {

// The codes an action answers for an unknown job and for a bad parameter
// value (taken from the action's error list, migrate-jobs.md §3.1).
struct ActionCodes {
  Err not_found;
  Err bad_value;
};
ActionCodes codes_for(std::string_view api);

ApiError job_not_found(std::string_view api, std::string_view job_id);
ApiError bad_value(std::string_view api, Msg m, std::initializer_list<std::string_view> args);

// Value checks answering the action's bad-value code.
std::optional<ApiError> check_one_of(std::string_view api, std::string_view param, std::string_view value,
                                     std::initializer_list<std::string_view> allowed);
std::optional<ApiError> check_range(std::string_view api, std::string_view param, int64_t value, int64_t lo, int64_t hi);
std::optional<ApiError> check_length(std::string_view api, std::string_view param, std::string_view value, size_t max_chars);

// The job `params.JobId` of ctx's tenant and region, advanced to clock.now().
std::variant<Job, ApiError> open_job(const JsonValue& params, const RequestContext& ctx, Store& s, const Clock& c, std::string_view api);
// Advances a loaded job to `now` (no save); true (and j.dirty) when it changed.
bool advance_job(Store& s, Job& j, Millis now);
// Recomputes next_event and writes the job.
void persist(Store& s, Job& j);

// A new order number (TradeInfo.DealName): the Beijing date and 15 digits.
std::string new_deal_name(IdSource* ids, Millis now);

RenderCtx render_ctx(const JsonValue& params, const RequestContext& ctx, Millis now);
// The job's JobItem / Detail fields (looks up its compare task).
JsonValue render_with_compare(Store& s, const Job& j, const RenderCtx& rc, bool detail, Alloc& a);

// A state-checked action: open → validate (before the status check) →
// transition table → apply → save. `apply` may still refuse (nothing is saved
// then, and the dispatcher rolls the transaction back).
using JobCheck = std::function<std::optional<ApiError>(const Job&)>;
using JobApply = std::function<std::optional<ApiError>(Job&, Millis now, Outcome&)>;
Outcome job_action(const JsonValue& params, const RequestContext& ctx, Store& s, const Clock& c, Act act, const JobApply& apply,
                   const JobCheck& validate = {});

// A read (no table row): open, save what advancing changed, then render.
using JobRead = std::function<std::optional<ApiError>(Job&, Millis now, Outcome&)>;
Outcome job_read(const JsonValue& params, const RequestContext& ctx, Store& s, const Clock& c, std::string_view api, const JobRead& read);

}  // namespace dtsmock
