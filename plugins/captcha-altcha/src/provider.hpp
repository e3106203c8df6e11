// The Altcha CAPTCHA provider: issues challenges on the public route and verifies solutions.
//
// State that must be shared by every kernel on the same database lives in the host's state
// store, never in this object: the HMAC key (created once, kept forever) and the set of used
// challenges (each kept until its challenge expires), so a solution accepted by one process is
// refused by all others.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include <tidings/sdk/v1/captcha.hpp>
#include <tidings/sdk/v1/host.hpp>
#include <tidings/sdk/v1/http.hpp>

namespace tidings::altcha {

namespace sdk = ::tidings::sdk::v1;

/// How long a challenge stays solvable, as in listmonk.
inline constexpr std::chrono::seconds kChallengeLifetime{300};

class AltchaProvider final : public sdk::CaptchaProvider {
public:
    explicit AltchaProvider(sdk::Host& host) : host_(host) {}

    std::string_view name() const noexcept override { return "altcha"; }
    std::string_view field() const noexcept override { return "altcha"; }
    bool enabled() const noexcept override;
    sdk::Status verify(std::string_view solution, std::string_view remote_address) noexcept override;

    /// Creates the shared HMAC key if no process has yet, then loads whichever key won. Called
    /// from the plugin's start(), once the state store is available.
    sdk::Status loadKey() noexcept;

    /// GET /api/public/captcha/altcha.
    void handleChallenge(const sdk::Request& request, sdk::Response& response) noexcept;

private:
    std::string key() const;

    sdk::Host& host_;
    mutable std::mutex mutex_;  // guards key_: written in start(), read on worker threads
    std::string key_;
};

}  // namespace tidings::altcha
