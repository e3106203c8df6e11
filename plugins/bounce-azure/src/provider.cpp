#include "provider.hpp"

#include <chrono>

#include <Poco/JSON/Object.h>

#include <tidings/bounce_support/crypto.hpp>
#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/json_fields.hpp>
#include <tidings/bounce_support/replay_guard.hpp>
#include <tidings/bounce_support/settings.hpp>
#include <tidings/bounce_support/timestamps.hpp>

#include "events.hpp"

namespace tidings::azure {
namespace {

namespace support = ::tidings::bounce_support;

// Event Grid retries a delivery for at most 24 hours. Events older than twice that are refused,
// and batches are remembered that long: a captured request is useless once delivered.
constexpr std::chrono::hours kMaxAge{48};
// Clocks drift; an event a few minutes "in the future" is still genuine.
constexpr std::chrono::minutes kClockSkew{5};

constexpr std::string_view kDefaultSecretHeader = "x-listmonk-webhook-secret";

bool secretMatches(std::string_view expected, std::optional<std::string_view> given) {
    if (!given || given->empty()) return false;
    // Digests keep the comparison's time independent of where and whether the lengths differ.
    return support::constantTimeEquals(support::sha256(expected), support::sha256(*given));
}

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

sdk::Status AzureProvider::authenticate(const sdk::Request& request) const {
    const auto settings = support::SettingView::read(host_, "bounce.azure");
    const std::string secret(trimmed(settings.text("shared_secret")));
    if (secret.empty()) {
        // Without a secret anyone could post delivery reports and get subscribers blocklisted.
        host_.log(sdk::LogLevel::Error, "bounce.azure has no shared_secret: every request is refused");
        return sdk::Status::forbidden("azure: webhook shared secret is not configured");
    }
    std::string header(trimmed(settings.text("shared_secret_header")));
    header = header.empty() ? std::string(kDefaultSecretHeader) : support::lowerAscii(header);

    std::optional<std::string_view> from_query = request.queryValue("code");
    std::optional<std::string_view> from_header = request.header(header);
    if (from_query) from_query = trimmed(*from_query);
    if (from_header) from_header = trimmed(*from_header);
    // Both are checked whatever the first says, so timing does not tell which one was tried.
    const bool query_ok = secretMatches(secret, from_query);
    const bool header_ok = secretMatches(secret, from_header);
    if (query_ok | header_ok) return {};
    if (!from_query && !from_header)
        return sdk::Status::forbidden("azure: shared secret required (query parameter 'code' or header " + header + ")");
    return sdk::Status::forbidden("azure: wrong shared secret");
}

sdk::Status AzureProvider::handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                                  sdk::Response& response) noexcept {
    try {
        if (!support::SettingView::read(host_, "bounce.azure").flag("enabled"))
            return sdk::Status::notFound("azure: provider is disabled (bounce.azure.enabled)");
        if (auto st = authenticate(request); !st) return st;

        const std::string kind(request.header("aeg-event-type").value_or(""));
        if (kind == "SubscriptionValidation" || kind == "SubscriptionValidationEvent") {
            std::string code;
            if (auto st = parseValidation(request.body, code); !st) return st;
            Poco::JSON::Object::Ptr answer = new Poco::JSON::Object;
            answer->set("validationResponse", code);
            response.json(200, support::stringify(Poco::Dynamic::Var(answer)));
            return {};
        }
        if (!kind.empty() && kind != "Notification")
            return sdk::Status::invalid("aeg-event-type: unknown Event Grid delivery type '" + kind + "'");

        ParsedBatch batch;
        if (auto st = parseNotification(request.body, batch); !st) return st;
        if (!batch.events.empty()) {
            const auto now = support::now();
            for (const auto& at : batch.event_times) {
                if (at < now - kMaxAge || at > now + kClockSkew)
                    return sdk::Status::forbidden("azure: eventTime is outside the accepted window (replay?)");
            }
            if (auto st = support::claimOnce(host_, "azure-events", batch.delivery_id, kMaxAge + kClockSkew); !st)
                return st;
            for (auto& event : batch.events) events.push_back(std::move(event));
        }
        response.json(200, R"({"data":true})");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("azure: ") + e.what());
    }
}

}  // namespace tidings::azure
