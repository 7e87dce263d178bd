#include <doctest/doctest.h>

#include "server/config.h"

using namespace dtsmock;

TEST_CASE("config: defaults") {
  const char* argv[] = {"dtsmock"};
  auto r = parse_config(1, argv, {});
  REQUIRE(r.error.empty());
  CHECK(r.config.port == 8080);
  CHECK(r.config.host == "0.0.0.0");
  CHECK(r.config.db == "dtsmock.db");
  CHECK_FALSE(r.config.auth_verify);
  CHECK(r.config.rate_limit == 20);
}

TEST_CASE("config: flags win over environment, environment over defaults") {
  const char* argv[] = {"dtsmock", "--port", "9001", "--auth=verify"};
  auto r = parse_config(4, argv, {"DTSMOCK_PORT=7000", "DTSMOCK_DB=:memory:", "DTSMOCK_RATE_LIMIT=0", "DTSMOCK_ADMIN_TOKEN=t"});
  REQUIRE(r.error.empty());
  CHECK(r.config.port == 9001);
  CHECK(r.config.db == ":memory:");
  CHECK(r.config.rate_limit == 0);
  CHECK(r.config.auth_verify);
  CHECK(r.config.admin_token == "t");
}

TEST_CASE("config: bad values are reported, not ignored") {
  for (auto args : std::vector<std::vector<const char*>>{{"dtsmock", "--port", "70000"},
                                                        {"dtsmock", "--auth", "maybe"},
                                                        {"dtsmock", "--nope"},
                                                        {"dtsmock", "--port"},
                                                        {"dtsmock", "--phase", "checking"},
                                                        {"dtsmock", "stray"}}) {
    auto r = parse_config(static_cast<int>(args.size()), args.data(), {});
    CAPTURE(args.size());
    CHECK_FALSE(r.error.empty());
  }
  auto r = parse_config(1, std::vector<const char*>{"dtsmock"}.data(), {"DTSMOCK_TIME_SCALE=fast"});
  CHECK(r.error.find("DTSMOCK_TIME_SCALE") != std::string::npos);
}

TEST_CASE("config: repeatable --phase, --help and --version") {
  const char* argv[] = {"dtsmock", "--phase", "checking=5", "--phase", "creating=0.5"};
  auto r = parse_config(5, argv, {});
  REQUIRE(r.error.empty());
  REQUIRE(r.config.phases.size() == 2);
  CHECK(r.config.phases[1].first == "creating");
  CHECK(r.config.phases[1].second == 0.5);
  const char* h[] = {"dtsmock", "--help"};
  CHECK(parse_config(2, h, {}).show_help);
  const char* v[] = {"dtsmock", "--version"};
  CHECK(parse_config(2, v, {}).show_version);
  CHECK(usage().find("DTSMOCK_RATE_LIMIT") != std::string::npos);
}
