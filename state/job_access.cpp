#include "state/job_access.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "state/compare_tasks.h"
#include "state/job_engine.h"
#include "state/job_repo.h"
#include "state/timefmt.h"

namespace dtsmock {
namespace {

// Per action: the unknown-job code and the bad-value code its error list offers.
const std::unordered_map<std::string_view, ActionCodes>& code_table() {
  static const auto* t = new std::unordered_map<std::string_view, ActionCodes>{
      {"ResumeMigrateJob", {Err::ResourceNotFound_JobNotExist, Err::InvalidParameterValue_InvalidParameterValue}},
      {"StartMigrateJob", {Err::ResourceNotFound_JobNotExist, Err::InvalidParameterValue_InvalidParameterValueError}},
      {"StopMigrateJob", {Err::ResourceNotFound_JobNotExist, Err::InvalidParameterValue_InvalidParameterValueError}},
      {"CompleteMigrateJob", {Err::ResourceNotFound_JobNotExist, Err::InvalidParameterValue_InvalidParameterValueError}},
      {"CreateMigrateCheckJob", {Err::ResourceNotFound_JobNotExist, Err::InvalidParameterValue_InvalidParameterValueError}},
      {"ModifyMigrateName", {Err::ResourceNotFound_JobNotExist, Err::InvalidParameterValue_InvalidParameterValueError}},
      {"ModifyMigrateRuntimeAttribute", {Err::ResourceNotFound_ResourceNotFoundError, Err::InvalidParameter_InvalidParameterError}},
      {"PauseMigrateJob", {Err::ResourceNotFound_ResourceNotFoundError, Err::InvalidParameter_InvalidParameterError}},
      {"ContinueMigrateJob", {Err::ResourceNotFound_ResourceNotFoundError, Err::InvalidParameter_InvalidParameterError}},
      {"RecoverMigrateJob", {Err::ResourceNotFound_ResourceNotFoundError, Err::InternalError_InternalHttpServerError}},
      {"DeleteCompareTask", {Err::ResourceNotFound_ResourceNotFoundError, Err::InvalidParameterValue_InvalidParameterValue}},
      {"DescribeMigrateGtidCompareReport", {Err::InvalidParameterValue_InvalidParameterValueError, Err::InvalidParameterValue_InvalidParameterValueError}},
  };
  return *t;
}

}  // namespace

ActionCodes codes_for(std::string_view api) {
  auto it = code_table().find(api);
  if (it != code_table().end()) return it->second;
  return {Err::ResourceNotFound_ResourceNotFoundError, Err::InvalidParameterValue_InvalidParameterValueError};
}

ApiError job_not_found(std::string_view api, std::string_view job_id) { return make_error(codes_for(api).not_found, Msg::JobNotFound, {job_id}); }

ApiError bad_value(std::string_view api, Msg m, std::initializer_list<std::string_view> args) {
  return make_error(codes_for(api).bad_value, m, args);
}

std::optional<ApiError> check_one_of(std::string_view api, std::string_view param, std::string_view value,
                                     std::initializer_list<std::string_view> allowed) {
  std::string list;
  for (auto v : allowed) {
    if (v == value) return std::nullopt;
    if (!list.empty()) list += ", ";
    list += v;
  }
  return bad_value(api, Msg::ValueNotOneOf, {param, value, list});
}

std::optional<ApiError> check_range(std::string_view api, std::string_view param, int64_t value, int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return std::nullopt;
  std::string v = std::to_string(value), l = std::to_string(lo), h = std::to_string(hi);
  return bad_value(api, Msg::ValueOutOfRange, {param, v, l, h});
}

std::optional<ApiError> check_length(std::string_view api, std::string_view param, std::string_view value, size_t max_chars) {
  size_t chars = 0;
  for (unsigned char c : value) chars += (c & 0xC0) != 0x80;  // UTF-8 code points
  if (chars <= max_chars) return std::nullopt;
  std::string m = std::to_string(max_chars);
  return bad_value(api, Msg::ValueTooLong, {param, m});
}

bool advance_job(Store& s, Job& j, Millis now) {
  bool changed = engine::advance(j, now, s.timing());
  j.dirty = j.dirty || changed;
  return changed;
}

void persist(Store& s, Job& j) {
  j.next_event = engine::next_event(j);
  save_job(s, j);
}

std::variant<Job, ApiError> open_job(const JsonValue& params, const RequestContext& ctx, Store& s, const Clock& c, std::string_view api) {
  auto id = str_member(params, "JobId");
  if (!id || id->empty()) return make_error(Err::MissingParameter_MissingParameterError, Msg::MissingParam, {"JobId"});
  auto job = load_job(s, ctx.tenant, ctx.region, *id);
  if (!job) return job_not_found(api, *id);
  advance_job(s, *job, c.now());
  return std::move(*job);
}

std::string new_deal_name(IdSource* ids, Millis now) {
  std::string date = beijing_time(now).substr(0, 10);
  date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
  std::string digits;
  for (int i = 0; i < 15; ++i) digits.push_back(static_cast<char>('0' + (ids ? ids->next() % 10 : static_cast<uint64_t>(i))));
  return date + digits;
}

RenderCtx render_ctx(const JsonValue& params, const RequestContext& ctx, Millis now) { return RenderCtx{now, time_fmt(params), ctx.lang}; }

JsonValue render_with_compare(Store& s, const Job& j, const RenderCtx& rc, bool detail, Alloc& a) {
  return render_job(j, rc, compare_brief(s, j, rc.now), detail, a);
}

Outcome job_action(const JsonValue& params, const RequestContext& ctx, Store& s, const Clock& c, Act act, const JobApply& apply,
                   const JobCheck& validate) {
  const Rule& r = rule(act);
  auto opened = open_job(params, ctx, s, c, r.api);
  if (auto* e = std::get_if<ApiError>(&opened)) return Outcome::fail(std::move(*e));
  Job& j = std::get<Job>(opened);
  Outcome out;
  out.job_id = j.id;
  out.status_before = j.status;
  auto refuse = [&](ApiError e) {
    Outcome o = Outcome::fail(std::move(e));
    o.job_id = j.id;
    o.status_before = o.status_after = out.status_before;
    return o;
  };
  if (validate)
    if (auto e = validate(j)) return refuse(std::move(*e));
  if (auto e = refusal(act, view_of(j))) return refuse(std::move(*e));
  Millis now = c.now();
  if (auto e = apply(j, now, out)) return refuse(std::move(*e));
  persist(s, j);
  out.status_after = j.status;
  return out;
}

Outcome job_read(const JsonValue& params, const RequestContext& ctx, Store& s, const Clock& c, std::string_view api, const JobRead& read) {
  auto opened = open_job(params, ctx, s, c, api);
  if (auto* e = std::get_if<ApiError>(&opened)) return Outcome::fail(std::move(*e));
  Job& j = std::get<Job>(opened);
  Outcome out;
  out.job_id = j.id;
  out.status_before = j.status;
  Millis now = c.now();
  if (auto e = read(j, now, out)) {
    Outcome o = Outcome::fail(std::move(*e));
    o.job_id = j.id;
    o.status_before = o.status_after = j.status;
    return o;
  }
  if (j.dirty) persist(s, j);
  out.status_after = j.status;
  return out;
}

}  // namespace dtsmock
