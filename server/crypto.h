// Hashes, MACs and encodings for request signatures, on OpenSSL's EVP API.
// All functions take and return byte strings; hex output is lowercase.
#pragma once
#include <string>
#include <string_view>

namespace dtsmock {

// Lowercase hex of SHA-256(data): 64 characters.
std::string sha256_hex(std::string_view data);
// HMAC-SHA256(key, data) as 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
// HMAC-SHA1(key, data) as 20 raw bytes.
std::string hmac_sha1(std::string_view key, std::string_view data);
// Lowercase hex of arbitrary bytes.
std::string hex(std::string_view bytes);
// Standard base64 (RFC 4648, with '+', '/' and '=' padding), no line breaks.
std::string base64(std::string_view bytes);
// Equality that takes the same time whatever the content (CRYPTO_memcmp).
// Different lengths return false; the length itself is not secret here.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace dtsmock
