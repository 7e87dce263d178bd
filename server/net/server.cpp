#include "server/net/server.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "server/wire.h"

namespace dtsmock::net {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {
// Read a little past the largest request the protocol allows, so the pipeline
// can answer RequestSizeLimitExceeded instead of the connection simply dying.
constexpr size_t kBodyLimit = kMaxTc3PostBytes + 64 * 1024;
constexpr size_t kHeaderLimit = 64 * 1024;
constexpr auto kHangLimit = std::chrono::minutes(10);
// How long, and how much, a refused request's unread input is drained before closing.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 16 * 1024 * 1024;
}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer& server)
      : stream_(std::move(socket)), server_(server), timer_(stream_.get_executor()) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  ~Session() { server_.remove(this); }

  void run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // Called on shutdown: an idle connection is closed now, a busy one after its answer.
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void read() {
    if (server_.stopping()) return close();
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(std::chrono::seconds(server_.cfg().read_timeout_s));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    busy_ = true;
    if (ec) {
      if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow) {
        App& app = server_.app();
        auto r = app.reject(make_error(Err::RequestSizeLimitExceeded, Msg::TooLarge,
                                       {ec == http::error::body_limit ? "more than " + std::to_string(kBodyLimit)
                                                                      : "more than " + std::to_string(kHeaderLimit) + " header",
                                        std::to_string(ec == http::error::body_limit ? kMaxTc3PostBytes : kHeaderLimit)}));
        return respond(std::move(r), false, true);
      }
      if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
          ec == asio::error::connection_reset || ec == asio::error::eof || ec == http::error::partial_message)
        return close();
      // The bytes are not HTTP/1.1 at all: answer once, then close.
      auto r = server_.app().reject(make_error(Err::InvalidParameter, Msg::BadBody, {"the HTTP request is malformed (" + ec.message() + ")"}));
      r.status = 400;
      return respond(std::move(r), false, true);
    }

    auto& msg = parser_->get();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.headers.reserve(16);
    for (const auto& f : msg) {
      std::string name(f.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    req.body = std::move(msg.body());
    req.peer = peer_;
    const bool keep_alive = msg.keep_alive();

    HttpResponse r = server_.control_only() ? server_.app().handle_control_only(req) : server_.app().handle(req);
    if (r.delay_ms > 0) {
      timer_.expires_after(std::chrono::milliseconds(r.delay_ms));
      timer_.async_wait([self = shared_from_this(), r = std::move(r), keep_alive](beast::error_code) mutable {
        self->respond(std::move(r), keep_alive);
      });
      return;
    }
    respond(std::move(r), keep_alive);
  }

  // linger: the request was refused before all of it was read (too large, not
  // HTTP), so its remaining input is drained after the answer (see linger()).
  void respond(HttpResponse r, bool keep_alive, bool linger = false) {
    keep_alive = keep_alive && !server_.stopping();
    stream_.expires_after(std::chrono::seconds(server_.cfg().read_timeout_s));
    switch (r.transport) {
      case Transport::Reset: {
        beast::error_code ec;
        stream_.socket().set_option(asio::socket_base::linger(true, 0), ec);  // RST, not FIN
        stream_.socket().close(ec);
        return;
      }
      case Transport::Hang:
        return hang();
      case Transport::Empty: {
        auto head = std::make_shared<std::string>("HTTP/1.1 " + std::to_string(r.status) + " OK\r\nContent-Type: " + r.content_type +
                                                  "\r\nContent-Length: " + std::to_string(std::max<size_t>(r.body.size(), 64)) + "\r\n\r\n");
        asio::async_write(stream_, asio::buffer(*head), [self = shared_from_this(), head](beast::error_code, std::size_t) { self->close(); });
        return;
      }
      case Transport::Malformed:
      case Transport::Normal:
        break;
    }
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "dtsmock");
    res->set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->keep_alive(keep_alive);
    res->body() = std::move(r.body);
    res->prepare_payload();
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive, linger](beast::error_code ec, std::size_t) {
      if (!ec && linger) return self->linger();
      if (ec || !keep_alive) return self->close();
      self->read();
    });
  }

  // Closing a socket whose input was not all read makes the kernel send a
  // reset, and a reset can destroy the answer in the client's receive buffer
  // before the client has read it (a client still writing a 10 MB body sees
  // only "connection reset"). So stop sending, read and discard what the
  // client is still sending, and close at its end of stream or after a bounded
  // time and size, whichever comes first. Shutdown closes a lingering session
  // at once, as it does an idle one.
  void linger() {
    busy_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || server_.stopping()) return close();
    stream_.expires_after(kLingerTime);
    drain(kLingerBytes);
  }

  void drain(size_t left) {
    auto sink = std::make_shared<std::array<char, 16384>>();
    stream_.async_read_some(asio::buffer(*sink), [self = shared_from_this(), sink, left](beast::error_code ec, std::size_t n) {
      if (ec || n >= left) return self->close();
      self->drain(left - n);
    });
  }

  // Never answer: keep reading (and discarding) until the client gives up.
  void hang() {
    busy_ = false;
    stream_.expires_after(kHangLimit);
    auto sink = std::make_shared<std::array<char, 4096>>();
    stream_.async_read_some(asio::buffer(*sink), [self = shared_from_this(), sink](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->hang();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer& server_;
  asio::steady_timer timer_;
  std::string peer_;
  bool busy_ = false;
};

HttpServer::HttpServer(asio::io_context& ioc, App& app, const Config& cfg, tcp::endpoint ep, bool control_only)
    : ioc_(ioc), app_(app), cfg_(cfg), acceptor_(asio::make_strand(ioc)), retry_(acceptor_.get_executor()), control_only_(control_only) {
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void HttpServer::start() { accept(); }

void HttpServer::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      // Out of descriptors (EMFILE/ENFILE) or another accept failure: the
      // pending connection stays queued, so accepting again at once would spin
      // a core until a descriptor frees up. Back off briefly instead.
      retry_.expires_after(std::chrono::milliseconds(50));
      retry_.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && !stopping_) accept();
      });
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto s = std::make_shared<Session>(std::move(socket), *this);
    add(s);
    s->run();
    accept();
  });
}

void HttpServer::add(const std::shared_ptr<Session>& s) {
  std::lock_guard lk(mu_);
  sessions_.emplace(s.get(), s);
}

void HttpServer::remove(Session* s) {
  std::lock_guard lk(mu_);
  sessions_.erase(s);
}

size_t HttpServer::open_sessions() const {
  std::lock_guard lk(mu_);
  return sessions_.size();
}

void HttpServer::shutdown() {
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lk(mu_);
    for (auto& [p, w] : sessions_)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->close_if_idle();
}

}  // namespace dtsmock::net
