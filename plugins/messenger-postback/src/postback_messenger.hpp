// One named postback messenger: the sdk::Messenger campaigns and tx requests select by name.
//
// Its endpoint (URL, credentials, pool) comes from the `messengers` setting and is swapped in by
// the PostbackDirectory when the setting changes; a push takes the current endpoint once and
// keeps it for all its attempts, so a change never mixes two configurations in one send.
//
// Retries (per message, up to max_msg_retries, after 100 ms * 2^n): connection errors, timeouts,
// 5xx, 408 and 429. Other 4xx and 3xx answers are final (Invalid) — the receiver refused this
// message and would refuse it again. Exhausted retries give Unavailable; the campaign engine counts
// both toward app.max_send_errors. A reused keep-alive session that the peer had closed is
// replaced once without using up a retry. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <Poco/URI.h>

#include <tidings/sdk/v1/messenger.hpp>

#include "http_pool.hpp"
#include "postback_settings.hpp"

namespace tidings::postback {

/// What one configuration of a messenger sends with; immutable once built.
struct Endpoint {
    EndpointConfig config;
    Poco::URI uri;
    std::string target;         ///< path and query of root_url ("/" when empty)
    std::string authorization;  ///< "Basic ..." or empty
    std::shared_ptr<HttpPool> pool;
};

/// Builds an endpoint for `config`, reusing `previous`'s pool when the connection is unchanged.
std::shared_ptr<const Endpoint> makeEndpoint(EndpointConfig config, const Endpoint* previous);

class PostbackMessenger final : public tidings::sdk::v1::Messenger {
public:
    /// `refresh` is called before every push so that setting changes apply without a restart.
    PostbackMessenger(std::string name, std::function<void()> refresh);

    std::string_view name() const noexcept override { return name_; }
    /// Each message is one request: batching would gain nothing over pooled keep-alive sessions.
    std::size_t maxBatch() const noexcept override { return 1; }
    tidings::sdk::v1::Status push(const tidings::sdk::v1::Message& message) noexcept override;
    tidings::sdk::v1::Status pushBatch(const std::vector<tidings::sdk::v1::Message>& messages,
                                       std::vector<tidings::sdk::v1::Status>& results) noexcept override;
    /// push() returns once the receiver answered: nothing is ever pending.
    tidings::sdk::v1::Status flush() noexcept override { return {}; }
    void close() noexcept override;

    /// The current endpoint; null while the messenger is disabled or removed from the setting.
    std::shared_ptr<const Endpoint> endpoint() const;
    /// Swaps the endpoint in (null: disabled); retires the old pool if the new one differs.
    void setEndpoint(std::shared_ptr<const Endpoint> endpoint);

private:
    tidings::sdk::v1::Status deliver(const Endpoint& endpoint, const std::string& body);

    const std::string name_;
    const std::function<void()> refresh_;
    mutable std::mutex mutex_;
    std::shared_ptr<const Endpoint> endpoint_;
};

}  // namespace tidings::postback
