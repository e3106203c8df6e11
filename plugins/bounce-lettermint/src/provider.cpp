#include "provider.hpp"

#include <chrono>

#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/replay_guard.hpp>
#include <tidings/bounce_support/settings.hpp>
#include <tidings/bounce_support/timestamps.hpp>

#include "payload.hpp"
#include "signature.hpp"

namespace tidings::lettermint {
namespace {

namespace support = ::tidings::bounce_support;

// A signature's `t` may differ from our clock by this much either way; Lettermint re-signs each
// retry, so older ones are captures.
constexpr std::chrono::seconds kTolerance{300};
// Delivery ids are remembered this long, so a retry of something already recorded (our answer
// was lost) is not recorded twice.
constexpr std::chrono::hours kReplayWindow{48};

}  // namespace

sdk::Status LettermintProvider::handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                                       sdk::Response& response) noexcept {
    try {
        const auto settings = support::SettingView::read(host_, "bounce.lettermint");
        if (!settings.flag("enabled"))
            return sdk::Status::notFound("lettermint: provider is disabled (bounce.lettermint.enabled)");
        const std::string key = settings.text("key");
        if (key.empty()) {
            host_.log(sdk::LogLevel::Error, "bounce.lettermint has no key: every request is refused");
            return sdk::Status::forbidden("lettermint: webhook signing key is not configured");
        }

        const auto header = request.header("x-lettermint-signature");
        if (!header || header->empty()) return sdk::Status::forbidden("lettermint: X-Lettermint-Signature missing");
        const auto signature = parseSignatureHeader(*header);
        if (!signature)
            return sdk::Status::forbidden("lettermint: X-Lettermint-Signature must be t=<unix seconds>,v1=<hex>");
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(support::now().time_since_epoch()).count();
        if (signature->timestamp < now - kTolerance.count() || signature->timestamp > now + kTolerance.count())
            return sdk::Status::forbidden("lettermint: signature timestamp is outside the accepted window (replay?)");
        if (!signatureMatches(*signature, key, request.body))
            return sdk::Status::forbidden("lettermint: signature does not match");

        ParsedDelivery delivery;
        if (auto st = parseDelivery(request.body, delivery); !st) return st;
        if (delivery.event) {
            // Without an id, the signature (unique to this timestamp and body) stands in for it.
            const std::string id = delivery.delivery_id.empty() ? signature->digest : "id:" + delivery.delivery_id;
            if (auto st = support::claimOnce(host_, "lettermint-delivery", id, kReplayWindow); !st) return st;
            events.push_back(std::move(*delivery.event));
        }
        response.json(200, R"({"data":true})");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("lettermint: ") + e.what());
    }
}

}  // namespace tidings::lettermint
