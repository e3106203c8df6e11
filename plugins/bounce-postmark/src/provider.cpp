#include "provider.hpp"

#include <chrono>

#include <tidings/bounce_support/replay_guard.hpp>
#include <tidings/bounce_support/settings.hpp>

#include "basic_auth.hpp"
#include "payload.hpp"

namespace tidings::postmark {
namespace {

namespace support = ::tidings::bounce_support;

// Postmark retries a failed delivery for about a day; a record ID seen within two days is a
// replay, not a retry of something we never recorded.
constexpr std::chrono::seconds kReplayWindow = std::chrono::hours(48);

}  // namespace

sdk::Status PostmarkProvider::authenticate(const sdk::Request& request) const {
    const auto settings = support::SettingView::read(host_, "bounce.postmark");
    const std::string username = settings.text("username");
    const std::string password = settings.text("password");
    if (username.empty() || password.empty()) {
        // Without credentials anyone could post bounces and get subscribers blocklisted.
        host_.log(sdk::LogLevel::Error, "bounce.postmark has no username or password: every request is refused");
        return sdk::Status::forbidden("postmark: webhook credentials are not configured");
    }
    const auto given = parseBasicAuth(request.header("authorization"));
    if (!given) return sdk::Status::forbidden("postmark: Basic credentials required");
    if (!credentialsMatch(*given, username, password)) return sdk::Status::forbidden("postmark: wrong credentials");
    return {};
}

sdk::Status PostmarkProvider::handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                                     sdk::Response& response) noexcept {
    try {
        if (!support::SettingView::read(host_, "bounce.postmark").flag("enabled"))
            return sdk::Status::notFound("postmark: provider is disabled (bounce.postmark.enabled)");
        if (auto st = authenticate(request); !st) return st;

        ParsedRecord record;
        if (auto st = parseRecord(request.body, record); !st) return st;
        if (record.event) {
            if (auto st = support::claimOnce(host_, "postmark-record", record.delivery_id, kReplayWindow); !st)
                return st;
            events.push_back(std::move(*record.event));
        }
        response.json(200, R"({"data":true})");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("postmark: ") + e.what());
    }
}

}  // namespace tidings::postmark
