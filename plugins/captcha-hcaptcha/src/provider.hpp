// The hCaptcha CAPTCHA provider: forwards the widget's token to the siteverify endpoint.
#pragma once

#include <string_view>

#include <tidings/sdk/v1/captcha.hpp>
#include <tidings/sdk/v1/host.hpp>

namespace tidings::hcaptcha {

namespace sdk = ::tidings::sdk::v1;

/// The config key holding the siteverify URL (a local server in tests, a proxy in locked-down
/// networks) and its default.
inline constexpr std::string_view kVerifyUrlKey = "hcaptcha.verify_url";
inline constexpr std::string_view kDefaultVerifyUrl = "https://api.hcaptcha.com/siteverify";

class HcaptchaProvider final : public sdk::CaptchaProvider {
public:
    explicit HcaptchaProvider(sdk::Host& host) : host_(host) {}

    std::string_view name() const noexcept override { return "hcaptcha"; }
    std::string_view field() const noexcept override { return "h-captcha-response"; }
    bool enabled() const noexcept override;
    sdk::Status verify(std::string_view solution, std::string_view remote_address) noexcept override;

private:
    sdk::Host& host_;
};

}  // namespace tidings::hcaptcha
