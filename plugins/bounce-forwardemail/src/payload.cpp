#include "payload.hpp"

#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/json_fields.hpp>
#include <tidings/bounce_support/timestamps.hpp>

namespace tidings::forwardemail {
namespace {

namespace support = ::tidings::bounce_support;

// `headers` is an object of name -> value in Forward Email's payloads; a list of {name, value}
// (or {key, value}) pairs is accepted too, as header lists are often serialised that way.
std::string campaignFromHeaders(const Poco::JSON::Object& bounce) {
    if (const auto object = bounce.getObject("headers"))
        return support::firstStringMemberNoCase(*object, support::kCampaignHeaders).value_or("");
    const auto list = bounce.getArray("headers");
    if (!list) return {};
    for (const std::string_view wanted : support::kCampaignHeaders) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto pair = list->getObject(static_cast<unsigned>(i));
            if (!pair) continue;
            const auto name = support::stringMember(*pair, "name").value_or(support::stringMember(*pair, "key").value_or(""));
            const auto value = support::stringMember(*pair, "value");
            if (value && !value->empty() && support::lowerAscii(name) == support::lowerAscii(wanted)) return *value;
        }
    }
    return {};
}

}  // namespace

sdk::BounceType classify(std::string_view category) {
    const std::string c = support::lowerAscii(category);
    if (c == "block" || c == "recipient" || c == "virus" || c == "spam") return sdk::BounceType::Hard;
    return sdk::BounceType::Soft;
}

sdk::Status parseBounce(std::string_view body, sdk::BounceEvent& out) {
    const auto root = support::parseObject(body);
    if (!root) return sdk::Status::invalid("body: must be a JSON object");

    sdk::BounceEvent event;
    event.source = "forwardemail";
    const auto recipient = support::stringMember(*root, "recipient");
    if (!recipient || recipient->empty()) return sdk::Status::invalid("recipient: missing");
    event.email = *recipient;

    const auto bounce = root->getObject("bounce");
    if (!bounce) return sdk::Status::invalid("bounce: must be an object");
    event.type = classify(support::stringMember(*bounce, "category").value_or(""));
    event.campaign_uuid = campaignFromHeaders(*root);

    // Required: the freshness check in the provider depends on it.
    const auto at = support::stringMember(*root, "bounced_at");
    if (!at) return sdk::Status::invalid("bounced_at: missing");
    event.created_at = support::parseRfc3339(*at);
    if (!event.created_at) return sdk::Status::invalid("bounced_at: must be an RFC 3339 timestamp");

    event.meta_json = std::string(body);
    out = std::move(event);
    return {};
}

}  // namespace tidings::forwardemail
