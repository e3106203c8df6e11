#include "tidings/bounce_support/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

namespace tidings::bounce_support {
namespace {

struct BioFree {
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct X509Free {
    void operator()(X509* cert) const noexcept { X509_free(cert); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string hmacSha256(std::string_view key, std::string_view data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes(data), data.size(), mac, &len))
        return {};
    return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string sha256(std::string_view data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(bytes(data), data.size(), digest);
    return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

bool constantTimeEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

PublicKey publicKeyFromDer(std::string_view der) {
    const unsigned char* p = bytes(der);
    PublicKey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    // Trailing bytes mean the value was not exactly one key: refuse rather than guess.
    if (key && p != bytes(der) + der.size()) return nullptr;
    return key;
}

PublicKey publicKeyFromCertificate(std::string_view pem, std::string& error) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        error = "out of memory";
        return nullptr;
    }
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        error = "not a PEM certificate";
        return nullptr;
    }
    // A certificate outside its validity period is not trustworthy even from the right host.
    if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0 ||
        X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0) {
        error = "certificate is not valid now";
        return nullptr;
    }
    PublicKey key(X509_get_pubkey(cert.get()));
    if (!key) error = "certificate has no usable public key";
    return key;
}

bool verifySignature(EVP_PKEY& key, Digest digest, std::string_view data, std::string_view signature) noexcept {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx) return false;
    const EVP_MD* md = digest == Digest::Sha1 ? EVP_sha1() : EVP_sha256();
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, &key) != 1) return false;
    // 1 is a valid signature; 0 a wrong one; negative a malformed one. Only 1 passes.
    return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(data), data.size()) == 1;
}

}  // namespace tidings::bounce_support
