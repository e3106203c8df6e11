#include "payload.hpp"

#include <array>
#include <utility>

#include <tidings/bounce_support/json_fields.hpp>
#include <tidings/bounce_support/timestamps.hpp>

namespace tidings::postmark {
namespace {

namespace support = ::tidings::bounce_support;
using sdk::BounceType;

// Postmark's documented bounce types. Hard: the address will never accept mail. Soft: this
// message failed, a later one may pass. Blocked and Unknown are soft because Postmark cannot say
// the address is dead. The rest are not delivery failures at all.
constexpr std::array<std::pair<std::string_view, std::optional<BounceType>>, 22> kTypes{{
    {"HardBounce", BounceType::Hard},
    {"BadEmailAddress", BounceType::Hard},
    {"ManuallyDeactivated", BounceType::Hard},
    {"SoftBounce", BounceType::Soft},
    {"Transient", BounceType::Soft},
    {"DnsError", BounceType::Soft},
    {"SpamNotification", BounceType::Soft},
    {"VirusNotification", BounceType::Soft},
    {"DMARCPolicy", BounceType::Soft},
    {"Blocked", BounceType::Soft},
    {"Unknown", BounceType::Soft},
    {"SpamComplaint", BounceType::Complaint},
    {"Unsubscribe", std::nullopt},
    {"Subscribe", std::nullopt},
    {"AutoResponder", std::nullopt},
    {"AddressChange", std::nullopt},
    {"OpenRelayTest", std::nullopt},
    {"ChallengeVerification", std::nullopt},
    {"Unconfirmed", std::nullopt},
    {"SMTPApiError", std::nullopt},
    {"InboundError", std::nullopt},
    {"TemplateRenderingFailed", std::nullopt},
}};

}  // namespace

sdk::Status classify(std::string_view type, std::optional<sdk::BounceType>& out) {
    for (const auto& [name, mapped] : kTypes) {
        if (name == type) {
            out = mapped;
            return {};
        }
    }
    return sdk::Status::invalid("Type: unknown Postmark bounce type '" + std::string(type) + "'");
}

sdk::Status parseRecord(std::string_view body, ParsedRecord& out) {
    out = ParsedRecord{};
    const auto record = support::parseObject(body);
    if (!record) return sdk::Status::invalid("body: must be a JSON object");

    const auto record_type = support::stringMember(*record, "RecordType");
    if (!record_type) return sdk::Status::invalid("RecordType: missing");
    // Record IDs are numbers that may exceed 2^53; their text form is the identity.
    out.delivery_id = *record_type + ":" + (record->has("ID") ? support::stringify(record->get("ID")) : std::string(body));
    if (*record_type != "Bounce" && *record_type != "SpamComplaint") return {};

    const auto type = support::stringMember(*record, "Type");
    if (!type) return sdk::Status::invalid("Type: missing");
    std::optional<sdk::BounceType> mapped;
    if (auto st = classify(*type, mapped); !st) return st;
    // A complaint record is a complaint whatever its Type says.
    if (*record_type == "SpamComplaint") mapped = BounceType::Complaint;
    if (!mapped) return {};

    sdk::BounceEvent event;
    event.type = *mapped;
    event.source = "postmark";
    const auto email = support::stringMember(*record, "Email");
    if (!email || email->empty()) return sdk::Status::invalid("Email: missing");
    event.email = *email;
    if (const auto metadata = record->getObject("Metadata"))
        event.campaign_uuid = support::firstStringMemberNoCase(*metadata, support::kCampaignHeaders).value_or("");
    if (const auto at = support::stringMember(*record, "BouncedAt")) {
        event.created_at = support::parseRfc3339(*at);
        if (!event.created_at) return sdk::Status::invalid("BouncedAt: must be an RFC 3339 timestamp");
    }
    event.meta_json = std::string(body);
    out.event = std::move(event);
    return {};
}

}  // namespace tidings::postmark
