// In-process test harness for the job domain: an in-memory store, a clock
// driven by hand, a seeded id source, and a call() that runs a handler the way
// the dispatcher does (one transaction, rolled back on error).
#pragma once
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "state/clock.h"
#include "state/errors.h"
#include "state/handler.h"
#include "state/handlers.h"
#include "state/ids.h"
#include "state/json.h"
#include "state/store.h"
#include "state/timefmt.h"

namespace dtsmock::test {

// 2024-01-02 03:04:05 UTC = 11:04:05 Beijing time.
inline constexpr Millis kT0 = 1704164645000;

struct Env {
  Millis fake = kT0;
  Clock clock{1.0, [this] { return fake; }};
  Store store;
  IdSource ids{42};
  RequestContext ctx;

  explicit Env(const std::string& path = ":memory:", std::string tenant = "tenant-a", std::string region = "ap-guangzhou") : store(path) {
    ctx.tenant = std::move(tenant);
    ctx.region = std::move(region);
    ctx.ids = &ids;
  }
  Env(const Env&) = delete;

  void advance(Millis ms) { fake += ms; }

  Outcome call(Handler h, std::string_view params_json, const RequestContext* as = nullptr) {
    Json params;
    REQUIRE_MESSAGE(parse_json(params_json, params), params_json);
    Transaction tx(store.db());
    Outcome out = h(params, as ? *as : ctx, store, clock);
    if (!out.error) tx.commit();
    return out;
  }
  // A call that must succeed; returns its body.
  Json ok(Handler h, std::string_view params_json, const RequestContext* as = nullptr) {
    Outcome out = call(h, params_json, as);
    INFO("params: " << params_json);
    REQUIRE_MESSAGE(!out.error, (out.error ? std::string(code_of(out.error->code)) + ": " + out.error->en : ""));
    Json body;
    body.CopyFrom(out.body, body.GetAllocator());
    return body;
  }
  // The code of a call that must fail.
  std::string_view fails(Handler h, std::string_view params_json, const RequestContext* as = nullptr) {
    Outcome out = call(h, params_json, as);
    INFO("params: " << params_json);
    REQUIRE_MESSAGE(out.error.has_value(), "expected an error");
    return code_of(out.error->code);
  }

  static std::string job(std::string_view id) { return std::string(R"({"JobId":")") + std::string(id) + "\"}"; }

  Json detail(std::string_view id) { return ok(DescribeMigrationDetail, job(id)); }
  std::string status(std::string_view id) { return detail(id)["Status"].GetString(); }

  std::string create(std::string_view src = "mysql", std::string_view dst = "mysql") {
    Json body = ok(CreateMigrationService, std::string(R"({"SrcDatabaseType":")") + std::string(src) + R"(","DstDatabaseType":")" +
                                               std::string(dst) + R"(","SrcRegion":"ap-guangzhou","DstRegion":")" + ctx.region +
                                               R"(","InstanceClass":"medium"})");
    return body["JobIds"][0].GetString();
  }

  // A ModifyMigrationJob body for a job of the given link.
  static std::string config(std::string_view id, std::string_view src = "mysql", std::string_view dst = "mysql",
                            std::string_view extra_option = "", std::string_view region = "ap-guangzhou") {
    std::string r(region);
    return std::string(R"({"JobId":")") + std::string(id) + R"(","RunMode":"immediate","MigrateOption":{"DatabaseTable":{"ObjectMode":"all"})" +
           std::string(extra_option) + R"(},"SrcInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":")" + std::string(src) +
           R"(","NodeType":"simple","Info":[{"InstanceId":"src-1","User":"root","Password":"pw"}]},"DstInfo":{"Region":")" + r +
           R"(","AccessType":"cdb","DatabaseType":")" + std::string(dst) + R"(","NodeType":"simple","Info":[{"InstanceId":"dst-1","User":"root","Password":"pw"}]}})";
  }

  // Purchases, configures, checks and starts a job; returns its id once running.
  std::string running_job(std::string_view src = "mysql", std::string_view dst = "mysql", std::string_view extra_option = "") {
    std::string id = create(src, dst);
    advance(1000);
    ok(ModifyMigrationJob, config(id, src, dst, extra_option, ctx.region));
    ok(CreateMigrateCheckJob, job(id));
    advance(3000);
    ok(StartMigrateJob, job(id));
    advance(2000);
    REQUIRE(status(id) == "running");
    return id;
  }
};

}  // namespace dtsmock::test
