// bounce-azure: records bounces from Azure Communication Services email delivery reports, which
// Event Grid posts to a webhook. The switch and the shared secret are runtime settings
// (`bounce.azure`); there is no operator configuration.
#include <tidings/sdk/v1/plugin.hpp>

#include "provider.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;

class AzurePlugin final : public sdk::Plugin {
public:
    explicit AzurePlugin(sdk::Host& host) : provider_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override { return registrar.provideBounceProvider(provider_); }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}

private:
    tidings::azure::AzureProvider provider_;
};

}  // namespace

TIDINGS_PLUGIN(AzurePlugin, "bounce", "bounce-azure", "1.0.0",
               "Azure Communication Services delivery reports via Event Grid (shared secret)")
