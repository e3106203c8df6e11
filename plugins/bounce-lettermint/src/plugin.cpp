// bounce-lettermint: records bounces and spam complaints from Lettermint's webhooks. The switch
// and the signing key are runtime settings (`bounce.lettermint`); there is no operator
// configuration.
#include <tidings/sdk/v1/plugin.hpp>

#include "provider.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;

class LettermintPlugin final : public sdk::Plugin {
public:
    explicit LettermintPlugin(sdk::Host& host) : provider_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override { return registrar.provideBounceProvider(provider_); }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}

private:
    tidings::lettermint::LettermintProvider provider_;
};

}  // namespace

TIDINGS_PLUGIN(LettermintPlugin, "bounce", "bounce-lettermint", "1.0.0",
               "Lettermint bounce and spam-complaint webhooks (HMAC-SHA256 signed)")
