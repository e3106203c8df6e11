#include "provider.hpp"

#include <chrono>

#include <tidings/bounce_support/crypto.hpp>
#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/replay_guard.hpp>
#include <tidings/bounce_support/settings.hpp>
#include <tidings/bounce_support/timestamps.hpp>

#include "payload.hpp"

namespace tidings::forwardemail {
namespace {

namespace support = ::tidings::bounce_support;

// Bounces older than this are refused, and signatures are remembered this long: together they
// make a captured request useless once it has been delivered. Three days covers the sender's
// retries after an outage on our side.
constexpr std::chrono::hours kMaxAge{72};
// Clocks drift; a bounce a few minutes "in the future" is still genuine.
constexpr std::chrono::minutes kClockSkew{5};

}  // namespace

sdk::Status ForwardEmailProvider::handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                                         sdk::Response& response) noexcept {
    try {
        const auto settings = support::SettingView::read(host_, "bounce.forwardemail");
        if (!settings.flag("enabled"))
            return sdk::Status::notFound("forwardemail: provider is disabled (bounce.forwardemail.enabled)");
        const std::string key = settings.text("key");
        if (key.empty()) {
            host_.log(sdk::LogLevel::Error, "bounce.forwardemail has no key: every request is refused");
            return sdk::Status::forbidden("forwardemail: webhook key is not configured");
        }

        const auto header = request.header("x-webhook-signature");
        if (!header || header->empty()) return sdk::Status::forbidden("forwardemail: X-Webhook-Signature missing");
        const auto given = support::fromHex(*header);
        if (!given || !support::constantTimeEquals(*given, support::hmacSha256(key, request.body)))
            return sdk::Status::forbidden("forwardemail: signature does not match");

        sdk::BounceEvent event;
        if (auto st = parseBounce(request.body, event); !st) return st;
        const auto now = support::now();
        if (*event.created_at < now - kMaxAge || *event.created_at > now + kClockSkew)
            return sdk::Status::forbidden("forwardemail: bounced_at is outside the accepted window (replay?)");
        if (auto st = support::claimOnce(host_, "forwardemail-signature", *given, kMaxAge + kClockSkew); !st)
            return st;

        events.push_back(std::move(event));
        response.json(200, R"({"data":true})");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("forwardemail: ") + e.what());
    }
}

}  // namespace tidings::forwardemail
