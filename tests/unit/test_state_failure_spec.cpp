// The control API's failure spec is strict: a typo must not fail a job at once.
#include <doctest/doctest.h>

#include <variant>

#include "state/job_faults.h"

using namespace dtsmock;

namespace {
std::variant<FailureSpec, FaultError> parse(const char* text) {
  Json d;
  d.Parse(text);
  return failure_from_json(d);
}
}  // namespace

TEST_CASE("failure spec: members are checked by name and type") {
  auto ok = parse(R"({"status":"resumableErr","stepId":"loader","afterSeconds":30,"code":"X","message":"m"})");
  REQUIRE(std::holds_alternative<FailureSpec>(ok));
  CHECK(std::get<FailureSpec>(ok).after_ms == 30000);
  CHECK(std::get<FailureSpec>(ok).status == Status::resumableErr);
  for (const char* bad : {R"({"afterSecond":30})", R"({"status":7})", R"({"afterMs":-1})", R"({"afterSeconds":"30"})",
                          R"({"status":"nonsense"})", R"([1])"}) {
    CAPTURE(bad);
    auto r = parse(bad);
    REQUIRE(std::holds_alternative<FaultError>(r));
    CHECK(std::get<FaultError>(r).kind == FaultError::BadRequest);
  }
}
