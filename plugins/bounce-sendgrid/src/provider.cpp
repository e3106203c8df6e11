#include "provider.hpp"

#include <chrono>

#include <tidings/bounce_support/replay_guard.hpp>
#include <tidings/bounce_support/settings.hpp>
#include <tidings/bounce_support/timestamps.hpp>

#include "events.hpp"
#include "signature.hpp"

namespace tidings::sendgrid {
namespace {

// SendGrid signs each POST when it sends it, so a genuine request is seconds old. Ten minutes
// absorbs clock drift on either side; signatures are remembered twice as long, which covers the
// whole window in both directions.
constexpr std::chrono::seconds kTolerance = std::chrono::minutes(10);

}  // namespace

sdk::Status SendgridProvider::verify(const sdk::Request& request, std::string& signature) const {
    const std::string key_text = support::SettingView::read(host_, "bounce.sendgrid_key").text();
    if (key_text.empty()) {
        host_.log(sdk::LogLevel::Error, "bounce.sendgrid_key is empty: every SendGrid request is refused");
        return sdk::Status::forbidden("sendgrid: verification key is not configured");
    }
    const support::PublicKey key = parseVerificationKey(key_text);
    if (!key) {
        host_.log(sdk::LogLevel::Error, "bounce.sendgrid_key is not a base64 DER EC public key");
        return sdk::Status::forbidden("sendgrid: verification key is not usable");
    }

    const auto sig = request.header("x-twilio-email-event-webhook-signature");
    const auto ts_text = request.header("x-twilio-email-event-webhook-timestamp");
    if (!sig || sig->empty() || !ts_text || ts_text->empty())
        return sdk::Status::forbidden("sendgrid: signature headers missing");
    const auto ts = support::parseInteger(*ts_text);
    if (!ts) return sdk::Status::invalid("X-Twilio-Email-Event-Webhook-Timestamp: must be Unix seconds");
    if (!signatureValid(*key, *sig, *ts_text, request.body))
        return sdk::Status::forbidden("sendgrid: signature does not match");

    // Checked after the signature so that only a genuine timestamp is called stale.
    const auto age = support::now() - support::fromUnixSeconds(*ts);
    if (age > kTolerance || age < -kTolerance)
        return sdk::Status::forbidden("sendgrid: timestamp outside the accepted window (replay?)");
    signature.assign(*sig);
    return {};
}

sdk::Status SendgridProvider::handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                                     sdk::Response& response) noexcept {
    try {
        if (!support::SettingView::read(host_, "bounce.sendgrid_enabled").flag())
            return sdk::Status::notFound("sendgrid: provider is disabled (bounce.sendgrid_enabled)");
        std::string signature;
        if (auto st = verify(request, signature); !st) return st;

        std::vector<sdk::BounceEvent> parsed;
        if (auto st = parseEvents(request.body, parsed); !st) return st;
        if (auto st = support::claimOnce(host_, "sendgrid-signature", signature, 2 * kTolerance); !st) return st;

        events = std::move(parsed);
        response.json(200, R"({"data":true})");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("sendgrid: ") + e.what());
    }
}

}  // namespace tidings::sendgrid
