// Regions the emulator accepts (protocol.md §10: the Go SDK's region list
// without ap-guangzhou-open and eu-moscow).
#pragma once
#include <array>
#include <string_view>

namespace dtsmock {

inline constexpr std::array<std::string_view, 20> kRegions = {
    "ap-bangkok",      "ap-beijing",      "ap-chengdu",     "ap-chongqing",     "ap-guangzhou",
    "ap-hongkong",     "ap-jakarta",      "ap-mumbai",      "ap-nanjing",       "ap-seoul",
    "ap-shanghai",     "ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-singapore",    "ap-tokyo",
    "eu-frankfurt",    "na-ashburn",      "na-siliconvalley", "na-toronto",     "sa-saopaulo"};

inline bool known_region(std::string_view r) {
  for (auto k : kRegions)
    if (k == r) return true;
  return false;
}

}  // namespace dtsmock
