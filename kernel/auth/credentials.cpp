#include "kernel/auth/credentials.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace tidings::kernel {
namespace {

// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
constexpr int kIterations = 600000;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

bool unbase64(std::string_view text, std::vector<unsigned char>& out) {
    if (text.size() % 4 != 0) return false;
    out.assign(text.size() / 4 * 3, 0);
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    if (n < 0) return false;
    std::size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return true;
}

void randomBytes(unsigned char* out, std::size_t size) {
    if (RAND_bytes(out, static_cast<int>(size)) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
}

std::array<unsigned char, kHashBytes> derive(std::string_view password, const unsigned char* salt,
                                             std::size_t salt_size, int iterations) {
    std::array<unsigned char, kHashBytes> out{};
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt,
                          static_cast<int>(salt_size), iterations, EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1) {
        throw std::runtime_error("OpenSSL PBKDF2 failed");
    }
    return out;
}

}  // namespace

std::string hashPassword(std::string_view password) {
    std::array<unsigned char, kSaltBytes> salt{};
    randomBytes(salt.data(), salt.size());
    auto hash = derive(password, salt.data(), salt.size(), kIterations);
    return "pbkdf2-sha256$" + std::to_string(kIterations) + "$" + base64(salt.data(), salt.size()) + "$" +
           base64(hash.data(), hash.size());
}

bool verifyPassword(std::string_view password, std::string_view stored) {
    constexpr std::string_view prefix = "pbkdf2-sha256$";
    if (!stored.starts_with(prefix)) return false;
    std::string_view rest = stored.substr(prefix.size());
    auto d1 = rest.find('$');
    if (d1 == std::string_view::npos) return false;
    auto d2 = rest.find('$', d1 + 1);
    if (d2 == std::string_view::npos) return false;
    int iterations = 0;
    for (char c : rest.substr(0, d1)) {
        if (c < '0' || c > '9' || iterations > 100000000) return false;
        iterations = iterations * 10 + (c - '0');
    }
    std::vector<unsigned char> salt, expected;
    if (iterations < 1 || !unbase64(rest.substr(d1 + 1, d2 - d1 - 1), salt) ||
        !unbase64(rest.substr(d2 + 1), expected) || expected.size() != kHashBytes) {
        return false;
    }
    auto actual = derive(password, salt.data(), salt.size(), iterations);
    return CRYPTO_memcmp(actual.data(), expected.data(), kHashBytes) == 0;
}

std::string sha256Hex(std::string_view data) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (unsigned char b : digest) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 0xF]);
    }
    return out;
}

std::string tokenDigest(std::string_view token) { return "sha256$" + sha256Hex(token); }

std::string randomToken(std::size_t length) {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    out.reserve(length);
    std::array<unsigned char, 64> pool{};
    while (out.size() < length) {
        randomBytes(pool.data(), pool.size());
        for (unsigned char b : pool) {
            // 248 = 4 * 62: reject the tail so every character is equally likely.
            if (b < 248 && out.size() < length) out.push_back(alphabet[b % alphabet.size()]);
        }
    }
    return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tidings::kernel
