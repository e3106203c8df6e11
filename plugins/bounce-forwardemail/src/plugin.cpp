// bounce-forwardemail: records bounces from Forward Email's webhooks. The switch and the key are
// runtime settings (`bounce.forwardemail`); there is no operator configuration.
#include <tidings/sdk/v1/plugin.hpp>

#include "provider.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;

class ForwardEmailPlugin final : public sdk::Plugin {
public:
    explicit ForwardEmailPlugin(sdk::Host& host) : provider_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override { return registrar.provideBounceProvider(provider_); }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}

private:
    tidings::forwardemail::ForwardEmailProvider provider_;
};

}  // namespace

TIDINGS_PLUGIN(ForwardEmailPlugin, "bounce", "bounce-forwardemail", "1.0.0",
               "Forward Email bounce webhooks (HMAC-SHA256 signed)")
