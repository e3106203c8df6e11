// Tidings plugin SDK, version 1: the CAPTCHA capability (Altcha, hCaptcha, ...).
//
// When a CAPTCHA provider is registered and enabled, the kernel refuses public subscriptions
// that do not carry a solution the provider accepts. Providers are called on HTTP worker
// threads, concurrently.
#pragma once

#include <string>
#include <string_view>

#include "status.hpp"

namespace tidings::sdk::v1 {

class CaptchaProvider {
public:
    /// Stable name, e.g. "altcha" or "hcaptcha".
    virtual std::string_view name() const noexcept = 0;

    /// The form field / JSON key that carries the solution, e.g. "altcha" or
    /// "h-captcha-response".
    virtual std::string_view field() const noexcept = 0;

    /// Whether the provider is switched on by the current runtime settings. The kernel asks
    /// before every check, so toggling a setting applies at once.
    virtual bool enabled() const noexcept = 0;

    /// Checks a solution. Ok when accepted; Forbidden when wrong, expired or replayed (the
    /// message says which); Unavailable when the verifying service cannot be reached.
    virtual Status verify(std::string_view solution, std::string_view remote_address) noexcept = 0;

protected:
    ~CaptchaProvider() = default;
};

}  // namespace tidings::sdk::v1
