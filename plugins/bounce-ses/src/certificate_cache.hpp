// SNS signing certificates by URL. AWS rotates them rarely and every message names one, so
// fetching per message would put an outbound request on every webhook call.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <openssl/evp.h>

#include <Poco/Net/Context.h>

#include <tidings/sdk/v1/status.hpp>

namespace tidings::ses {

namespace sdk = ::tidings::sdk::v1;

/// A thread-safe cache of the public keys of fetched certificates. The caller checks the URL
/// against the origin policy first; the cache only fetches and parses.
class CertificateCache {
public:
    explicit CertificateCache(std::chrono::milliseconds fetch_timeout) : fetch_timeout_(fetch_timeout) {}

    /// Sets the TLS context used for https URLs (from the plugin's start()).
    void setTls(Poco::Net::Context::Ptr tls);

    /// The key of the certificate at `url`, fetched on first use. Unavailable when the URL
    /// cannot be fetched (SNS will retry); Forbidden when what it serves is no valid certificate.
    sdk::Status publicKey(const std::string& url, std::shared_ptr<EVP_PKEY>& key);

private:
    // A bound on memory: real traffic uses a handful of certificates, so a full cache means
    // someone is cycling URLs, and starting over is cheap.
    static constexpr std::size_t kMaxEntries = 32;
    // Certificates expire; refetching now and then picks up a replacement at the same URL.
    static constexpr std::chrono::hours kMaxAge{24};

    struct Entry {
        std::shared_ptr<EVP_PKEY> key;
        std::chrono::steady_clock::time_point fetched;
    };

    const std::chrono::milliseconds fetch_timeout_;
    std::mutex mutex_;
    Poco::Net::Context::Ptr tls_;
    std::map<std::string, Entry> entries_;
};

}  // namespace tidings::ses
