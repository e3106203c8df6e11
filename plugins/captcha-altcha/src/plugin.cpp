// captcha-altcha: Altcha proof-of-work CAPTCHA. Registers the provider and the public challenge
// route in attach(); loads the shared HMAC key in start(), when the state store is available.
#include <tidings/sdk/v1/plugin.hpp>

#include "provider.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;

class AltchaPlugin final : public sdk::Plugin {
public:
    explicit AltchaPlugin(sdk::Host& host) : provider_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        try {
            if (auto st = registrar.provideCaptcha(provider_); !st) return st;
            sdk::RouteSpec spec;
            spec.method = "GET";
            spec.pattern = "/api/public/captcha/altcha";
            spec.access = sdk::Access::Public;
            // The provider outlives the route: the kernel stops calling it after stop().
            return registrar.route(spec, [this](const sdk::Request& req, sdk::Response& res) {
                provider_.handleChallenge(req, res);
            });
        } catch (const std::exception& e) {  // allocation failure: nothing else can throw here
            return sdk::Status::internal(std::string("altcha: ") + e.what());
        }
    }

    sdk::Status start() noexcept override { return provider_.loadKey(); }

    void stop() noexcept override {}

private:
    tidings::altcha::AltchaProvider provider_;
};

}  // namespace

TIDINGS_PLUGIN(AltchaPlugin, "captcha", "captcha-altcha", "1.0.0",
               "Altcha proof-of-work CAPTCHA (self-hosted, no third-party requests)")
