#include "state/clock.h"

#include <chrono>

namespace dtsmock {

Millis system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Clock::Clock(double scale, Source real)
    : real_(std::move(real)), base_real_(real_()), base_sim_(base_real_), scale_(scale) {}

Millis Clock::now_locked() const {
  if (frozen_) return base_sim_;
  return base_sim_ + static_cast<Millis>(static_cast<double>(real_() - base_real_) * scale_);
}

void Clock::rebase_locked() {
  base_sim_ = now_locked();
  base_real_ = real_();
}

Millis Clock::now() const {
  std::lock_guard lk(mu_);
  return now_locked();
}

double Clock::scale() const {
  std::lock_guard lk(mu_);
  return scale_;
}

bool Clock::frozen() const {
  std::lock_guard lk(mu_);
  return frozen_;
}

void Clock::set(Millis sim) {
  std::lock_guard lk(mu_);
  base_real_ = real_();
  base_sim_ = sim;
}

void Clock::advance(Millis delta) {
  std::lock_guard lk(mu_);
  rebase_locked();
  base_sim_ += delta;
}

void Clock::set_scale(double scale) {
  std::lock_guard lk(mu_);
  rebase_locked();
  scale_ = scale;
}

void Clock::set_frozen(bool frozen) {
  std::lock_guard lk(mu_);
  rebase_locked();
  frozen_ = frozen;
}

}  // namespace dtsmock
