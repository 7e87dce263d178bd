// The real service's rate limit: a token bucket per (tenant, region, action),
// `rate` tokens per second with a burst of `rate`. Time is injected (monotonic
// milliseconds) so tests need no sleeps.
#pragma once
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dtsmock {

class RateLimiter {
 public:
  using Now = std::function<int64_t()>;  // monotonic milliseconds
  explicit RateLimiter(double rate_per_s, Now now = nullptr);

  struct Decision {
    bool allowed = true;
    int64_t seen_this_second = 0;  // requests counted in the current one-second window
  };
  Decision check(std::string_view tenant, std::string_view region, std::string_view action);

  double rate() const { return rate_; }
  bool enabled() const { return rate_ > 0; }
  size_t buckets() const;

 private:
  struct Bucket {
    double tokens;
    int64_t last_ms;
    int64_t window_start_ms;
    int64_t window_count;
  };
  void prune_locked(int64_t now);
  double rate_;
  Now now_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  int64_t last_prune_ms_ = 0;
};

}  // namespace dtsmock
