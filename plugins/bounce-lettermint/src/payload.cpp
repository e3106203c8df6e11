#include "payload.hpp"

#include <utility>

#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/json_fields.hpp>
#include <tidings/bounce_support/timestamps.hpp>

namespace tidings::lettermint {
namespace {

namespace support = ::tidings::bounce_support;

}  // namespace

std::optional<sdk::BounceType> classify(std::string_view event) {
    if (event == "message.hard_bounced") return sdk::BounceType::Hard;
    if (event == "message.soft_bounced") return sdk::BounceType::Soft;
    if (event == "message.spam_complaint") return sdk::BounceType::Complaint;
    return std::nullopt;
}

sdk::Status parseDelivery(std::string_view body, ParsedDelivery& out) {
    out = ParsedDelivery{};
    const auto root = support::parseObject(body);
    if (!root) return sdk::Status::invalid("body: must be a JSON object");

    const auto event_name = support::stringMember(*root, "event");
    if (!event_name) return sdk::Status::invalid("event: missing");
    ParsedDelivery parsed;
    parsed.delivery_id = support::stringMember(*root, "id").value_or("");
    const auto type = classify(*event_name);
    if (!type) {
        out = std::move(parsed);
        return {};
    }

    const auto data = root->getObject("data");
    if (!data) return sdk::Status::invalid("data: must be an object");
    sdk::BounceEvent event;
    event.type = *type;
    event.source = "lettermint";
    event.email = support::lowerAscii(support::stringMember(*data, "recipient").value_or(""));
    if (event.email.empty()) return sdk::Status::invalid("data.recipient: missing");
    if (const auto metadata = data->getObject("metadata"))
        event.campaign_uuid = support::firstStringMemberNoCase(*metadata, support::kCampaignHeaders).value_or("");
    if (const auto at = support::stringMember(*root, "timestamp")) {
        event.created_at = support::parseRfc3339(*at);
        if (!event.created_at) return sdk::Status::invalid("timestamp: must be an RFC 3339 timestamp");
    }
    event.meta_json = std::string(body);
    parsed.event = std::move(event);
    out = std::move(parsed);
    return {};
}

}  // namespace tidings::lettermint
