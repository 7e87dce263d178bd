// The clock every piece of job behaviour reads. Nothing else in the project
// reads the system time for job behaviour.
//
// Simulated time = base_sim + (real - base_real) * scale, or base_sim when frozen.
// The real-time source is injectable so tests can drive it by hand.
#pragma once
#include <cstdint>
#include <functional>
#include <mutex>

namespace dtsmock {

// Milliseconds since the Unix epoch.
using Millis = int64_t;

Millis system_now_ms();

class Clock {
 public:
  using Source = std::function<Millis()>;
  explicit Clock(double scale = 1.0, Source real = system_now_ms);

  Millis now() const;                 // simulated time
  double scale() const;
  bool frozen() const;

  void set(Millis sim);               // jump to an absolute simulated time
  void advance(Millis delta);         // move simulated time forwards
  void set_scale(double scale);       // keep "now" continuous, change the rate
  void set_frozen(bool frozen);

 private:
  Millis now_locked() const;
  void rebase_locked();
  mutable std::mutex mu_;
  Source real_;
  Millis base_real_;
  Millis base_sim_;
  double scale_;
  bool frozen_ = false;
};

}  // namespace dtsmock
