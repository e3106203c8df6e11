// The SendGrid bounce provider: POST /webhooks/service/sendgrid.
#pragma once

#include <tidings/sdk/v1/host.hpp>

namespace tidings::sendgrid {

namespace sdk = ::tidings::sdk::v1;

/// Verifies the Signed Event Webhook signature with the key in `bounce.sendgrid_key`, refuses
/// timestamps outside a few minutes of now and signatures seen before, and turns failure events
/// into bounces. Switched by `bounce.sendgrid_enabled`. Settings are read per request; nothing
/// else is kept, so it is safe on many threads at once.
class SendgridProvider final : public sdk::BounceProvider {
public:
    explicit SendgridProvider(sdk::Host& host) : host_(host) {}

    std::string_view name() const noexcept override { return "sendgrid"; }

    sdk::Status handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                       sdk::Response& response) noexcept override;

private:
    sdk::Status verify(const sdk::Request& request, std::string& signature) const;

    sdk::Host& host_;
};

}  // namespace tidings::sendgrid
