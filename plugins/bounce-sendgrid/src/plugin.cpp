// bounce-sendgrid: records bounces, blocks, drops and spam reports from SendGrid's Event Webhook.
// The switch and the verification key are runtime settings (`bounce.sendgrid_enabled`,
// `bounce.sendgrid_key`); there is no operator configuration.
#include <tidings/sdk/v1/plugin.hpp>

#include "provider.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;

class SendgridPlugin final : public sdk::Plugin {
public:
    explicit SendgridPlugin(sdk::Host& host) : provider_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override { return registrar.provideBounceProvider(provider_); }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}

private:
    tidings::sendgrid::SendgridProvider provider_;
};

}  // namespace

TIDINGS_PLUGIN(SendgridPlugin, "bounce", "bounce-sendgrid", "1.0.0",
               "SendGrid Event Webhook bounces (ECDSA-signed)")
