// Minimal structured logging to stderr, as text or one JSON object per line.
// Secrets never reach the log: callers pass only masked values.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace dtsmock {

class Logger {
 public:
  using Fields = std::initializer_list<std::pair<std::string_view, std::string>>;
  Logger(std::string_view format, std::string_view level);
  void debug(std::string_view msg, Fields f) { write(0, "debug", msg, f); }
  void info(std::string_view msg, Fields f) { write(1, "info", msg, f); }
  void warn(std::string_view msg, Fields f) { write(2, "warn", msg, f); }
  void error(std::string_view msg, Fields f) { write(3, "error", msg, f); }

 private:
  void write(int level, std::string_view name, std::string_view msg, Fields f);
  bool json_;
  int min_;
};

}  // namespace dtsmock
