// What the bounce webhook tests share: keys generated at run time to sign payloads as each
// provider would (an RSA key with a self-signed certificate for SNS, an ECDSA P-256 key for
// SendGrid, HMAC for Forward Email), a server with the bounce plugins loaded, and small readers
// of /api/bounces.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

#include "tidings_server.hpp"

namespace tidings::test {

struct PkeyFree {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

/// An RSA key and a self-signed certificate for it, valid from an hour ago for a day.
class RsaSigner {
public:
    RsaSigner();
    const std::string& certificatePem() const { return certificate_pem_; }
    /// base64 of the PKCS#1 v1.5 signature of `data` (SHA-1 for SNS SignatureVersion 1, SHA-256 for 2).
    std::string sign(std::string_view data, bool sha256) const;

private:
    Pkey key_;
    std::string certificate_pem_;
};

/// An ECDSA P-256 key as SendGrid's signed event webhook uses.
class EcSigner {
public:
    EcSigner();
    /// base64 of the DER SubjectPublicKeyInfo: what the SendGrid console shows.
    std::string publicKeyBase64() const;
    /// base64 of the DER ECDSA signature of SHA-256(`data`).
    std::string sign(std::string_view data) const;

private:
    Pkey key_;
};

std::string base64(std::string_view bytes);
std::string hmacSha256Hex(std::string_view key, std::string_view data);

/// RFC 3339 with milliseconds and 'Z', as SNS writes it.
std::string rfc3339(std::chrono::system_clock::time_point at);
std::int64_t unixNow();

/// The environment that loads every bounce provider plugin.
std::map<std::string, std::string> bouncePluginEnv();

/// PUTs `bounce.enabled` and `bounce.webhooks_enabled` on, plus the extra members of the
/// settings object given (e.g. R"("bounce.ses_enabled": true)").
void enableBounces(const TidingsServer& server, const std::string& extra_members = "");

/// Creates a subscriber with `email`; returns its id.
std::int64_t makeSubscriber(const TidingsServer& server, const std::string& email);

/// `total` of GET /api/bounces with the given query (e.g. "source=ses").
std::int64_t bounceTotal(const TidingsServer& server, const std::string& query = "");

/// The bounces of one subscriber, from GET /api/subscribers/:id/bounces.
Poco::JSON::Array::Ptr subscriberBounces(const TidingsServer& server, std::int64_t subscriber_id);

/// A subscriber's status ("enabled", "blocklisted", ...), or "" when it no longer exists.
std::string subscriberStatus(const TidingsServer& server, std::int64_t subscriber_id);

/// POSTs a provider webhook with the given headers (public: no credentials).
HttpResult postWebhook(const TidingsServer& server, const std::string& provider, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace tidings::test

namespace tidings::test {

/// A draft campaign created directly in the database (the bounce tests need only its UUID and
/// id to check the link). Returns {id, uuid}.
std::pair<std::int64_t, std::string> makeCampaignRow(const TidingsServer& server);

}  // namespace tidings::test
