// Identifier generation. With a seed (--seed N) every generated job id,
// compare task id and request id is repeatable from one run to the next.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace dtsmock {

class IdSource {
 public:
  explicit IdSource(std::optional<uint64_t> seed = std::nullopt);
  std::string uuid4();                          // RequestId
  std::string alnum(size_t n);                  // n chars of [a-z0-9]
  std::string job_id() { return "dts-" + alnum(8); }
  uint64_t next();
  void reseed(uint64_t seed);

 private:
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace dtsmock
