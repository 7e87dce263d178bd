// dtsmock: parse flags, open the store, build the app, serve until SIGINT/SIGTERM.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <thread>
#include <vector>

#include "server/app.h"
#include "server/log.h"
#include "server/net/server.h"
#include "state/timing.h"

extern char** environ;

namespace {

using namespace dtsmock;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::vector<std::string> environment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  return env;
}

// `dtsmock healthcheck`: exit 0 when the server on this machine answers its
// health endpoint (the container image has no curl).
int healthcheck(const Config& cfg) {
  try {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(2));
    std::string host = cfg.host == "0.0.0.0" || cfg.host == "::" ? "127.0.0.1" : cfg.host;
    stream.connect(resolver.resolve(host, std::to_string(cfg.port)));
    http::request<http::empty_body> req{http::verb::get, "/_dtsmock/health", 11};
    req.set(http::field::host, host);
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    bool ok = res.result_int() == 200 && res.body().find("\"status\":\"ok\"") != std::string::npos;
    if (!ok) std::cerr << "unhealthy: " << res.result_int() << " " << res.body() << "\n";
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "unhealthy: " << e.what() << "\n";
    return 1;
  }
}

tcp::endpoint endpoint_of(const std::string& host, int port) {
  return tcp::endpoint(asio::ip::make_address(host), static_cast<unsigned short>(port));
}

}  // namespace

int main(int argc, char** argv) {
  bool health_mode = argc > 1 && std::string(argv[1]) == "healthcheck";
  if (health_mode) {
    argv[1] = argv[0];
    ++argv;
    --argc;
  }
  ParseResult parsed = parse_config(argc, argv, environment());
  if (parsed.show_help) {
    std::cout << usage();
    return 0;
  }
  if (parsed.show_version) {
    std::cout << "dtsmock " << DTSMOCK_VERSION << "\n";
    return 0;
  }
  if (!parsed.error.empty()) {
    std::cerr << "dtsmock: " << parsed.error << "\n";
    return 2;
  }
  const Config& cfg = parsed.config;
  if (health_mode) return healthcheck(cfg);
  Logger log(cfg.log_format, cfg.log_level);

  try {
    Credentials creds;
    if (!cfg.credentials_file.empty()) creds = Credentials::load_file(cfg.credentials_file);
    if (!cfg.secret_id.empty()) creds.add({cfg.secret_id, cfg.secret_key, "", ""});
    if (cfg.auth_verify && creds.size() == 0) {
      std::cerr << "dtsmock: --auth verify needs credentials (--credentials FILE or DTSMOCK_SECRET_ID/DTSMOCK_SECRET_KEY)\n";
      return 2;
    }

    Clock clock(cfg.time_scale);
    IdSource ids(cfg.seed);
    Store store(cfg.db);
    Timing timing = Timing::profile(cfg.timing);
    for (const auto& [name, seconds] : cfg.phases) {
      if (!timing.set(name, static_cast<Millis>(seconds * 1000))) {
        std::cerr << "dtsmock: --phase: unknown phase '" << name << "' (known: " << Timing::names() << ")\n";
        return 2;
      }
    }
    store.set_timing(timing);

    App app(cfg, store, clock, ids, std::move(creds));
    if (!cfg.fixtures.empty()) {
      size_t n = app.load_fixture_dir(cfg.fixtures);
      log.info("fixtures loaded", {{"dir", cfg.fixtures}, {"jobs", std::to_string(n)}});
      malloc_trim(0);  // parsing a large fixture file leaves freed heap that glibc would otherwise keep
    }

    int threads = cfg.threads > 0 ? cfg.threads : std::max(1u, std::thread::hardware_concurrency());
    asio::io_context ioc(threads);
    net::HttpServer server(ioc, app, cfg, endpoint_of(cfg.host, cfg.port), false);
    std::unique_ptr<net::HttpServer> admin;
    if (cfg.admin && !cfg.admin_listen.empty()) {
      auto colon = cfg.admin_listen.rfind(':');
      if (colon == std::string::npos) {
        std::cerr << "dtsmock: --admin-listen expects HOST:PORT\n";
        return 2;
      }
      admin = std::make_unique<net::HttpServer>(ioc, app, cfg, endpoint_of(cfg.admin_listen.substr(0, colon), std::stoi(cfg.admin_listen.substr(colon + 1))), true);
      admin->start();
    }
    server.start();

    std::printf("dtsmock listening on http://%s:%u\n", cfg.host.c_str(), static_cast<unsigned>(server.port()));
    if (admin) std::printf("dtsmock control API on http://%s\n", cfg.admin_listen.c_str());
    std::fflush(stdout);
    log.info("started", {{"port", std::to_string(server.port())}, {"db", cfg.db}, {"auth", cfg.auth_verify ? "verify" : "off"}});

    // Graceful shutdown: stop accepting, close idle connections, let requests in
    // flight finish; a backstop timer ends the loop if a client holds on.
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    asio::steady_timer backstop(ioc);
    // Polls until every session has gone, then lets run() return. It lives in
    // this scope, which outlives run(), so nothing owns itself.
    asio::steady_timer poll_timer(ioc);
    std::function<void()> poll_sessions = [&] {
      if (server.open_sessions() == 0 && (!admin || admin->open_sessions() == 0)) {
        backstop.cancel();
        return;
      }
      poll_timer.expires_after(std::chrono::milliseconds(20));
      poll_timer.async_wait([&](beast::error_code ec) {
        if (!ec) poll_sessions();
      });
    };
    signals.async_wait([&](beast::error_code ec, int sig) {
      if (ec) return;
      log.info("stopping", {{"signal", std::to_string(sig)}});
      server.shutdown();
      if (admin) admin->shutdown();
      backstop.expires_after(std::chrono::seconds(5));
      backstop.async_wait([&](beast::error_code ec2) {
        if (!ec2) ioc.stop();
      });
      poll_sessions();
    });

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
    log.info("stopped", {});
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "dtsmock: " << e.what() << "\n";
    return 1;
  }
}
