// The benchmark floor: the least an HTTP/1.1 server built the way dtsmock's
// transport is (Boost.Beast, one strand per connection, N threads on one
// io_context, keep-alive, TCP_NODELAY) must do to answer a request. It reads
// each request completely and answers one fixed JSON body, so whatever
// dtsmock spends beyond this is protocol, signature, validation and state.
//
//   floor [--port N] [--threads N] [--body FILE]
//
// Prints "floor listening on http://127.0.0.1:PORT" once it accepts.
// Not part of dtsmock's build: bench/CMakeLists.txt builds it for bench/run.
#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string g_body = R"({"Response":{"RequestId":"00000000-0000-4000-8000-000000000000"}})";

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket&& s) : stream_(std::move(s)) {}
  void run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(1024 * 1024);
    stream_.expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return close();
    const bool keep_alive = parser_->get().keep_alive();
    res_.emplace(http::status::ok, 11);
    res_->set(http::field::server, "floor");
    res_->set(http::field::content_type, "application/json");
    res_->keep_alive(keep_alive);
    res_->body() = g_body;
    res_->prepare_payload();
    http::async_write(stream_, *res_, [self = shared_from_this(), keep_alive](beast::error_code ec2, std::size_t) {
      if (ec2 || !keep_alive) return self->close();
      self->read();
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
  std::optional<http::response<http::string_body>> res_;
};

void accept(tcp::acceptor& acceptor, asio::io_context& ioc) {
  acceptor.async_accept(asio::make_strand(ioc), [&acceptor, &ioc](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket))->run();
    }
    accept(acceptor, ioc);
  });
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "floor: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--port") {
      port = static_cast<unsigned short>(std::stoi(next()));
    } else if (a == "--threads") {
      threads = std::max(1, std::stoi(next()));
    } else if (a == "--body") {
      std::ifstream f(next(), std::ios::binary);
      if (!f) {
        std::cerr << "floor: cannot read the body file\n";
        return 2;
      }
      std::ostringstream ss;
      ss << f.rdbuf();
      g_body = ss.str();
    } else {
      std::cerr << "usage: floor [--port N] [--threads N] [--body FILE]\n";
      return 2;
    }
  }

  asio::io_context ioc(threads);
  tcp::acceptor acceptor(asio::make_strand(ioc));
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  acceptor.open(ep.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(ep);
  acceptor.listen(asio::socket_base::max_listen_connections);
  accept(acceptor, ioc);
  std::printf("floor listening on http://127.0.0.1:%u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
  std::fflush(stdout);

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return 0;
}
