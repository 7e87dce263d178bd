#include "server/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace dtsmock {
namespace {

// Failures here mean OpenSSL itself is broken (out of memory, no default
// provider); no request input can cause them, so they are exceptions.
[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string("OpenSSL failure: ") + what); }

// The HMAC implementation, fetched once (fetching costs a provider lookup;
// an EVP_MAC is immutable and safe to share between threads).
EVP_MAC* hmac_impl() {
  static EVP_MAC* mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    if (!m) fail("EVP_MAC_fetch(HMAC)");
    return m;
  }();
  return mac;
}

// One HMAC context per thread and digest, with the digest set once: setting it
// (or fetching SHA-256 by name) on every call costs a locked provider lookup,
// which dominated signature checks under load. EVP_MAC_init with a new key
// restarts the context.
EVP_MAC_CTX* hmac_ctx(const char* digest) {
  struct Holder {
    EVP_MAC_CTX* ctx = nullptr;
    ~Holder() { EVP_MAC_CTX_free(ctx); }
  };
  thread_local Holder sha256, sha1;
  Holder& h = digest[3] == '2' ? sha256 : sha1;  // "SHA256" or "SHA1"
  if (!h.ctx) {
    h.ctx = EVP_MAC_CTX_new(hmac_impl());
    if (!h.ctx) fail("EVP_MAC_CTX_new");
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_MAC_CTX_set_params(h.ctx, params) != 1) fail("EVP_MAC_CTX_set_params");
  }
  return h.ctx;
}

std::string hmac(const char* digest, std::string_view key, std::string_view data) {
  EVP_MAC_CTX* ctx = hmac_ctx(digest);
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t out_len = 0;
  // A zero-length key is legal for HMAC, but EVP_MAC_init wants a non-null pointer.
  static const unsigned char kEmpty = 0;
  const auto* k = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  bool ok = EVP_MAC_init(ctx, k, key.size(), nullptr) == 1 &&
            EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
            EVP_MAC_final(ctx, out, &out_len, sizeof out) == 1;
  if (!ok) fail("HMAC");
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!m) fail("EVP_MD_fetch(SHA256)");
    return m;
  }();
  return md;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, sha256_md(), nullptr) != 1) fail("EVP_Digest(SHA256)");
  return hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string hmac_sha256(std::string_view key, std::string_view data) { return hmac("SHA256", key, data); }
std::string hmac_sha1(std::string_view key, std::string_view data) { return hmac("SHA1", key, data); }

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.resize(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0x0f];
  }
  return out;
}

std::string base64(std::string_view bytes) {
  if (bytes.empty()) return {};
  std::string out;
  out.resize(4 * ((bytes.size() + 2) / 3) + 1);  // + the NUL EVP_EncodeBlock writes
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  if (n < 0) fail("EVP_EncodeBlock");
  out.resize(static_cast<size_t>(n));
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    // Still walk the expected value once so a wrong length costs about what a
    // wrong content does; the result is discarded.
    volatile int sink = CRYPTO_memcmp(a.data(), a.data(), a.size());
    (void)sink;
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace dtsmock
