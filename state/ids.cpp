#include "state/ids.h"

namespace dtsmock {

IdSource::IdSource(std::optional<uint64_t> seed) : rng_(seed ? *seed : std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32)) {}

void IdSource::reseed(uint64_t seed) {
  std::lock_guard lk(mu_);
  rng_.seed(seed);
}

uint64_t IdSource::next() {
  std::lock_guard lk(mu_);
  return rng_();
}

std::string IdSource::alnum(size_t n) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(n, 'a');
  std::lock_guard lk(mu_);
  for (auto& c : s) c = kChars[rng_() % 36];
  return s;
}

std::string IdSource::uuid4() {
  uint64_t hi, lo;
  {
    std::lock_guard lk(mu_);
    hi = rng_();
    lo = rng_();
  }
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  auto put = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) s.push_back(kHex[(v >> (i * 4)) & 0xF]);
  };
  put(hi >> 32, 8); s.push_back('-');
  put(hi >> 16, 4); s.push_back('-');
  put(hi, 4); s.push_back('-');
  put(lo >> 48, 4); s.push_back('-');
  put(lo, 12);
  return s;
}

}  // namespace dtsmock
