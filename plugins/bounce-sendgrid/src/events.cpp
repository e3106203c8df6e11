#include "events.hpp"

#include <array>

#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/json_fields.hpp>
#include <tidings/bounce_support/timestamps.hpp>

namespace tidings::sendgrid {
namespace {

namespace support = ::tidings::bounce_support;
using sdk::BounceType;

// Custom arguments arrive as top-level event fields. Header-style names are what Tidings sets;
// SendGrid's SMTP API strips dashes on some paths, and listmonk's name is kept for old mail.
constexpr std::array<std::string_view, 4> kCampaignArgs = {"X-Tidings-Campaign", "XTidingsCampaign",
                                                           "X-Listmonk-Campaign", "XListmonkCampaign"};

bool contains(std::string_view haystack, std::string_view needle) {
    return support::lowerAscii(haystack).find(needle) != std::string::npos;
}

// nullopt: the event is not a bounce we record.
std::optional<BounceType> classify(const Poco::JSON::Object& event) {
    const std::string name = support::stringMember(event, "event").value_or("");
    const std::string type = support::stringMember(event, "type").value_or("");
    if (name == "spamreport") return BounceType::Complaint;
    // A block is the receiving server refusing this message now (reputation, content, rate),
    // which says nothing final about the address.
    if (name == "blocked" || (name == "bounce" && type == "blocked")) return BounceType::Soft;
    if (name == "bounce") {
        const std::string cls = support::lowerAscii(support::stringMember(event, "bounce_classification").value_or(""));
        return cls == "technical" || cls == "content" ? BounceType::Soft : BounceType::Hard;
    }
    if (name == "dropped") {
        // SendGrid drops mail to addresses on its suppression lists. The reason says which.
        const std::string reason = support::stringMember(event, "reason").value_or("");
        if (contains(reason, "unsubscribed")) return std::nullopt;  // a choice, not a failure
        if (contains(reason, "spam report")) return BounceType::Complaint;
        return BounceType::Hard;
    }
    return std::nullopt;
}

}  // namespace

sdk::Status parseEvents(std::string_view body, std::vector<sdk::BounceEvent>& out) {
    out.clear();
    const auto events = support::parseArray(body);
    if (!events) return sdk::Status::invalid("body: must be a JSON array of events");
    std::vector<sdk::BounceEvent> parsed;
    for (std::size_t i = 0; i < events->size(); ++i) {
        const std::string where = "events[" + std::to_string(i) + "]";
        const auto event = events->getObject(static_cast<unsigned>(i));
        if (!event) return sdk::Status::invalid(where + ": must be an object");
        const auto type = classify(*event);
        if (!type) continue;

        sdk::BounceEvent bounce;
        bounce.type = *type;
        bounce.source = "sendgrid";
        const auto email = support::stringMember(*event, "email");
        if (!email || email->empty()) return sdk::Status::invalid(where + ".email: missing");
        bounce.email = *email;
        bounce.campaign_uuid = support::firstStringMemberNoCase(*event, kCampaignArgs).value_or("");
        if (event->has("timestamp")) {
            const auto ts = support::integerMember(*event, "timestamp");
            if (!ts) return sdk::Status::invalid(where + ".timestamp: must be Unix seconds");
            bounce.created_at = support::fromUnixSeconds(*ts);
        }
        bounce.meta_json = support::stringify(event);
        parsed.push_back(std::move(bounce));
    }
    out = std::move(parsed);
    return {};
}

}  // namespace tidings::sendgrid
