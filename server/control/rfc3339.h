// RFC 3339 timestamps for the control API (clock, journal). UTC on output,
// any offset on input. Pure functions; no clock is read here.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "state/clock.h"

namespace dtsmock {

// "2024-05-01T12:00:00.250Z" (always UTC, always milliseconds).
std::string format_rfc3339(Millis ms);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; 't', 'z' and a
// space instead of 'T' are tolerated. Fractions beyond milliseconds are
// truncated. Returns nullopt on anything else (including out-of-range fields).
std::optional<Millis> parse_rfc3339(std::string_view text);

}  // namespace dtsmock
