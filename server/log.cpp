#include "server/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace dtsmock {
namespace {
std::mutex g_mu;

std::string timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}
}  // namespace

Logger::Logger(std::string_view format, std::string_view level) : json_(format == "json") {
  min_ = level == "debug" ? 0 : level == "info" ? 1 : level == "warn" ? 2 : level == "error" ? 3 : 99;
}

void Logger::write(int level, std::string_view name, std::string_view msg, Fields f) {
  if (level < min_) return;
  std::string line;
  if (json_) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("time");
    std::string ts = timestamp();
    w.String(ts.c_str());
    w.Key("level");
    w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.Key("msg");
    w.String(msg.data(), static_cast<rapidjson::SizeType>(msg.size()));
    for (const auto& [k, v] : f) {
      w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    }
    w.EndObject();
    line.assign(buf.GetString(), buf.GetSize());
  } else {
    line = timestamp() + " " + std::string(name) + " " + std::string(msg);
    for (const auto& [k, v] : f) line += " " + std::string(k) + "=" + v;
  }
  line.push_back('\n');
  std::lock_guard lk(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace dtsmock
