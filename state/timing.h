// How long each simulated phase of a migration job lasts.
//
// Two profiles: `fast` (the default: every transient phase takes 1-3 simulated
// seconds, so a whole lifecycle finishes well under a minute at clock scale 1)
// and `realistic` (the pace of the real service, migrate-jobs.md §7).
// Every duration can be overridden by name (`--phase checking=5`).
//
// A job copies the duration of a phase when it enters it, so changing the
// profile never changes a phase that is already under way.
#pragma once
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "state/clock.h"

namespace dtsmock {

class Timing {
 public:
  // Phase names (`set`/`get` keys). "step" is the default for every full-transfer
  // step; "step.<StepId>" (e.g. "step.loader") overrides one step.
  struct Phase {
    std::string_view name;
    std::string_view meaning;
  };
  static std::span<const Phase> phases();
  // "creating, checking, ..." for messages and --help.
  static std::string names();

  static Timing fast();
  static Timing realistic();
  // "fast" or "realistic"; anything else gives fast.
  static Timing profile(std::string_view name);

  const std::string& profile_name() const { return profile_; }

  // Overrides one duration; false for an unknown name or a negative value.
  bool set(std::string_view name, Millis ms);
  std::optional<Millis> get(std::string_view name) const;
  // A phase that must exist (programming error otherwise: returns 0).
  Millis of(std::string_view name) const;
  // The planned duration of one full-transfer step.
  Millis step(std::string_view step_id) const;

 private:
  std::string profile_ = "fast";
  std::map<std::string, Millis, std::less<>> ms_;
};

}  // namespace dtsmock
