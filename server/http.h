// HTTP as the protocol layer sees it: plain structs, no Beast. The session
// (server/net/) converts to and from Beast's types, so everything from here on
// compiles fast, is unit-testable without sockets, and can be fuzzed directly.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dtsmock {

struct HttpRequest {
  std::string method;                                        // as received, e.g. "POST"
  std::string target;                                        // e.g. "/?Action=..."
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string peer;                                          // remote address, for logs

  // Case-insensitive lookup (names are stored lower-cased); nullptr if absent.
  const std::string* header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return &v;
    return nullptr;
  }
  std::string_view path() const {
    auto q = target.find('?');
    return std::string_view(target).substr(0, q);
  }
  std::string_view query() const {
    auto q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  }
};

// What the transport should do besides (or instead of) sending the response.
enum class Transport : uint8_t {
  Normal,     // send the response
  Reset,      // close the connection without answering
  Empty,      // send the status line and headers, then close
  Malformed,  // send a body that is not JSON
  Hang,       // never answer; the client gives up
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Transport transport = Transport::Normal;
  int64_t delay_ms = 0;  // added latency before answering
};

}  // namespace dtsmock
