// The Beast HTTP/1.1 server: an accept loop and one session per connection.
//
// Threads: a pool of I/O threads runs one io_context; each connection runs on
// its own strand. App::handle is called on the I/O thread that read the
// request: handler work is microseconds of SQLite under App's store mutex, so
// a hop to a dedicated store thread would cost more than the contention it avoids.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "server/app.h"
#include "server/net/pch.h"

namespace dtsmock::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Session;

class HttpServer {
 public:
  // control_only: this socket serves only /_dtsmock/ (--admin-listen).
  HttpServer(asio::io_context& ioc, App& app, const Config& cfg, tcp::endpoint ep, bool control_only);
  void start();
  unsigned short port() const { return port_; }

  // Graceful shutdown: stop accepting, close idle connections, let requests
  // being processed finish and answer with Connection: close.
  void shutdown();
  size_t open_sessions() const;

  // Used by sessions.
  App& app() { return app_; }
  const Config& cfg() const { return cfg_; }
  bool control_only() const { return control_only_; }
  bool stopping() const { return stopping_.load(); }
  void add(const std::shared_ptr<Session>& s);
  void remove(Session* s);

 private:
  void accept();
  asio::io_context& ioc_;
  App& app_;
  const Config& cfg_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;  // backs off after a failed accept (e.g. no descriptor left)
  unsigned short port_ = 0;
  bool control_only_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace dtsmock::net
