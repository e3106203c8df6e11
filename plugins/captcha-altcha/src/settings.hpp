// Reads listmonk's `security.captcha` runtime setting:
//   {"altcha": {"enabled": bool, "complexity": n}, "hcaptcha": {...}}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tidings::altcha {

/// listmonk's default complexity (the largest secret number).
inline constexpr std::uint64_t kDefaultComplexity = 300000;
/// Keeps `maxnumber` an exact integer in JavaScript and the client's work bounded.
inline constexpr std::uint64_t kMaxComplexity = 1'000'000'000;

struct AltchaSettings {
    bool enabled = false;
    std::uint64_t complexity = kDefaultComplexity;
};

/// Parses the JSON text of `security.captcha`. Unknown keys are ignored; a missing, malformed or
/// non-object value means "disabled" (failing closed would lock every form; failing open is what
/// an operator who never configured a CAPTCHA expects). A missing or out-of-range complexity
/// falls back to the default or is clamped.
AltchaSettings parseSettings(const std::optional<std::string>& captcha_json) noexcept;

}  // namespace tidings::altcha
