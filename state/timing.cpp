#include "state/timing.h"

namespace dtsmock {
namespace {

struct Defaults {
  std::string_view name;
  Millis fast, realistic;
};

// One row per phase: name, fast profile, realistic profile (migrate-jobs.md §7).
constexpr Defaults kDefaults[] = {
    {"creating", 1000, 2000},
    {"checking", 3000, 30000},
    {"readyRun", 2000, 60000},
    {"step", 3000, 45000},
    {"catchUp", 3000, 60000},
    {"completing", 2000, 10000},
    {"stopping", 2000, 10000},
    {"pausing", 1000, 10000},
    {"resuming", 2000, 10000},
    {"isolating", 1000, 5000},
    {"offlining", 1000, 5000},
    {"resizing", 3000, 180000},
    {"autoRetry", 2000, 60000},
    {"compareReadyRun", 1000, 10000},
    {"comparing", 3000, 45000},
    {"compareStopping", 1000, 5000},
};

constexpr Timing::Phase kPhases[] = {
    {"creating", "purchase: creating -> created"},
    {"checking", "pre-check: checking -> checkPass/checkNotPass"},
    {"readyRun", "after StartMigrateJob: readyRun -> running (timed jobs also wait for ExpectRunTime)"},
    {"step", "each full-transfer step (dumper, loader, redis fullSync, ...)"},
    {"step.<StepId>", "one full-transfer step, e.g. step.loader"},
    {"catchUp", "incremental step until readyComplete"},
    {"completing", "completing -> success"},
    {"stopping", "stopping -> canceled"},
    {"pausing", "pausing -> manualPaused"},
    {"resuming", "resuming -> running/readyComplete (Continue and Resume)"},
    {"isolating", "TradeStatus isolating -> isolated"},
    {"offlining", "TradeStatus offlining -> offlined"},
    {"resizing", "TradeStatus resizing -> normal"},
    {"autoRetry", "resumableErr -> resuming by itself when AutoRetryTimeRangeMinutes > 0 (capped by that window)"},
    {"compareReadyRun", "compare task readyRun -> running"},
    {"comparing", "compare task running -> success"},
    {"compareStopping", "compare task stopping -> canceled"},
};

Timing build(bool realistic) {
  Timing t;
  for (const auto& d : kDefaults) t.set(d.name, realistic ? d.realistic : d.fast);
  return t;
}

}  // namespace

std::span<const Timing::Phase> Timing::phases() { return kPhases; }

std::string Timing::names() {
  std::string s;
  for (const auto& p : kPhases) {
    if (!s.empty()) s += ", ";
    s += p.name;
  }
  return s;
}

Timing Timing::fast() {
  Timing t = build(false);
  t.profile_ = "fast";
  return t;
}

Timing Timing::realistic() {
  Timing t = build(true);
  t.profile_ = "realistic";
  return t;
}

Timing Timing::profile(std::string_view name) { return name == "realistic" ? realistic() : fast(); }

bool Timing::set(std::string_view name, Millis ms) {
  if (ms < 0) return false;
  bool known = false;
  for (const auto& d : kDefaults) known = known || d.name == name;
  if (!known && !(name.starts_with("step.") && name.size() > 5)) return false;
  ms_.insert_or_assign(std::string(name), ms);
  return true;
}

std::optional<Millis> Timing::get(std::string_view name) const {
  auto it = ms_.find(name);
  if (it == ms_.end()) return std::nullopt;
  return it->second;
}

Millis Timing::of(std::string_view name) const { return get(name).value_or(0); }

Millis Timing::step(std::string_view step_id) const {
  if (auto v = get("step." + std::string(step_id))) return *v;
  return of("step");
}

}  // namespace dtsmock
