// bounce-ses: records Amazon SES bounces and complaints delivered by SNS. The switch is a runtime
// setting (`bounce.ses_enabled`); which hosts may serve SNS certificates and subscription URLs is
// operator configuration, because trusting another host means trusting anyone who controls it.
#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>

#include <tidings/sdk/v1/plugin.hpp>

#include "provider.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;
using tidings::ses::SesProvider;

class SesPlugin final : public sdk::Plugin {
public:
    explicit SesPlugin(sdk::Host& host) : provider_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        try {
            sdk::ConfigKey key;
            key.key = std::string(tidings::ses::kOriginPatternKey);
            key.type = sdk::ConfigType::String;
            key.default_value = std::string(tidings::ses::kDefaultOriginPattern);
            key.description =
                "Regular expression that the origin (scheme://host[:port]) of an SNS SigningCertURL or "
                "SubscribeURL must match in full; the default allows AWS's regional SNS endpoints over https";
            if (auto st = registrar.declareConfig(key); !st) return st;
            return registrar.provideBounceProvider(provider_);
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("ses: ") + e.what());
        }
    }

    sdk::Status start() noexcept override {
        try {
            // Reference-counted in Poco and balanced in stop(); needed by OpenSSL builds older
            // than 1.1, which Poco still supports.
            Poco::Net::initializeSSL();
            ssl_initialised_ = true;
            Poco::Net::Context::Params params;
            params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
            params.loadDefaultCAs = true;
            params.cipherList = "HIGH:!aNULL:!MD5";
            // Created once: loading the CA store is too slow to repeat per request.
            Poco::Net::Context::Ptr tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
            return provider_.configure(tls);
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("ses: TLS initialisation failed: ") + e.what());
        }
    }

    void stop() noexcept override {
        if (!ssl_initialised_) return;
        try {
            Poco::Net::uninitializeSSL();
        } catch (...) {
        }
        ssl_initialised_ = false;
    }

private:
    SesProvider provider_;
    bool ssl_initialised_ = false;
};

}  // namespace

TIDINGS_PLUGIN(SesPlugin, "bounce", "bounce-ses", "1.0.0",
               "Amazon SES bounces and complaints through SNS (signature-verified)")
