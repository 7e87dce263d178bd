// The control API: dtsmock's own HTTP+JSON interface under /_dtsmock/ (clock,
// fault rules, request journal, job-store operations). It is not part of the
// Tencent API: errors are {"error": {"code", "message"}} with a 4xx/5xx status.
// docs/control-api.md documents every endpoint; GET /_dtsmock/openapi.json
// serves the same as an OpenAPI 3 document.
//
// Job-store endpoints are reached through std::function hooks that the app
// wires to state/, so this layer never depends on job code.
#pragma once
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/control/faults.h"
#include "server/control/journal.h"
#include "server/http.h"
#include "state/clock.h"
#include "state/json.h"

namespace dtsmock {

// What a job-store hook receives.
struct ControlCall {
  const HttpRequest& http;
  std::string job_id;                                      // the {JobId} path segment, URL-decoded ("" if none)
  std::vector<std::pair<std::string, std::string>> query;  // URL-decoded query parameters, in order
  const JsonValue& body;                                   // the parsed body; a null value when the body is empty

  // Last value of a query parameter, if present.
  std::optional<std::string> param(std::string_view name) const;
};

// A hook answers the whole response; build it with control_json / control_error.
using ControlHook = std::function<HttpResponse(const ControlCall&)>;

struct ControlDeps {
  Clock& clock;
  FaultEngine& faults;
  Journal& journal;
  std::string admin_token = {};  // empty: the control API is open
  // Job-store operations (unset: the endpoint answers 501 NotImplemented).
  ControlHook fail_job = {};   // POST /_dtsmock/jobs/{JobId}/fail   body: when/how to fail
  ControlHook set_job = {};    // PUT  /_dtsmock/jobs/{JobId}        body: forced status etc.
  ControlHook fixtures = {};   // POST /_dtsmock/fixtures            body: jobs to load
  ControlHook reset = {};      // POST /_dtsmock/reset[?tenant=T]    (without tenant, faults and journal are cleared too)
  ControlHook state = {};      // GET  /_dtsmock/state[?tenant=T]
};

// Routes one /_dtsmock/... request (everything but /_dtsmock/health, which the
// app answers itself). Never throws.
HttpResponse handle_control(const HttpRequest& req, ControlDeps& deps);

// A JSON response.
HttpResponse control_json(const JsonValue& body, int status = 200);
// {"error": {"code": code, "message": message}} with the given status.
HttpResponse control_error(int status, std::string_view code, std::string_view message);

// Every routed path (OpenAPI path syntax) and its methods, e.g.
// {"/_dtsmock/faults/{id}", "GET DELETE"}. Tests check the OpenAPI document
// against this table.
struct ControlRoute {
  std::string_view path;
  std::string_view methods;  // space-separated
};
std::span<const ControlRoute> control_routes();

// The OpenAPI 3 document describing the control API (server/control/openapi.cpp).
std::string_view control_openapi_json();

}  // namespace dtsmock
