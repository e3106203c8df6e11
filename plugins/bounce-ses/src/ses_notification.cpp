#include "ses_notification.hpp"

#include <tidings/bounce_support/json_fields.hpp>
#include <tidings/bounce_support/timestamps.hpp>

namespace tidings::ses {
namespace {

namespace support = ::tidings::bounce_support;
using Poco::JSON::Array;
using Poco::JSON::Object;

// The campaign header from `mail.headers` ([{name, value}, ...]). When SES truncated the
// headers, the list may be missing ours or hold a cut value: better no campaign than a wrong one.
std::string campaignOf(const Object& mail) {
    if (support::trueMember(mail, "headersTruncated")) return {};
    const auto headers = mail.getArray("headers");
    if (!headers) return {};
    Object by_name;
    for (std::size_t i = 0; i < headers->size(); ++i) {
        const auto header = headers->getObject(static_cast<unsigned>(i));
        if (!header) continue;
        const auto name = support::stringMember(*header, "name");
        const auto value = support::stringMember(*header, "value");
        if (name && value && !by_name.has(*name)) by_name.set(*name, *value);
    }
    return support::firstStringMemberNoCase(by_name, support::kCampaignHeaders).value_or("");
}

// Addresses from `recipients` ([{emailAddress}, ...]), else from `mail.destination`.
std::vector<std::string> recipientsOf(const Array::Ptr& recipients, const Object& mail) {
    std::vector<std::string> out;
    if (recipients) {
        for (std::size_t i = 0; i < recipients->size(); ++i) {
            const auto r = recipients->getObject(static_cast<unsigned>(i));
            if (!r) continue;
            if (auto email = support::stringMember(*r, "emailAddress"); email && !email->empty())
                out.push_back(std::move(*email));
        }
    }
    if (!out.empty()) return out;
    if (const auto destination = mail.getArray("destination")) {
        for (std::size_t i = 0; i < destination->size(); ++i) {
            const Poco::Dynamic::Var v = destination->get(static_cast<unsigned>(i));
            if (v.isString() && !v.extract<std::string>().empty()) out.push_back(v.extract<std::string>());
        }
    }
    return out;
}

}  // namespace

sdk::Status parseSesNotification(std::string_view message, std::vector<sdk::BounceEvent>& out) {
    out.clear();
    const auto root = support::parseObject(message);
    if (!root) return sdk::Status::invalid("Message: must be a JSON SES notification");
    // Notifications through SES's own topics say notificationType; configuration-set event
    // destinations say eventType. Either names the kind.
    std::string kind = support::stringMember(*root, "notificationType").value_or("");
    if (kind.empty()) kind = support::stringMember(*root, "eventType").value_or("");
    if (kind != "Bounce" && kind != "Complaint") return {};

    const auto mail = root->getObject("mail");
    if (!mail) return sdk::Status::invalid("Message.mail: missing");

    sdk::BounceType type = sdk::BounceType::Complaint;
    Object::Ptr detail;
    Array::Ptr recipients;
    if (kind == "Bounce") {
        detail = root->getObject("bounce");
        if (!detail) return sdk::Status::invalid("Message.bounce: missing");
        // Permanent: the address does not exist or refuses us for good. Transient (mailbox
        // full, message too large) and Undetermined may pass another time.
        const std::string bounce_type = support::stringMember(*detail, "bounceType").value_or("");
        if (bounce_type.empty()) return sdk::Status::invalid("Message.bounce.bounceType: missing");
        type = bounce_type == "Permanent" ? sdk::BounceType::Hard : sdk::BounceType::Soft;
        recipients = detail->getArray("bouncedRecipients");
    } else {
        detail = root->getObject("complaint");
        if (!detail) return sdk::Status::invalid("Message.complaint: missing");
        recipients = detail->getArray("complainedRecipients");
    }

    const std::vector<std::string> emails = recipientsOf(recipients, *mail);
    if (emails.empty()) return sdk::Status::invalid("Message: no recipient address");

    std::optional<sdk::Timestamp> at;
    auto at_text = support::stringMember(*detail, "timestamp");
    if (!at_text) at_text = support::stringMember(*mail, "timestamp");
    if (at_text) {
        at = support::parseRfc3339(*at_text);
        if (!at) return sdk::Status::invalid("Message: timestamp must be RFC 3339");
    }

    const std::string campaign = campaignOf(*mail);
    std::vector<sdk::BounceEvent> events;
    for (const auto& email : emails) {
        sdk::BounceEvent e;
        e.email = email;
        e.campaign_uuid = campaign;
        e.type = type;
        e.source = "ses";
        e.meta_json = std::string(message);
        e.created_at = at;
        events.push_back(std::move(e));
    }
    out = std::move(events);
    return {};
}

}  // namespace tidings::ses
