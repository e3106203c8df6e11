// The Forward Email bounce provider: POST /webhooks/service/forwardemail.
#pragma once

#include <tidings/sdk/v1/host.hpp>

namespace tidings::forwardemail {

namespace sdk = ::tidings::sdk::v1;

/// Checks `X-Webhook-Signature` (hex HMAC-SHA256 of the raw body under the key in the runtime
/// setting `bounce.forwardemail`, read per request) and records the bounce. The signature covers
/// no timestamp, so freshness comes from `bounced_at` and replays are caught by remembering each
/// signature for as long as such a body would be accepted. Safe on many threads at once.
class ForwardEmailProvider final : public sdk::BounceProvider {
public:
    explicit ForwardEmailProvider(sdk::Host& host) : host_(host) {}

    std::string_view name() const noexcept override { return "forwardemail"; }

    sdk::Status handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                       sdk::Response& response) noexcept override;

private:
    sdk::Host& host_;
};

}  // namespace tidings::forwardemail
