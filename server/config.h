// Command-line flags, each also readable from DTSMOCK_<FLAG> in the environment
// (flag wins over environment, environment over default).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dtsmock {

struct Config {
  std::string host = "0.0.0.0";
  int port = 8080;
  std::string db = "dtsmock.db";
  bool auth_verify = false;              // --auth off|verify
  std::string credentials_file;          // --credentials FILE
  std::string secret_id, secret_key;     // DTSMOCK_SECRET_ID / DTSMOCK_SECRET_KEY
  double rate_limit = 20;                // requests/s per (tenant, region, action); 0 = off
  std::string log_format = "text";       // text|json
  std::string log_level = "info";        // debug|info|warn|error|off
  double time_scale = 1.0;
  std::string timing = "fast";           // fast|realistic
  std::vector<std::pair<std::string, double>> phases;  // --phase NAME=SECONDS
  std::string fixtures;                  // --fixtures DIR
  std::optional<uint64_t> seed;          // --seed N
  std::string admin_token;               // --admin-token
  bool admin = true;                     // --admin on|off
  std::string admin_listen;              // --admin-listen HOST:PORT (control API on its own socket)
  size_t journal_max = 10000;
  int threads = 0;                       // I/O threads; 0 = number of cores
  int read_timeout_s = 30;               // limit for receiving one request, idle wait included
};

struct ParseResult {
  Config config;
  bool show_help = false;
  bool show_version = false;
  std::string error;      // non-empty: bad flag, message for stderr
};

ParseResult parse_config(int argc, const char* const argv[], const std::vector<std::string>& env);
std::string usage();

}  // namespace dtsmock
