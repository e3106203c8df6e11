// captcha-hcaptcha: verifies h-captcha-response tokens against a siteverify endpoint. The
// switch, site key and secret are runtime settings (security.captcha.hcaptcha.*); only the
// endpoint URL is operator configuration.
#include <Poco/Net/SSLManager.h>

#include <tidings/sdk/v1/plugin.hpp>

#include "provider.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;
using tidings::hcaptcha::HcaptchaProvider;

class HcaptchaPlugin final : public sdk::Plugin {
public:
    explicit HcaptchaPlugin(sdk::Host& host) : provider_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        try {
            sdk::ConfigKey key;
            key.key = std::string(tidings::hcaptcha::kVerifyUrlKey);
            key.type = sdk::ConfigType::String;
            key.default_value = std::string(tidings::hcaptcha::kDefaultVerifyUrl);
            key.description = "hCaptcha siteverify endpoint (http or https) that checks h-captcha-response tokens";
            if (auto st = registrar.declareConfig(key); !st) return st;
            return registrar.provideCaptcha(provider_);
        } catch (const std::exception& e) {  // allocation failure: nothing else can throw here
            return sdk::Status::internal(std::string("hcaptcha: ") + e.what());
        }
    }

    sdk::Status start() noexcept override {
        try {
            // Reference-counted in Poco; balanced in stop(). Harmless with OpenSSL 3, which
            // initialises itself, but required by older OpenSSL builds Poco still supports.
            Poco::Net::initializeSSL();
            ssl_initialised_ = true;
            return {};
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("hcaptcha: TLS initialisation failed: ") + e.what());
        }
    }

    void stop() noexcept override {
        if (ssl_initialised_) {
            try {
                Poco::Net::uninitializeSSL();
            } catch (...) {
            }
            ssl_initialised_ = false;
        }
    }

private:
    HcaptchaProvider provider_;
    bool ssl_initialised_ = false;
};

}  // namespace

TIDINGS_PLUGIN(HcaptchaPlugin, "captcha", "captcha-hcaptcha", "1.0.0",
               "hCaptcha verification through the siteverify API")
