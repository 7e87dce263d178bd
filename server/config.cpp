#include "server/config.h"

#include <charconv>
#include <functional>
#include <map>
#include <sstream>

namespace dtsmock {
namespace {

struct Flag {
  const char* name;   // without the leading dashes
  const char* arg;    // placeholder shown in --help; nullptr for a switch
  const char* help;
  std::function<std::string(Config&, const std::string&)> set;  // returns an error or ""
};

std::string parse_int(const std::string& v, long long lo, long long hi, long long& out) {
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi)
    return "expects a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  return "";
}

std::string parse_double(const std::string& v, double lo, double hi, double& out) {
  try {
    size_t n = 0;
    out = std::stod(v, &n);
    if (n != v.size() || !(out >= lo && out <= hi)) throw 0;
  } catch (...) {
    std::ostringstream s;
    s << "expects a number from " << lo << " to " << hi;
    return s.str();
  }
  return "";
}

std::string one_of(const std::string& v, std::initializer_list<const char*> allowed, std::string& out) {
  for (const char* a : allowed)
    if (v == a) {
      out = v;
      return "";
    }
  std::string msg = "expects one of:";
  for (const char* a : allowed) msg += std::string(" ") + a;
  return msg;
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> kFlags = {
      {"host", "ADDR", "address to listen on (default 0.0.0.0)", [](Config& c, const std::string& v) { c.host = v; return std::string(); }},
      {"port", "N", "port to listen on; 0 picks a free one (default 8080)",
       [](Config& c, const std::string& v) { long long n; auto e = parse_int(v, 0, 65535, n); c.port = int(n); return e; }},
      {"db", "FILE", "SQLite database file; :memory: for an ephemeral store (default dtsmock.db)",
       [](Config& c, const std::string& v) { c.db = v; return v.empty() ? std::string("expects a file name") : std::string(); }},
      {"auth", "off|verify", "verify request signatures (default off)",
       [](Config& c, const std::string& v) { std::string m; auto e = one_of(v, {"off", "verify"}, m); c.auth_verify = m == "verify"; return e; }},
      {"credentials", "FILE", "JSON list of {SecretId, SecretKey, Token?, Tenant?}",
       [](Config& c, const std::string& v) { c.credentials_file = v; return std::string(); }},
      {"secret-id", "ID", "one SecretId accepted with --auth verify (with --secret-key)",
       [](Config& c, const std::string& v) { c.secret_id = v; return std::string(); }},
      {"secret-key", "KEY", "the SecretKey for --secret-id",
       [](Config& c, const std::string& v) { c.secret_key = v; return std::string(); }},
      {"rate-limit", "N", "requests per second per (tenant, region, action); 0 turns it off (default 20)",
       [](Config& c, const std::string& v) { return parse_double(v, 0, 1e9, c.rate_limit); }},
      {"log-format", "text|json", "log line format (default text)",
       [](Config& c, const std::string& v) { return one_of(v, {"text", "json"}, c.log_format); }},
      {"log-level", "LEVEL", "debug, info, warn, error or off (default info)",
       [](Config& c, const std::string& v) { return one_of(v, {"debug", "info", "warn", "error", "off"}, c.log_level); }},
      {"time-scale", "X", "simulated seconds per real second (default 1)",
       [](Config& c, const std::string& v) { return parse_double(v, 0, 1e9, c.time_scale); }},
      {"timing", "fast|realistic", "job phase durations (default fast)",
       [](Config& c, const std::string& v) { return one_of(v, {"fast", "realistic"}, c.timing); }},
      {"phase", "NAME=SECONDS", "override one phase duration; repeatable",
       [](Config& c, const std::string& v) {
         auto eq = v.find('=');
         if (eq == std::string::npos || eq == 0) return std::string("expects NAME=SECONDS");
         double s;
         auto e = parse_double(v.substr(eq + 1), 0, 1e9, s);
         if (e.empty()) c.phases.emplace_back(v.substr(0, eq), s);
         return e;
       }},
      {"fixtures", "DIR", "load every *.json fixture of DIR at start-up",
       [](Config& c, const std::string& v) { c.fixtures = v; return std::string(); }},
      {"seed", "N", "make generated job ids and request ids repeatable",
       [](Config& c, const std::string& v) { long long n; auto e = parse_int(v, 0, (1LL << 62), n); c.seed = uint64_t(n); return e; }},
      {"admin-token", "TOKEN", "require Authorization: Bearer TOKEN on the control API",
       [](Config& c, const std::string& v) { c.admin_token = v; return std::string(); }},
      {"admin", "on|off", "serve the /_dtsmock/ control API (default on)",
       [](Config& c, const std::string& v) { std::string m; auto e = one_of(v, {"on", "off"}, m); c.admin = m != "off"; return e; }},
      {"admin-listen", "HOST:PORT", "serve the control API on this address instead of the API port",
       [](Config& c, const std::string& v) { c.admin_listen = v; return std::string(); }},
      {"journal-max", "N", "request journal size; oldest dropped first (default 10000)",
       [](Config& c, const std::string& v) { long long n; auto e = parse_int(v, 0, 100000000, n); c.journal_max = size_t(n); return e; }},
      {"threads", "N", "I/O threads; 0 = one per core (default 0)",
       [](Config& c, const std::string& v) { long long n; auto e = parse_int(v, 0, 256, n); c.threads = int(n); return e; }},
      {"read-timeout", "SECONDS", "limit for receiving one whole request (default 30)",
       [](Config& c, const std::string& v) { long long n; auto e = parse_int(v, 1, 86400, n); c.read_timeout_s = int(n); return e; }},
  };
  return kFlags;
}

std::string env_name(const char* flag) {
  std::string s = "DTSMOCK_";
  for (const char* p = flag; *p; ++p) s.push_back(*p == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(*p))));
  return s;
}

}  // namespace

std::string usage() {
  std::ostringstream o;
  o << "dtsmock " << DTSMOCK_VERSION << ": a local emulator of the Tencent Cloud DTS API (2021-12-06)\n\n"
    << "usage: dtsmock [flags]\n       dtsmock healthcheck [--port N]   (exit 0 when the server answers /_dtsmock/health)\n\nflags (each also read from the environment variable shown):\n";
  for (const auto& f : flags()) {
    std::string left = std::string("  --") + f.name + (f.arg ? std::string(" ") + f.arg : "");
    o << left << std::string(left.size() < 30 ? 30 - left.size() : 1, ' ') << f.help << "  [" << env_name(f.name) << "]\n";
  }
  o << "  --help                      this text\n  --version                   print the version\n";
  return o.str();
}

ParseResult parse_config(int argc, const char* const argv[], const std::vector<std::string>& env) {
  ParseResult r;
  std::map<std::string, std::string> envmap;
  for (const auto& kv : env) {
    auto eq = kv.find('=');
    if (eq != std::string::npos) envmap[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  auto apply = [&](const Flag& f, const std::string& v, const std::string& source) {
    std::string e = f.set(r.config, v);
    if (!e.empty() && r.error.empty()) r.error = source + " " + e + " (got '" + v + "')";
  };
  for (const auto& f : flags()) {
    auto it = envmap.find(env_name(f.name));
    if (it != envmap.end() && !it->second.empty()) apply(f, it->second, env_name(f.name));
  }
  for (int i = 1; i < argc && r.error.empty(); ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      r.show_help = true;
      r.error.clear();
      return r;
    }
    if (a == "--version") {
      r.show_version = true;
      return r;
    }
    if (a.rfind("--", 0) != 0) {
      r.error = "unexpected argument '" + a + "'";
      break;
    }
    std::string name = a.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const Flag* flag = nullptr;
    for (const auto& f : flags())
      if (name == f.name) flag = &f;
    if (!flag) {
      r.error = "unknown flag --" + name + " (see --help)";
      break;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        r.error = "--" + name + " needs a value";
        break;
      }
      value = argv[++i];
    }
    apply(*flag, value, "--" + name);
  }
  return r;
}

}  // namespace dtsmock
