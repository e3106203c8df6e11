// The `webhooks` runtime setting, parsed: the endpoints operators configured through
// PUT /api/settings. The kernel validates the setting when it is written
// (kernel/core/webhook_settings_check.cpp); this side parses the same shape and applies defaults.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/host.hpp>

namespace tidings::webhooks {

namespace sdk = ::tidings::sdk::v1;

/// The hook events an endpoint may subscribe to (every event but the synchronous
/// message.before_send).
const std::vector<std::string_view>& deliverableEvents();

struct Endpoint {
    std::string name;
    bool enabled = false;
    std::string url;     ///< http:// or https://
    std::string secret;  ///< HMAC-SHA256 key for X-Tidings-Signature
    std::set<std::string, std::less<>> events;
    std::chrono::milliseconds timeout{5000};
    int max_attempts = 8;
    /// The first retry's delay; later ones grow from it (retry_schedule.hpp).
    std::chrono::milliseconds retry_base{10'000};

    bool wants(std::string_view event) const { return enabled && events.count(event) > 0; }
};

using Endpoints = std::vector<Endpoint>;

/// Parses the setting's JSON text; empty text or null means no endpoints. Throws
/// std::invalid_argument naming the field for malformed input.
Endpoints parseEndpoints(const std::string& json);

/// The current endpoints, re-read from the host on every call: a string compare when the setting
/// did not change, a re-parse when it did. A malformed setting is logged once and the previous
/// endpoints kept. Thread-safe.
class EndpointSettings {
public:
    explicit EndpointSettings(sdk::Host& host) : host_(host) {}

    std::shared_ptr<const Endpoints> current();

private:
    sdk::Host& host_;
    std::mutex mutex_;
    std::string last_text_;
    bool loaded_ = false;
    std::shared_ptr<const Endpoints> endpoints_ = std::make_shared<const Endpoints>();
};

/// The endpoint named `name` in `endpoints`, or nullptr.
const Endpoint* findEndpoint(const Endpoints& endpoints, std::string_view name);

}  // namespace tidings::webhooks
