// What a handler is: a plain function of (validated parameters, request
// context, store, clock) returning an output object or an ApiError.
// The dispatcher (server/) opens one SQLite transaction around each call.
#pragma once
#include <optional>
#include <string>
#include <variant>

#include "state/clock.h"
#include "state/errors.h"
#include "state/ids.h"
#include "state/json.h"

namespace dtsmock {

class Store;

struct RequestContext {
  std::string tenant = "default";  // credential's Tenant, else its SecretId
  std::string region;              // validated Region common parameter
  std::string action;
  std::string request_id;
  Lang lang = Lang::En;
  IdSource* ids = nullptr;
};

// The output fields of a successful call (without RequestId), or an error.
// A handler may also report the job it touched and its status before/after,
// for the request journal.
struct Outcome {
  std::optional<ApiError> error;
  Json body{rapidjson::kObjectType};
  std::string job_id;
  std::string status_before, status_after;

  static Outcome fail(ApiError e) {
    Outcome o;
    o.error = std::move(e);
    return o;
  }
};

using Handler = Outcome (*)(const JsonValue& params, const RequestContext& ctx, Store& store, const Clock& clock);

}  // namespace dtsmock
