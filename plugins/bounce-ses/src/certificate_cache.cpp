#include "certificate_cache.hpp"

#include <tidings/bounce_support/crypto.hpp>

#include "http_get.hpp"

namespace tidings::ses {

namespace support = ::tidings::bounce_support;

void CertificateCache::setTls(Poco::Net::Context::Ptr tls) {
    std::lock_guard lock(mutex_);
    tls_ = std::move(tls);
}

sdk::Status CertificateCache::publicKey(const std::string& url, std::shared_ptr<EVP_PKEY>& key) {
    const auto now = std::chrono::steady_clock::now();
    Poco::Net::Context::Ptr tls;
    {
        std::lock_guard lock(mutex_);
        if (auto it = entries_.find(url); it != entries_.end() && now - it->second.fetched < kMaxAge) {
            key = it->second.key;
            return {};
        }
        tls = tls_;
    }

    // Fetched without the lock: a slow certificate host must not stall every other webhook.
    // Two threads may fetch the same URL at once; both get the same certificate.
    const HttpAnswer answer = httpGet(url, tls, fetch_timeout_);
    if (!answer.reached) return sdk::Status::unavailable("ses: cannot fetch the signing certificate: " + answer.error);
    if (answer.status != 200)
        return sdk::Status::unavailable("ses: signing certificate URL answered HTTP " + std::to_string(answer.status));
    std::string error;
    support::PublicKey parsed = support::publicKeyFromCertificate(answer.body, error);
    if (!parsed) return sdk::Status::forbidden("ses: signing certificate refused: " + error);
    if (EVP_PKEY_base_id(parsed.get()) != EVP_PKEY_RSA)
        return sdk::Status::forbidden("ses: signing certificate does not hold an RSA key");

    std::shared_ptr<EVP_PKEY> shared(std::move(parsed));
    {
        std::lock_guard lock(mutex_);
        if (entries_.size() >= kMaxEntries) entries_.clear();
        entries_[url] = Entry{shared, now};
    }
    key = std::move(shared);
    return {};
}

}  // namespace tidings::ses
