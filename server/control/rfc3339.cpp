#include "server/control/rfc3339.h"

#include <cstdio>

#include "state/calendar.h"

namespace dtsmock {
namespace {

using calendar::days_from_civil;
using calendar::days_in_month;

// Reads exactly n digits at text[pos]; advances pos.
bool digits(std::string_view text, size_t& pos, size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::string format_rfc3339(Millis ms) {
  int64_t days = ms / 86400000;
  int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  const auto [y, m, d] = calendar::civil_from_days(days);
  const int64_t secs = rem / 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60), static_cast<long long>(rem % 1000));
  return buf;
}

std::optional<Millis> parse_rfc3339(std::string_view t) {
  size_t p = 0;
  int year, mon, day, hh, mm, ss;
  if (!digits(t, p, 4, year) || !expect(t, p, '-') || !digits(t, p, 2, mon) || !expect(t, p, '-') ||
      !digits(t, p, 2, day))
    return std::nullopt;
  if (p >= t.size() || (t[p] != 'T' && t[p] != 't' && t[p] != ' ')) return std::nullopt;
  ++p;
  if (!digits(t, p, 2, hh) || !expect(t, p, ':') || !digits(t, p, 2, mm) || !expect(t, p, ':') ||
      !digits(t, p, 2, ss))
    return std::nullopt;
  if (mon < 1 || mon > 12 || day < 1 || static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(mon)) ||
      hh > 23 || mm > 59 || ss > 60)
    return std::nullopt;
  int frac_ms = 0;
  if (p < t.size() && t[p] == '.') {
    ++p;
    size_t start = p;
    int scale = 100;
    while (p < t.size() && t[p] >= '0' && t[p] <= '9') {
      frac_ms += (t[p] - '0') * scale;
      scale /= 10;
      ++p;
    }
    if (p == start) return std::nullopt;
  }
  int offset_min = 0;
  if (p < t.size() && (t[p] == 'Z' || t[p] == 'z')) {
    ++p;
  } else if (p < t.size() && (t[p] == '+' || t[p] == '-')) {
    const int sign = t[p] == '-' ? -1 : 1;
    ++p;
    int oh, om;
    if (!digits(t, p, 2, oh) || !expect(t, p, ':') || !digits(t, p, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (p != t.size()) return std::nullopt;
  if (ss == 60) ss = 59;  // a leap second is read as the second before it
  const int64_t days = days_from_civil(year, static_cast<unsigned>(mon), static_cast<unsigned>(day));
  const int64_t secs = days * 86400 + hh * 3600 + mm * 60 + ss - static_cast<int64_t>(offset_min) * 60;
  return secs * 1000 + frac_ms;
}

}  // namespace dtsmock
