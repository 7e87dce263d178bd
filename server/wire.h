// Request styles: turns any of the three ways a Tencent Cloud client can send
// a call (TC3 POST JSON, v1 POST form, GET query with v1 or TC3) into one
// ApiCall, so nothing after this layer knows which style arrived.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/http.h"
#include "state/errors.h"
#include "state/json.h"

namespace dtsmock {

enum class Style : uint8_t {
  Tc3Post,  // POST application/json, common parameters in X-TC-* headers
  Tc3Get,   // GET with a query string, common parameters in X-TC-* headers
  V1Post,   // POST application/x-www-form-urlencoded with Signature
  V1Get,    // GET with everything (including Signature) in the query
};

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct ApiCall {
  Style style = Style::Tc3Post;
  // Common parameters (from X-TC-* headers for TC3, from the query/form for v1).
  std::string action, version, region, timestamp, language, token;
  bool has_region = false;
  // v1 only.
  std::string secret_id, nonce, signature, signature_method;
  // Every URL-decoded key/value of the query or form, in received order
  // (v1 signs them all; the flat decoder reads the non-common ones).
  KeyValues form;
  // Request parameters (common ones removed), as a typed JSON object.
  Json params{rapidjson::kObjectType};
};

// Common parameters that are never request members in the v1 / GET styles.
bool is_common_parameter(std::string_view key);

// URL-decodes an application/x-www-form-urlencoded string ('+' is a space).
// Returns false on a malformed escape or a key/value that is not valid UTF-8.
bool decode_form(std::string_view text, KeyValues& out);

// True when s is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool valid_utf8(std::string_view s);
// s with every byte that is not part of well-formed UTF-8 replaced by U+FFFD, so
// request text quoted back in a message never breaks the JSON answer.
std::string sanitize_utf8(std::string_view s);

}  // namespace dtsmock

namespace dtsmock {

// Request size limits of the real service, by style.
inline constexpr size_t kMaxGetBytes = 32 * 1024;
inline constexpr size_t kMaxV1PostBytes = 1024 * 1024;
inline constexpr size_t kMaxTc3PostBytes = 10 * 1024 * 1024;

// Recognises the style and reads the common parameters. For TC3 POST the body
// is parsed into call.params; for the form styles call.form is filled and the
// typed params are built later from the API model (server/flat.h), once the
// action is known. Errors: UnsupportedProtocol, RequestSizeLimitExceeded,
// InvalidParameter (body not a JSON object, bad form encoding), MissingParameter.
std::optional<ApiError> parse_call(const HttpRequest& req, ApiCall& call);

// Lang from X-TC-Language / Language: zh-CN gives Chinese, anything else English.
Lang language_of(const ApiCall& call);

}  // namespace dtsmock
