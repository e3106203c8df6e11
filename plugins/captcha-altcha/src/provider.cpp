#include "provider.hpp"

#include "crypto.hpp"
#include "protocol.hpp"
#include "settings.hpp"

namespace tidings::altcha {
namespace {

constexpr std::string_view kKeyState = "altcha:hmac_key";
constexpr std::string_view kUsedPrefix = "altcha:used:";
// 32 random bytes. The key is used as its hex text, exactly as altcha-lib and altcha-lib-go use
// a string key (UTF-8 bytes of the string), so an operator or a test holding the key can sign
// and verify with the stock libraries.
constexpr std::size_t kKeyBytes = 32;
// A shorter stored key can only come from outside this plugin; refuse to sign with it.
constexpr std::size_t kMinKeyLength = 32;

std::int64_t nowUnix() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

bool AltchaProvider::enabled() const noexcept {
    return parseSettings(host_.setting("security.captcha")).enabled;
}

std::string AltchaProvider::key() const {
    std::lock_guard lock(mutex_);
    return key_;
}

sdk::Status AltchaProvider::loadKey() noexcept {
    try {
        auto candidate = randomHex(kKeyBytes);
        if (!candidate) return sdk::Status::internal("altcha: random generator failed");

        // Every process proposes a key; the state store keeps the first, so all agree on it.
        bool inserted = false;
        if (auto st = host_.insertStateIfAbsent(kKeyState, *candidate, std::chrono::seconds{0}, inserted); !st)
            return sdk::Status(st.code(), "altcha: cannot create the HMAC key: " + st.message());

        std::optional<std::string> stored;
        if (auto st = host_.getState(kKeyState, stored); !st)
            return sdk::Status(st.code(), "altcha: cannot read the HMAC key: " + st.message());
        if (!stored || stored->size() < kMinKeyLength)
            return sdk::Status::internal("altcha: the stored HMAC key is missing or too short");

        {
            std::lock_guard lock(mutex_);
            key_ = std::move(*stored);
        }
        host_.log(sdk::LogLevel::Info, inserted ? "altcha: created a new HMAC key"
                                                : "altcha: using the shared HMAC key");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("altcha: ") + e.what());
    }
}

void AltchaProvider::handleChallenge(const sdk::Request&, sdk::Response& response) noexcept {
    try {
        const AltchaSettings settings = parseSettings(host_.setting("security.captcha"));
        if (!settings.enabled) {
            response.json(404, R"({"message":"altcha is not enabled"})");
            return;
        }
        const std::string k = key();
        if (k.empty()) {  // start() failed or has not run: serving unsigned challenges is pointless
            response.json(503, R"({"message":"altcha is not ready"})");
            return;
        }
        auto challenge = createChallenge(k, settings.complexity, nowUnix() + kChallengeLifetime.count());
        if (!challenge) {
            host_.log(sdk::LogLevel::Error, "altcha: random generator failed");
            response.json(500, R"({"message":"could not create a challenge"})");
            return;
        }
        response.json(200, challengeJson(*challenge));
        // Each challenge may be used once; a cached one would be refused as a replay.
        response.headers.emplace_back("Cache-Control", "no-store");
    } catch (...) {
        response.json(500, R"({"message":"could not create a challenge"})");
    }
}

sdk::Status AltchaProvider::verify(std::string_view solution, std::string_view) noexcept {
    try {
        if (solution.empty()) return sdk::Status::forbidden("captcha: solution missing");
        const auto payload = decodePayload(solution);
        if (!payload) return sdk::Status::forbidden("captcha: malformed solution");

        const std::string k = key();
        if (k.empty()) return sdk::Status::unavailable("captcha: altcha is not ready");

        // Recompute both hashes before looking at the expiry, so that "expired" is only ever
        // said about a challenge this server really issued.
        const Challenge expected = signChallenge(k, payload->salt, payload->number, 0);
        const bool valid = payload->algorithm == kAlgorithm &&
                           constantTimeEquals(expected.challenge, payload->challenge) &&
                           constantTimeEquals(expected.signature, payload->signature);
        if (!valid) return sdk::Status::forbidden("captcha: invalid solution");

        // Every challenge we issue carries an expiry; one without cannot be ours.
        const auto expires = saltExpires(payload->salt);
        if (!expires) return sdk::Status::forbidden("captcha: invalid solution");
        const std::int64_t now = nowUnix();
        if (*expires <= now) return sdk::Status::forbidden("captcha: challenge expired");

        // Mark the challenge used for as long as it could still be accepted, atomically across
        // processes: whoever inserts first wins, everyone else sees a replay.
        bool inserted = false;
        const std::chrono::seconds ttl{*expires - now + 1};
        std::string used_key(kUsedPrefix);
        used_key += payload->challenge;
        if (auto st = host_.insertStateIfAbsent(used_key, "1", ttl, inserted); !st) {
            host_.log(sdk::LogLevel::Error, "altcha: replay check failed: " + st.message());
            return sdk::Status::unavailable("captcha: verification service unreachable");
        }
        if (!inserted) return sdk::Status::forbidden("captcha: solution already used");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("altcha: ") + e.what());
    } catch (...) {
        return sdk::Status::internal("altcha: unexpected failure");
    }
}

}  // namespace tidings::altcha
