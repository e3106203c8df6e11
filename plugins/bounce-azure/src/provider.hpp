// The Azure bounce provider: POST /webhooks/service/azure.
#pragma once

#include <tidings/sdk/v1/host.hpp>

namespace tidings::azure {

namespace sdk = ::tidings::sdk::v1;

/// Answers Event Grid's subscription validation handshake and turns Azure Communication Services
/// `EmailDeliveryReportReceived` events into bounce events. Every request must carry the shared
/// secret of the runtime setting `bounce.azure` (`{enabled, shared_secret, shared_secret_header}`,
/// read per request), in the `code` query parameter or in the configured header. Event Grid's
/// secret covers no timestamp, so freshness comes from each event's `eventTime` and replays are
/// caught by remembering the batch's event ids. Stateless apart from the host, so safe on many
/// threads at once.
class AzureProvider final : public sdk::BounceProvider {
public:
    explicit AzureProvider(sdk::Host& host) : host_(host) {}

    std::string_view name() const noexcept override { return "azure"; }

    sdk::Status handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                       sdk::Response& response) noexcept override;

private:
    sdk::Status authenticate(const sdk::Request& request) const;

    sdk::Host& host_;
};

}  // namespace tidings::azure
