#include "state/timefmt.h"

#include <cstdio>

#include "state/calendar.h"

namespace dtsmock {
namespace {

constexpr Millis kBeijingOffsetMs = 8LL * 3600 * 1000;

using calendar::days_from_civil;
using calendar::days_in_month;

struct Civil {
  int64_t y;
  unsigned m, d, hh, mm, ss;
};

Civil civil_from_ms(Millis ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  const calendar::Date date = calendar::civil_from_days(days);
  Civil c;
  c.y = date.y;
  c.m = date.m;
  c.d = date.d;
  c.hh = static_cast<unsigned>(rem / 3600);
  c.mm = static_cast<unsigned>(rem % 3600 / 60);
  c.ss = static_cast<unsigned>(rem % 60);
  return c;
}

bool digits(std::string_view s, size_t pos, size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

}  // namespace

std::string beijing_time(Millis ms) {
  Civil c = civil_from_ms(ms + kBeijingOffsetMs);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02u:%02u:%02u", static_cast<long long>(c.y), c.m, c.d, c.hh, c.mm, c.ss);
  return buf;
}

std::string rfc3339_time(Millis ms) {
  std::string s = beijing_time(ms);
  s[10] = 'T';
  return s + "+08:00";
}

std::optional<Millis> parse_api_time(std::string_view s) {
  unsigned y, mo, d, h, mi, se;
  if (s.size() < 19 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d) ||
      !(s[10] == ' ' || s[10] == 'T') || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, se))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59) return std::nullopt;
  Millis offset = kBeijingOffsetMs;
  size_t pos = 19;
  Millis frac = 0;
  if (s[10] == 'T') {
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      Millis scale = 100;
      size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        frac += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      offset = 0;
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      unsigned oh, om;
      if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
        return std::nullopt;
      offset = (s[pos] == '-' ? -1 : 1) * static_cast<Millis>(oh * 3600 + om * 60) * 1000;
      pos += 6;
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  Millis local = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) * 1000 + frac;
  return local - offset;
}

TimeFmt time_fmt(const JsonValue& params) { return TimeFmt{bool_member(params, "DateTimeISOFormat").value_or(false)}; }

}  // namespace dtsmock
