#include "server/wire.h"

#include <array>
#include <string_view>

namespace dtsmock {
namespace {

constexpr std::array<std::string_view, 11> kCommon = {"Action", "Version", "Region", "Timestamp", "Nonce", "SecretId",
                                                      "Signature", "SignatureMethod", "Token", "Language", "RequestClient"};

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool url_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int h = hexval(in[i + 1]), l = hexval(in[i + 2]);
      if (h < 0 || l < 0) return false;
      out.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
  return true;
}

std::string header_or_empty(const HttpRequest& req, std::string_view name) {
  const std::string* v = req.header(name);
  return v ? *v : std::string();
}

void read_common_from_form(ApiCall& call) {
  for (const auto& [k, v] : call.form) {
    if (k == "Action") call.action = v;
    else if (k == "Version") call.version = v;
    else if (k == "Region") { call.region = v; call.has_region = true; }
    else if (k == "Timestamp") call.timestamp = v;
    else if (k == "Nonce") call.nonce = v;
    else if (k == "SecretId") call.secret_id = v;
    else if (k == "Signature") call.signature = v;
    else if (k == "SignatureMethod") call.signature_method = v;
    else if (k == "Token") call.token = v;
    else if (k == "Language") call.language = v;
  }
}

void read_common_from_headers(const HttpRequest& req, ApiCall& call) {
  call.action = header_or_empty(req, "x-tc-action");
  call.version = header_or_empty(req, "x-tc-version");
  if (const std::string* r = req.header("x-tc-region")) {
    call.region = *r;
    call.has_region = true;
  }
  call.timestamp = header_or_empty(req, "x-tc-timestamp");
  call.language = header_or_empty(req, "x-tc-language");
  call.token = header_or_empty(req, "x-tc-token");
}

std::optional<ApiError> too_large(size_t size, size_t limit) {
  return make_error(Err::RequestSizeLimitExceeded, Msg::TooLarge, {std::to_string(size), std::to_string(limit)});
}

}  // namespace

bool is_common_parameter(std::string_view key) {
  for (auto c : kCommon)
    if (c == key) return true;
  return false;
}

bool decode_form(std::string_view text, KeyValues& out) {
  size_t pos = 0;
  std::string k, v;
  while (pos <= text.size()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view pair = text.substr(pos, amp - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view rk = pair.substr(0, eq);
      std::string_view rv = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      if (!url_decode(rk, k) || !url_decode(rv, v) || !valid_utf8(k) || !valid_utf8(v)) return false;
      out.emplace_back(k, v);
    }
    pos = amp + 1;
  }
  return true;
}

namespace {
// Length of the well-formed UTF-8 sequence at s[i], or 0 when it is not one.
size_t utf8_seq(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
  if (c == 0xED && b(i + 1) > 0x9F) return 0;   // surrogate
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
  if (c == 0xF4 && b(i + 1) > 0x8F) return 0;   // past U+10FFFF
  return n;
}
}  // namespace

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_seq(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_seq(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

Lang language_of(const ApiCall& call) { return call.language == "zh-CN" ? Lang::Zh : Lang::En; }

std::optional<ApiError> parse_call(const HttpRequest& req, ApiCall& call) {
  const std::string& m = req.method;
  if (m != "GET" && m != "POST") return make_error(Err::UnsupportedProtocol, Msg::MethodNotSupported, {m});

  if (m == "GET") {
    size_t size = req.target.size() + req.body.size();
    if (size > kMaxGetBytes) return too_large(size, kMaxGetBytes);
    if (!decode_form(req.query(), call.form))
      return make_error(Err::InvalidParameter, Msg::BadBody, {"the query string has a malformed percent-escape or text that is not UTF-8"});
    // A GET carrying X-TC-Action is signature v3; otherwise everything is in the query (v1).
    if (req.header("x-tc-action") || starts_with_ci(header_or_empty(req, "authorization"), "TC3-")) {
      call.style = Style::Tc3Get;
      read_common_from_headers(req, call);
    } else {
      call.style = Style::V1Get;
      read_common_from_form(call);
    }
    return std::nullopt;
  }

  const std::string ct = header_or_empty(req, "content-type");
  const bool form = starts_with_ci(ct, "application/x-www-form-urlencoded");
  const bool json = starts_with_ci(ct, "application/json");
  if (starts_with_ci(ct, "multipart/")) {
    return make_error(Err::InvalidParameter, Msg::BadBody, {"multipart bodies are not used by any DTS action; send application/json"});
  }
  if (form || (!json && !req.header("x-tc-action"))) {
    // v1 POST: the form body holds the common parameters and the signature.
    if (req.body.size() > kMaxV1PostBytes) return too_large(req.body.size(), kMaxV1PostBytes);
    call.style = Style::V1Post;
    if (!decode_form(req.body, call.form))
      return make_error(Err::InvalidParameter, Msg::BadBody, {"the form body has a malformed percent-escape or text that is not UTF-8"});
    read_common_from_form(call);
    return std::nullopt;
  }

  call.style = Style::Tc3Post;
  if (req.body.size() > kMaxTc3PostBytes) return too_large(req.body.size(), kMaxTc3PostBytes);
  read_common_from_headers(req, call);
  std::string_view body = req.body;
  if (body.empty()) body = "{}";  // an action without parameters may be sent with no body
  // Depth is bounded by RapidJSON's iterative parser: no recursion on nesting.
  call.params.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (call.params.HasParseError())
    return make_error(Err::InvalidParameter, Msg::BadBody, {"it is not valid UTF-8 JSON"});
  if (!call.params.IsObject()) {
    call.params.SetObject();
    return make_error(Err::InvalidParameter, Msg::BadBody, {"the top level must be a JSON object"});
  }
  return std::nullopt;
}

}  // namespace dtsmock
