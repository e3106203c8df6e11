// Runtime settings as bounce providers read them. The host hands out each `bounce.*` setting
// as JSON text: a bare value (`bounce.ses_enabled` -> `true`) or an object (`bounce.postmark` ->
// `{"enabled": ..., "username": ..., "password": ...}`). Providers read them on every request so
// that a change through PUT /api/settings applies at once.
#pragma once

#include <string>
#include <string_view>

#include <Poco/Dynamic/Var.h>

#include <tidings/sdk/v1/host.hpp>

namespace tidings::bounce_support {

namespace sdk = ::tidings::sdk::v1;

/// One setting's current value. A missing or unparsable setting reads as off and empty: a
/// damaged value must switch a provider off, never open it up.
class SettingView {
public:
    /// Reads `key` from the host now. Never throws.
    static SettingView read(const sdk::Host& host, std::string_view key) noexcept;

    /// The value (empty `field`) or the object member `field`, when it is the JSON boolean true.
    bool flag(std::string_view field = {}) const noexcept;

    /// The value or member `field` when it is a JSON string, else "".
    std::string text(std::string_view field = {}) const noexcept;

private:
    Poco::Dynamic::Var at(std::string_view field) const noexcept;

    Poco::Dynamic::Var value_;
};

}  // namespace tidings::bounce_support
