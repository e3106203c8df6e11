#include "crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <limits>
#include <vector>

namespace tidings::altcha {
namespace {

std::string toHex(const unsigned char* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[data[i] >> 4]);
        out.push_back(kDigits[data[i] & 0x0f]);
    }
    return out;
}

}  // namespace

std::string sha256Hex(std::string_view data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return toHex(digest, sizeof digest);
}

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
    return toHex(mac, len);
}

std::optional<std::string> randomHex(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) return std::nullopt;
    return toHex(buf.data(), buf.size());
}

std::optional<std::uint64_t> randomUpTo(std::uint64_t max) {
    if (max == std::numeric_limits<std::uint64_t>::max()) max -= 1;  // keeps `range` finite
    const std::uint64_t range = max + 1;
    // Rejection sampling: drawing `x % range` from the full 64-bit space would favour small
    // numbers; discarding the incomplete top block keeps every value equally likely.
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                                std::numeric_limits<std::uint64_t>::max() % range;
    for (;;) {
        std::uint64_t x = 0;
        if (RAND_bytes(reinterpret_cast<unsigned char*>(&x), sizeof x) != 1) return std::nullopt;
        if (x < limit) return x % range;
    }
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    // Lengths are public (always 64 hex digits for a valid signature), only content is secret.
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tidings::altcha
