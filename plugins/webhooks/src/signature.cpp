#include "signature.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace tidings::webhooks {
namespace {

// Poco's HMACEngine takes the block and digest sizes from its template argument.
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

}  // namespace

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
    Poco::HMACEngine<Sha256Engine> hmac{std::string(key)};
    hmac.update(data.data(), static_cast<unsigned>(data.size()));
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

std::string signatureHeader(std::string_view secret, std::int64_t unix_seconds, std::string_view body) {
    const std::string t = std::to_string(unix_seconds);
    std::string signed_text;
    signed_text.reserve(t.size() + 1 + body.size());
    signed_text.append(t).append(".").append(body);
    return "t=" + t + ",v1=" + hmacSha256Hex(secret, signed_text);
}

}  // namespace tidings::webhooks
