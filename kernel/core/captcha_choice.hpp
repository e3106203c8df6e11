// Which CAPTCHA the public subscription endpoints ask for, decided in one place so that the
// check, the subscription form page and GET /api/config always say the same thing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tidings/sdk/v1/captcha.hpp>

#include "kernel/core/settings_service.hpp"
#include "kernel/plugins/capability_registry.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

struct CaptchaChoice {
    sdk::CaptchaProvider* provider = nullptr;  ///< The provider in force; nullptr when none is.
    std::string site_key;                      ///< hCaptcha: the public key its widget needs.
    std::int64_t complexity = 0;               ///< Altcha: the challenge's maxNumber.

    std::string_view name() const { return provider ? provider->name() : std::string_view(); }
};

/// The enabled provider among the loaded CAPTCHA plugins, with what its widget needs from
/// `security.captcha`. Altcha wins when both are on, as in listmonk, so nobody is asked to solve
/// two puzzles. A provider switched on in the settings whose plugin is not loaded is not in
/// force: nothing would check its solutions, so nothing may claim it does.
CaptchaChoice chooseCaptcha(const CapabilityRegistry& registry, const SettingsService& settings);

}  // namespace tidings::kernel
