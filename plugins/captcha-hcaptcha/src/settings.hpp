// Reads the hCaptcha part of listmonk's `security.captcha` runtime setting:
//   {"altcha": {...}, "hcaptcha": {"enabled": bool, "key": "<site key>", "secret": "<secret>"}}
#pragma once

#include <optional>
#include <string>

namespace tidings::hcaptcha {

struct HcaptchaSettings {
    bool enabled = false;
    std::string key;     ///< The site key; sent as `sitekey` so hCaptcha checks the token's origin.
    std::string secret;  ///< The account secret; never logged.
};

/// Parses the JSON text of `security.captcha`. A missing, malformed or non-object value means
/// "disabled": an operator who never configured a CAPTCHA expects forms to keep working.
HcaptchaSettings parseSettings(const std::optional<std::string>& captcha_json) noexcept;

}  // namespace tidings::hcaptcha
