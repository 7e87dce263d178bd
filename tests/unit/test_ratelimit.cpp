#include <doctest/doctest.h>

#include "server/ratelimit.h"

using namespace dtsmock;

TEST_CASE("rate limit: a burst of 20 passes, the 21st in the same second is refused") {
  int64_t now = 1'000'000;
  RateLimiter rl(20, [&] { return now; });
  for (int i = 0; i < 20; ++i) CHECK(rl.check("t", "ap-guangzhou", "ResumeMigrateJob").allowed);
  auto d = rl.check("t", "ap-guangzhou", "ResumeMigrateJob");
  CHECK_FALSE(d.allowed);
  CHECK(d.seen_this_second == 21);
}

TEST_CASE("rate limit: buckets are per tenant, region and action") {
  int64_t now = 0;
  RateLimiter rl(20, [&] { return now; });
  for (int i = 0; i < 20; ++i) rl.check("t", "ap-guangzhou", "A");
  CHECK_FALSE(rl.check("t", "ap-guangzhou", "A").allowed);
  CHECK(rl.check("t", "ap-guangzhou", "B").allowed);
  CHECK(rl.check("t", "ap-shanghai", "A").allowed);
  CHECK(rl.check("u", "ap-guangzhou", "A").allowed);
}

TEST_CASE("rate limit: tokens refill at the rate, never beyond the burst") {
  int64_t now = 0;
  RateLimiter rl(20, [&] { return now; });
  for (int i = 0; i < 20; ++i) REQUIRE(rl.check("t", "r", "A").allowed);
  CHECK_FALSE(rl.check("t", "r", "A").allowed);
  now += 50;  // one token at 20/s
  CHECK(rl.check("t", "r", "A").allowed);
  CHECK_FALSE(rl.check("t", "r", "A").allowed);
  now += 60'000;  // a long pause refills only up to the burst
  int passed = 0;
  for (int i = 0; i < 30; ++i) passed += rl.check("t", "r", "A").allowed;
  CHECK(passed == 20);
}

TEST_CASE("rate limit: a steady 20/s is always served") {
  int64_t now = 0;
  RateLimiter rl(20, [&] { return now; });
  for (int i = 0; i < 200; ++i) {
    CHECK(rl.check("t", "r", "A").allowed);
    now += 50;
  }
}

TEST_CASE("rate limit: 0 turns it off") {
  RateLimiter rl(0, [] { return int64_t{0}; });
  CHECK_FALSE(rl.enabled());
  for (int i = 0; i < 1000; ++i) CHECK(rl.check("t", "r", "A").allowed);
}

TEST_CASE("rate limit: idle buckets are forgotten") {
  int64_t now = 0;
  RateLimiter rl(20, [&] { return now; });
  for (int i = 0; i < 100; ++i) rl.check("t" + std::to_string(i), "r", "A");
  CHECK(rl.buckets() == 100);
  now += 20'000;
  rl.check("x", "r", "A");
  CHECK(rl.buckets() == 1);
}
