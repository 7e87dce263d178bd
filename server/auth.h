// Request authentication: TC3-HMAC-SHA256 (signature v3) and the v1
// HmacSHA1 / HmacSHA256 query signatures, checked against a credential list.
// See protocol.md §3 and §4; the client quirks of §3.1 are accepted.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/http.h"
#include "server/wire.h"
#include "state/errors.h"

namespace dtsmock {

struct Credential {
  std::string secret_id, secret_key;
  std::string token;   // when set, requests must carry exactly this session token
  std::string tenant;  // isolation key; empty means "the SecretId itself"
};

class Credentials {
 public:
  // Adds a credential; one with the same SecretId is replaced.
  void add(Credential c);
  // nullptr when unknown.
  const Credential* find(std::string_view secret_id) const;
  size_t size() const { return by_id_.size(); }

  // Reads a JSON array of {"SecretId", "SecretKey", "Token"?, "Tenant"?}.
  // Throws std::runtime_error naming the file and the problem (unreadable,
  // not JSON, wrong shape, missing or empty field, unknown field, duplicate id).
  static Credentials load_file(const std::string& path);

 private:
  std::unordered_map<std::string, Credential> by_id_;
};

// The tenant a SecretId's calls belong to: the credential's Tenant if set,
// else the SecretId (also for ids not in the list, e.g. with auth off);
// "default" when secret_id is empty.
std::string tenant_of(const Credentials& creds, std::string_view secret_id);

struct Tc3Authorization {
  std::string algorithm;       // always "TC3-HMAC-SHA256"
  std::string secret_id;
  std::string date;            // YYYY-MM-DD, from the Credential scope
  std::string service;         // from the Credential scope (Node puts odd things here, e.g. "127")
  std::string signed_headers;  // as sent, e.g. "content-type;host"
  std::string signature;       // 64 lowercase hex digits
};

// Parses `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
// SignedHeaders=<a;b>, Signature=<hex>`. The three fields may come in any
// order, each exactly once, with any spaces or tabs around the commas.
// nullopt for anything else (other algorithms, "SKIP", missing or repeated
// fields, unknown fields, a signature that is not 64 lowercase hex digits,
// a scope not ending in tc3_request, a date not shaped YYYY-MM-DD).
std::optional<Tc3Authorization> parse_tc3_authorization(std::string_view header);

// Authenticates a call whose style the wire layer has determined.
// Returns nullopt when the request is authentic; the error to answer otherwise.
// wall_now_s is the server's wall-clock time in Unix seconds (the caller reads
// it; this function reads no clock). *secret_id_out (if given) is set to the
// verified SecretId on success and left untouched on failure.
//
// Check order (protocol.md §6): credential material present → timestamp
// present and numeric → skew (|now − ts| > 300 s) → SecretId known → (TC3)
// scope date → signature → token.
std::optional<ApiError> verify(const HttpRequest& req, const ApiCall& call, const Credentials& creds,
                               int64_t wall_now_s, std::string* secret_id_out);

// ---- Building blocks, exposed for tests and for test clients that sign. ----

// UTC calendar date of a Unix time, "YYYY-MM-DD".
std::string utc_date(int64_t unix_seconds);

// METHOD\n/\nquery\nheaders\nsigned_headers\npayload_hash; canonical_headers
// already holds one "name:value\n" line per signed header.
std::string tc3_canonical_request(std::string_view method, std::string_view canonical_query,
                                  std::string_view canonical_headers, std::string_view signed_headers,
                                  std::string_view payload_hash);
// TC3-HMAC-SHA256\n<timestamp>\n<date>/<service>/tc3_request\nsha256_hex(canonical_request)
std::string tc3_string_to_sign(std::string_view timestamp, std::string_view date, std::string_view service,
                               std::string_view canonical_request);
// hex(HMAC chain over "TC3"+secret_key, date, service, "tc3_request", then string_to_sign).
std::string tc3_signature(std::string_view secret_key, std::string_view date, std::string_view service,
                          std::string_view string_to_sign);

// The full Authorization header a well-behaved SDK would send for req
// (signing content-type;host with the values in req, the raw body or query).
// For tests and tools; the server never signs.
std::string tc3_authorization_for(const HttpRequest& req, std::string_view secret_id, std::string_view secret_key,
                                  int64_t timestamp, std::string_view service = "dts");

// METHOD + host + "/?" + every param except Signature, sorted by key (byte
// order, stable for repeated keys), joined as k=v with '&', values unencoded.
std::string v1_string_to_sign(std::string_view method, std::string_view host, const KeyValues& params);
// base64(HMAC-SHA256) when signature_method is "HmacSHA256", else base64(HMAC-SHA1).
std::string v1_signature(std::string_view secret_key, std::string_view string_to_sign,
                         std::string_view signature_method);

}  // namespace dtsmock
