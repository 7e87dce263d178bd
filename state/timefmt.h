// Time as the DTS API shows it: `yyyy-mm-dd hh:mm:ss` in Beijing time (UTC+8),
// or RFC 3339 with a +08:00 offset when the caller asked for DateTimeISOFormat.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "state/clock.h"
#include "state/json.h"

namespace dtsmock {

inline constexpr std::string_view kZeroTime = "0000-00-00 00:00:00";

std::string beijing_time(Millis ms);   // 2022-07-11 17:20:56
std::string rfc3339_time(Millis ms);   // 2022-07-11T17:20:56+08:00
// Accepts `yyyy-mm-dd hh:mm:ss` (Beijing time) and RFC 3339 (`T`, optional
// fraction, `Z` or ±hh:mm). nullopt for anything else or an impossible date.
std::optional<Millis> parse_api_time(std::string_view text);

// How one response formats its times. `0` means "unset" everywhere.
struct TimeFmt {
  bool iso = false;
  std::string at(Millis ms) const { return iso ? rfc3339_time(ms) : beijing_time(ms); }
  // Unset shown as 0000-00-00 00:00:00 (EndTime, ExpireTime, ...); "" in ISO mode.
  std::string or_zero(Millis ms) const { return ms > 0 ? at(ms) : (iso ? std::string() : std::string(kZeroTime)); }
  // Unset shown as "" (ExpectRunTime, check-step StartTime).
  std::string or_empty(Millis ms) const { return ms > 0 ? at(ms) : std::string(); }
};

// [G] DateTimeISOFormat is accepted as a boolean member of any request.
TimeFmt time_fmt(const JsonValue& params);

}  // namespace dtsmock
