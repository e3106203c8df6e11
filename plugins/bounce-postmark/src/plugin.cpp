// bounce-postmark: records bounces and spam complaints from Postmark's webhooks. Everything it
// needs is a runtime setting (`bounce.postmark`), so it declares no operator configuration.
#include <tidings/sdk/v1/plugin.hpp>

#include "provider.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;

class PostmarkPlugin final : public sdk::Plugin {
public:
    explicit PostmarkPlugin(sdk::Host& host) : provider_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override { return registrar.provideBounceProvider(provider_); }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}

private:
    tidings::postmark::PostmarkProvider provider_;
};

}  // namespace

TIDINGS_PLUGIN(PostmarkPlugin, "bounce", "bounce-postmark", "1.0.0",
               "Postmark bounce and spam-complaint webhooks (HTTP Basic auth)")
