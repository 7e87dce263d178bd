#include "server/auth.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "server/crypto.h"

namespace dtsmock {
namespace {

constexpr std::string_view kTc3Algorithm = "TC3-HMAC-SHA256";
constexpr std::string_view kTc3Terminator = "tc3_request";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr int64_t kMaxSkewSeconds = 300;
// Real Authorization headers are ~200 bytes; anything this long is junk and is
// refused before any parsing work.
constexpr size_t kMaxAuthorizationBytes = 4096;
constexpr size_t kMaxSignedHeaders = 16;

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_header_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// "YYYY-MM-DD" by shape only; a well-shaped impossible date simply never
// equals the timestamp's date and fails the scope check.
bool is_date_shaped(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4)) && all_digits(s.substr(5, 2)) &&
         all_digits(s.substr(8, 2));
}

// Unix seconds as plain decimal digits (no sign, no spaces); at most 18
// digits so that later arithmetic cannot overflow.
std::optional<int64_t> parse_unix_seconds(std::string_view s) {
  if (!all_digits(s) || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Keeps user-supplied text short and printable before it goes into a message.
std::string for_message(std::string_view s, size_t max = 64) {
  std::string out;
  for (char c : s.substr(0, std::min(s.size(), max))) {
    auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  if (s.size() > max) out += "...";
  return out;
}

// "host:port" → "host" when the text after the last ':' is a port number.
// Also turns "http://127.0.0.1:8080" (tccli) into "http://127.0.0.1".
std::optional<std::string_view> strip_port(std::string_view host) {
  auto colon = host.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view port = host.substr(colon + 1);
  if (!all_digits(port) || port.size() > 5) return std::nullopt;
  return host.substr(0, colon);
}

std::optional<std::string_view> strip_scheme(std::string_view host) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (host.size() > scheme.size() && lower(host.substr(0, scheme.size())) == scheme)
      return host.substr(scheme.size());
  }
  return std::nullopt;
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

const std::string* form_value(const KeyValues& form, std::string_view key) {
  for (const auto& [k, v] : form)
    if (k == key) return &v;
  return nullptr;
}

// ---- Authorization parsing with a reason, so the error can say what is wrong.

enum class AuthProblem { None, Shape, Credential, SignedHeaders, Signature };

struct ParsedAuth {
  AuthProblem problem = AuthProblem::None;
  Tc3Authorization auth;
};

AuthProblem parse_credential(std::string_view v, Tc3Authorization& out) {
  // <SecretId>/<YYYY-MM-DD>/<service>/tc3_request. The service is whatever
  // lies between the date and the terminator (Node may put "localhost:8080").
  auto slash = v.find('/');
  if (slash == std::string_view::npos || slash == 0) return AuthProblem::Credential;
  std::string_view id = v.substr(0, slash), rest = v.substr(slash + 1);
  if (rest.size() < kTc3Terminator.size() + 1 || !rest.ends_with(kTc3Terminator) ||
      rest[rest.size() - kTc3Terminator.size() - 1] != '/')
    return AuthProblem::Credential;
  rest.remove_suffix(kTc3Terminator.size() + 1);  // "<date>/<service>"
  auto slash2 = rest.find('/');
  if (slash2 == std::string_view::npos) return AuthProblem::Credential;
  std::string_view date = rest.substr(0, slash2), service = rest.substr(slash2 + 1);
  if (!is_date_shaped(date) || service.empty()) return AuthProblem::Credential;
  out.secret_id = id;
  out.date = date;
  out.service = service;
  return AuthProblem::None;
}

AuthProblem parse_signed_headers(std::string_view v, Tc3Authorization& out) {
  size_t count = 0;
  size_t start = 0;
  while (true) {
    auto semi = v.find(';', start);
    std::string_view name = v.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_header_name_char)) return AuthProblem::SignedHeaders;
    if (++count > kMaxSignedHeaders) return AuthProblem::SignedHeaders;
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  out.signed_headers = v;
  return AuthProblem::None;
}

ParsedAuth parse_detailed(std::string_view header) {
  ParsedAuth r;
  header = trim(header);
  if (header.size() > kMaxAuthorizationBytes || !header.starts_with(kTc3Algorithm) ||
      header.size() == kTc3Algorithm.size() || !is_ows(header[kTc3Algorithm.size()])) {
    r.problem = AuthProblem::Shape;
    return r;
  }
  r.auth.algorithm = kTc3Algorithm;
  std::string_view rest = trim(header.substr(kTc3Algorithm.size()));
  bool seen_cred = false, seen_sh = false, seen_sig = false;
  size_t start = 0;
  while (true) {
    auto comma = rest.find(',', start);
    std::string_view part =
        trim(rest.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      r.problem = AuthProblem::Shape;
      return r;
    }
    std::string_view name = part.substr(0, eq), value = part.substr(eq + 1);
    bool has_space = std::any_of(value.begin(), value.end(), is_ows);
    if (name == "Credential") {
      if (seen_cred || has_space || parse_credential(value, r.auth) != AuthProblem::None) {
        r.problem = AuthProblem::Credential;
        return r;
      }
      seen_cred = true;
    } else if (name == "SignedHeaders") {
      if (seen_sh || has_space || parse_signed_headers(value, r.auth) != AuthProblem::None) {
        r.problem = AuthProblem::SignedHeaders;
        return r;
      }
      seen_sh = true;
    } else if (name == "Signature") {
      if (seen_sig || value.size() != 64 || !is_lower_hex(value)) {
        r.problem = AuthProblem::Signature;
        return r;
      }
      r.auth.signature = value;
      seen_sig = true;
    } else {
      r.problem = AuthProblem::Shape;
      return r;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!seen_cred) r.problem = AuthProblem::Credential;
  else if (!seen_sh) r.problem = AuthProblem::SignedHeaders;
  else if (!seen_sig) r.problem = AuthProblem::Signature;
  return r;
}

ApiError auth_problem_error(AuthProblem p, std::string_view header) {
  switch (p) {
    case AuthProblem::Credential:
      return make_error(Err::AuthFailure_InvalidAuthorization, Msg::AuthField, {"Credential"});
    case AuthProblem::SignedHeaders:
      return make_error(Err::AuthFailure_InvalidAuthorization, Msg::AuthField, {"SignedHeaders"});
    case AuthProblem::Signature:
      return make_error(Err::AuthFailure_InvalidAuthorization, Msg::AuthField, {"Signature"});
    default:
      return make_error(Err::AuthFailure_InvalidAuthorization, Msg::AuthMalformed,
                        {"`" + for_message(header) + "`"});
  }
}

// Session-token rule, shared by both signature styles. A credential with a
// Token accepts only requests carrying exactly that token. A credential
// without one accepts only requests carrying no token: a token sent for a
// permanent key means the caller is confused about which key it holds, and
// the real service refuses such mismatches too, so we answer TokenFailure
// rather than silently ignore it. An empty token counts as no token (Node
// may send an empty X-TC-Token header).
std::optional<ApiError> check_token(const Credential& cred, std::string_view sent) {
  if (cred.token.empty() ? sent.empty() : constant_time_equal(cred.token, sent)) return std::nullopt;
  return make_error(Err::AuthFailure_TokenFailure, Msg::TokenInvalid, {});
}

// Parses the timestamp text and applies the 5-minute rule (both directions).
std::optional<ApiError> check_timestamp(std::string_view name, std::string_view text, int64_t wall_now_s,
                                        int64_t* ts_out) {
  if (text.empty()) return make_error(Err::MissingParameter, Msg::MissingParam, {name});
  auto ts = parse_unix_seconds(text);
  if (!ts) return make_error(Err::InvalidParameter, Msg::TimestampInvalid, {for_message(text)});
  int64_t skew = wall_now_s > *ts ? wall_now_s - *ts : *ts - wall_now_s;
  if (skew > kMaxSkewSeconds)
    return make_error(Err::AuthFailure_SignatureExpire, Msg::SignatureExpired, {text, std::to_string(skew)});
  *ts_out = *ts;
  return std::nullopt;
}

ApiError secret_id_unknown(std::string_view id) {
  return make_error(Err::AuthFailure_SecretIdNotFound, Msg::SecretIdUnknown, {for_message(id, 128)});
}

std::string tc3_signing_key(std::string_view secret_key, std::string_view date, std::string_view service) {
  std::string k_date = hmac_sha256(std::string("TC3").append(secret_key), date);
  std::string k_service = hmac_sha256(k_date, service);
  return hmac_sha256(k_service, kTc3Terminator);
}

std::optional<ApiError> verify_tc3(const HttpRequest& req, const ApiCall& call, const Credentials& creds,
                                   int64_t wall_now_s, std::string* secret_id_out) {
  const std::string* header = req.header("authorization");
  if (!header || trim(*header).empty())
    return make_error(Err::AuthFailure_InvalidAuthorization, Msg::AuthMissing, {});
  ParsedAuth parsed = parse_detailed(*header);
  if (parsed.problem != AuthProblem::None) return auth_problem_error(parsed.problem, *header);
  const Tc3Authorization& auth = parsed.auth;

  // The string to sign carries the timestamp exactly as the header sent it.
  const std::string* ts_header = req.header("x-tc-timestamp");
  std::string_view ts_text = ts_header ? std::string_view(*ts_header) : std::string_view(call.timestamp);
  int64_t ts = 0;
  if (auto e = check_timestamp("X-TC-Timestamp", ts_text, wall_now_s, &ts)) return e;

  const Credential* cred = creds.find(auth.secret_id);
  if (!cred) return secret_id_unknown(auth.secret_id);

  std::string expected_date = utc_date(ts);
  if (auth.date != expected_date)
    return make_error(Err::AuthFailure_SignatureFailure, Msg::ScopeDateMismatch, {auth.date, expected_date});

  // Payload and query, per protocol.md §3 step 1.
  bool is_get = req.method == "GET";
  const std::string* content_sha = req.header("x-tc-content-sha256");
  bool unsigned_payload = content_sha && trim(*content_sha) == kUnsignedPayload;
  std::string payload_hash =
      sha256_hex(unsigned_payload ? kUnsignedPayload : is_get ? std::string_view() : std::string_view(req.body));
  std::string_view canonical_query = is_get ? req.query() : std::string_view();

  // Canonical header candidates: the host header as received and without its
  // port (Node signs the bare hostname; tccli's "http://host:port" is signed
  // as received), each with values as received and lower-cased (the docs say
  // values are lower-cased; the SDKs do not).
  std::vector<std::string> names;
  for (size_t start = 0;;) {
    auto semi = auth.signed_headers.find(';', start);
    names.push_back(lower(std::string_view(auth.signed_headers).substr(
        start, semi == std::string::npos ? std::string::npos : semi - start)));
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
  std::vector<std::string> hosts;
  if (const std::string* h = req.header("host")) {
    std::string_view host = trim(*h);
    add_unique(hosts, std::string(host));
    if (auto bare = strip_port(host)) add_unique(hosts, std::string(*bare));
  } else {
    hosts.emplace_back();
  }
  std::vector<std::string> header_blocks;
  for (const std::string& host : hosts) {
    for (bool lowered : {false, true}) {
      std::string block;
      for (const std::string& name : names) {
        std::string value;
        if (name == "host") {
          value = host;
        } else if (const std::string* v = req.header(name)) {
          value = trim(*v);
        }
        block.append(name).append(":").append(lowered ? lower(value) : value).append("\n");
      }
      add_unique(header_blocks, std::move(block));
    }
  }

  std::string signing_key = tc3_signing_key(cred->secret_key, auth.date, auth.service);
  bool matched = false;
  for (const std::string& block : header_blocks) {
    std::string canonical =
        tc3_canonical_request(req.method, canonical_query, block, auth.signed_headers, payload_hash);
    std::string to_sign = tc3_string_to_sign(ts_text, auth.date, auth.service, canonical);
    // Every candidate is computed and compared, so timing does not reveal which one matched.
    matched |= constant_time_equal(hex(hmac_sha256(signing_key, to_sign)), auth.signature);
  }
  if (!matched) return make_error(Err::AuthFailure_SignatureFailure, Msg::SignatureMismatch, {});

  const std::string* token_header = req.header("x-tc-token");
  if (auto e = check_token(*cred, token_header ? trim(*token_header) : std::string_view(call.token))) return e;
  if (secret_id_out) *secret_id_out = auth.secret_id;
  return std::nullopt;
}

// v1: missing Signature or SecretId is treated like a missing Authorization
// header (AuthFailure.InvalidAuthorization): both are the credential material
// that the "Authorization/Signature present" step of protocol.md §6 checks
// first. Missing Timestamp or Nonce are ordinary required common parameters
// and answer MissingParameter, as a missing X-TC-Timestamp does for TC3.
std::optional<ApiError> verify_v1(const HttpRequest& req, const ApiCall& call, const Credentials& creds,
                                  int64_t wall_now_s, std::string* secret_id_out) {
  auto pick = [&](std::string_view key, const std::string& fallback) -> std::string_view {
    const std::string* v = form_value(call.form, key);
    return v ? std::string_view(*v) : std::string_view(fallback);
  };
  std::string_view secret_id = pick("SecretId", call.secret_id);
  std::string_view signature = pick("Signature", call.signature);
  std::string_view ts_text = pick("Timestamp", call.timestamp);
  std::string_view nonce = pick("Nonce", call.nonce);
  std::string_view method_name = pick("SignatureMethod", call.signature_method);

  if (signature.empty()) return make_error(Err::AuthFailure_InvalidAuthorization, Msg::V1ParamMissing, {"Signature"});
  if (secret_id.empty()) return make_error(Err::AuthFailure_InvalidAuthorization, Msg::V1ParamMissing, {"SecretId"});
  if (nonce.empty()) return make_error(Err::MissingParameter, Msg::MissingParam, {"Nonce"});
  int64_t ts = 0;
  if (auto e = check_timestamp("Timestamp", ts_text, wall_now_s, &ts)) return e;

  const Credential* cred = creds.find(secret_id);
  if (!cred) return secret_id_unknown(secret_id);

  // Base64 has no spaces; a client that forgot to percent-encode '+' had it
  // decoded to ' ' by the form decoder, so put it back.
  std::string received(signature);
  std::replace(received.begin(), received.end(), ' ', '+');

  // Host candidates: as received (what every SDK signs, port included), and
  // without port and/or an "http://" prefix some tools put into Host.
  std::vector<std::string> hosts;
  if (const std::string* h = req.header("host")) {
    std::string_view host = trim(*h);
    add_unique(hosts, std::string(host));
    if (auto bare = strip_port(host)) add_unique(hosts, std::string(*bare));
    if (auto no_scheme = strip_scheme(host)) {
      add_unique(hosts, std::string(*no_scheme));
      if (auto bare = strip_port(*no_scheme)) add_unique(hosts, std::string(*bare));
    }
  } else {
    hosts.emplace_back();
  }
  bool matched = false;
  for (const std::string& host : hosts) {
    std::string expected = v1_signature(cred->secret_key, v1_string_to_sign(req.method, host, call.form), method_name);
    matched |= constant_time_equal(expected, received);
  }
  if (!matched) return make_error(Err::AuthFailure_SignatureFailure, Msg::SignatureMismatch, {});

  if (auto e = check_token(*cred, pick("Token", call.token))) return e;
  if (secret_id_out) *secret_id_out = std::string(secret_id);
  return std::nullopt;
}

}  // namespace

// ---- Credentials

void Credentials::add(Credential c) {
  std::string id = c.secret_id;
  by_id_.insert_or_assign(std::move(id), std::move(c));
}

const Credential* Credentials::find(std::string_view secret_id) const {
  auto it = by_id_.find(std::string(secret_id));
  return it == by_id_.end() ? nullptr : &it->second;
}

Credentials Credentials::load_file(const std::string& path) {
  auto fail = [&](const std::string& why) -> std::runtime_error {
    return std::runtime_error("credentials file " + path + ": " + why);
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail("cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw fail("read error");
  std::string content = text.str();

  rapidjson::Document doc;
  doc.Parse(content.data(), content.size());
  if (doc.HasParseError())
    throw fail(std::string("not valid JSON at byte ") + std::to_string(doc.GetErrorOffset()) + ": " +
               rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsArray())
    throw fail("expected a JSON array of {\"SecretId\", \"SecretKey\", \"Token\"?, \"Tenant\"?} objects");

  Credentials out;
  rapidjson::SizeType index = 0;
  for (const auto& item : doc.GetArray()) {
    std::string where = "entry " + std::to_string(index++);
    if (!item.IsObject()) throw fail(where + " is not an object");
    Credential c;
    for (const auto& m : item.GetObject()) {
      std::string_view name(m.name.GetString(), m.name.GetStringLength());
      std::string* field = name == "SecretId"    ? &c.secret_id
                           : name == "SecretKey" ? &c.secret_key
                           : name == "Token"     ? &c.token
                           : name == "Tenant"    ? &c.tenant
                                                 : nullptr;
      if (!field)
        throw fail(where + " has unknown field \"" + std::string(name) +
                   "\" (allowed: SecretId, SecretKey, Token, Tenant)");
      if (!m.value.IsString()) throw fail(where + " field \"" + std::string(name) + "\" must be a string");
      field->assign(m.value.GetString(), m.value.GetStringLength());
    }
    if (c.secret_id.empty()) throw fail(where + " needs a non-empty \"SecretId\"");
    if (c.secret_key.empty()) throw fail(where + " (" + c.secret_id + ") needs a non-empty \"SecretKey\"");
    if (c.secret_id.find_first_of("/, \t") != std::string::npos)
      throw fail(where + " SecretId \"" + c.secret_id + "\" contains '/', ',' or a space, which no signature can carry");
    if (out.find(c.secret_id)) throw fail(where + " repeats SecretId \"" + c.secret_id + "\"");
    out.add(std::move(c));
  }
  return out;
}

std::string tenant_of(const Credentials& creds, std::string_view secret_id) {
  if (secret_id.empty()) return "default";
  if (const Credential* c = creds.find(secret_id); c && !c->tenant.empty()) return c->tenant;
  return std::string(secret_id);
}

std::optional<Tc3Authorization> parse_tc3_authorization(std::string_view header) {
  ParsedAuth p = parse_detailed(header);
  if (p.problem != AuthProblem::None) return std::nullopt;
  return std::move(p.auth);
}

std::optional<ApiError> verify(const HttpRequest& req, const ApiCall& call, const Credentials& creds,
                               int64_t wall_now_s, std::string* secret_id_out) {
  switch (call.style) {
    case Style::Tc3Post:
    case Style::Tc3Get:
      return verify_tc3(req, call, creds, wall_now_s, secret_id_out);
    case Style::V1Post:
    case Style::V1Get:
      return verify_v1(req, call, creds, wall_now_s, secret_id_out);
  }
  return make_error(Err::AuthFailure_InvalidAuthorization, Msg::AuthMissing, {});
}

// ---- Building blocks

std::string utc_date(int64_t unix_seconds) {
  // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
  int64_t days = unix_seconds / 86400 - (unix_seconds % 86400 < 0 ? 1 : 0);
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

std::string tc3_canonical_request(std::string_view method, std::string_view canonical_query,
                                  std::string_view canonical_headers, std::string_view signed_headers,
                                  std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_query.size() + canonical_headers.size() + signed_headers.size() + 80);
  out.append(method).append("\n/\n").append(canonical_query).append("\n");
  out.append(canonical_headers).append("\n").append(signed_headers).append("\n").append(payload_hash);
  return out;
}

std::string tc3_string_to_sign(std::string_view timestamp, std::string_view date, std::string_view service,
                               std::string_view canonical_request) {
  std::string out(kTc3Algorithm);
  out.append("\n").append(timestamp).append("\n").append(date).append("/").append(service).append("/");
  out.append(kTc3Terminator).append("\n").append(sha256_hex(canonical_request));
  return out;
}

std::string tc3_signature(std::string_view secret_key, std::string_view date, std::string_view service,
                          std::string_view string_to_sign) {
  return hex(hmac_sha256(tc3_signing_key(secret_key, date, service), string_to_sign));
}

std::string tc3_authorization_for(const HttpRequest& req, std::string_view secret_id, std::string_view secret_key,
                                  int64_t timestamp, std::string_view service) {
  auto value = [&](std::string_view name) {
    const std::string* v = req.header(name);
    return v ? std::string(trim(*v)) : std::string();
  };
  bool is_get = req.method == "GET";
  std::string headers = "content-type:" + value("content-type") + "\nhost:" + value("host") + "\n";
  std::string payload_hash = sha256_hex(is_get ? std::string_view() : std::string_view(req.body));
  std::string canonical = tc3_canonical_request(req.method, is_get ? req.query() : std::string_view(), headers,
                                                "content-type;host", payload_hash);
  std::string ts = std::to_string(timestamp);
  std::string date = utc_date(timestamp);
  std::string sig = tc3_signature(secret_key, date, service, tc3_string_to_sign(ts, date, service, canonical));
  std::string out(kTc3Algorithm);
  out.append(" Credential=").append(secret_id).append("/").append(date).append("/").append(service);
  out.append("/tc3_request, SignedHeaders=content-type;host, Signature=").append(sig);
  return out;
}

std::string v1_string_to_sign(std::string_view method, std::string_view host, const KeyValues& params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(params.size());
  for (const auto& kv : params)
    if (kv.first != "Signature") sorted.push_back(&kv);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string out(method);
  out.append(host).append("/?");
  bool first = true;
  for (const auto* kv : sorted) {
    if (!first) out.push_back('&');
    first = false;
    out.append(kv->first).append("=").append(kv->second);
  }
  return out;
}

std::string v1_signature(std::string_view secret_key, std::string_view string_to_sign,
                         std::string_view signature_method) {
  return base64(signature_method == "HmacSHA256" ? hmac_sha256(secret_key, string_to_sign)
                                                 : hmac_sha1(secret_key, string_to_sign));
}

}  // namespace dtsmock
