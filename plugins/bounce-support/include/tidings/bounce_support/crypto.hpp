// OpenSSL primitives the providers' verification schemes are built from: HMAC-SHA256
// (ForwardEmail), RSA signatures under an X.509 certificate (SNS) and ECDSA P-256 signatures under
// a DER public key (SendGrid). OpenSSL objects live in unique_ptrs with their free functions, so
// no path leaks one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace tidings::bounce_support {

struct PublicKeyFree {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
/// An owned OpenSSL public key. Verification only reads it, so one key may be shared between
/// threads once loaded (OpenSSL documents EVP_PKEY as safe for concurrent read-only use).
using PublicKey = std::unique_ptr<EVP_PKEY, PublicKeyFree>;

/// Which digest a signature was made over.
enum class Digest { Sha1, Sha256 };

/// Raw (binary) HMAC-SHA256 of `data` under `key`.
std::string hmacSha256(std::string_view key, std::string_view data);

/// Raw (binary) SHA-256 of `data`.
std::string sha256(std::string_view data);

/// Compares in time that depends only on the lengths, never on where the inputs differ. Lengths
/// are not secret in any scheme used here (digest sizes are fixed).
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;

/// A public key from DER SubjectPublicKeyInfo (what SendGrid shows, base64-decoded); null when
/// the bytes are not one.
PublicKey publicKeyFromDer(std::string_view der);

/// The public key of a PEM X.509 certificate. Null, with the reason in `error`, when the text is
/// not a certificate or the certificate is outside its validity period right now.
PublicKey publicKeyFromCertificate(std::string_view pem, std::string& error);

/// Whether `signature` is a valid signature of `data` under `key` with `digest`: PKCS#1 v1.5 for
/// RSA keys, DER-encoded (r, s) for EC keys, as OpenSSL's EVP_DigestVerify decides by key type.
bool verifySignature(EVP_PKEY& key, Digest digest, std::string_view data, std::string_view signature) noexcept;

}  // namespace tidings::bounce_support
