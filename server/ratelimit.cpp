#include "server/ratelimit.h"

#include <algorithm>
#include <chrono>

namespace dtsmock {

RateLimiter::RateLimiter(double rate_per_s, Now now) : rate_(rate_per_s), now_(std::move(now)) {
  if (!now_)
    now_ = [] {
      using namespace std::chrono;
      return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    };
}

size_t RateLimiter::buckets() const {
  std::lock_guard lk(mu_);
  return buckets_.size();
}

void RateLimiter::prune_locked(int64_t now) {
  // A bucket untouched for over a second is full again: forgetting it changes nothing.
  if (now - last_prune_ms_ < 10000) return;
  last_prune_ms_ = now;
  std::erase_if(buckets_, [now](const auto& kv) { return now - kv.second.last_ms > 1000; });
}

RateLimiter::Decision RateLimiter::check(std::string_view tenant, std::string_view region, std::string_view action) {
  if (rate_ <= 0) return {};
  const int64_t now = now_();
  std::string key;
  key.reserve(tenant.size() + region.size() + action.size() + 2);
  key.append(tenant).push_back('\x1f');
  key.append(region).push_back('\x1f');
  key.append(action);

  std::lock_guard lk(mu_);
  prune_locked(now);
  auto [it, fresh] = buckets_.try_emplace(std::move(key), Bucket{rate_, now, now, 0});
  Bucket& b = it->second;
  b.tokens = std::min(rate_, b.tokens + static_cast<double>(now - b.last_ms) * rate_ / 1000.0);
  b.last_ms = now;
  if (now - b.window_start_ms >= 1000) {
    b.window_start_ms = now;
    b.window_count = 0;
  }
  ++b.window_count;
  Decision d;
  d.seen_this_second = b.window_count;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
  } else {
    d.allowed = false;
  }
  return d;
}

}  // namespace dtsmock
