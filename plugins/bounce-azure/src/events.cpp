#include "events.hpp"

#include <regex>
#include <utility>

#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/json_fields.hpp>
#include <tidings/bounce_support/timestamps.hpp>

namespace tidings::azure {
namespace {

namespace support = ::tidings::bounce_support;
using sdk::BounceType;

bool mentions(const std::string& text, std::initializer_list<std::string_view> words) {
    for (const std::string_view word : words) {
        if (text.find(word) != std::string::npos) return true;
    }
    return false;
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

// Azure has spelt the attempt time both ways in its event schema.
std::optional<std::string> attemptTime(const Poco::JSON::Object& data) {
    if (auto at = support::stringMember(data, "deliveryAttemptTimestamp")) return at;
    return support::stringMember(data, "deliveryAttemptTimeStamp");
}

}  // namespace

std::optional<BounceType> classify(std::string_view status, std::string_view details) {
    const std::string s = support::lowerAscii(trimmed(status));
    const std::string d = support::lowerAscii(trimmed(details));
    if (s == "bounced" || s == "suppressed") return BounceType::Hard;
    if (s == "failed") {
        // An enhanced status code (RFC 3463) in the relay's answer says what kind of failure it was.
        static const std::regex kEnhancedCode(R"(\b([245])\.\d\.\d\b)");
        std::smatch match;
        if (std::regex_search(d, match, kEnhancedCode)) {
            if (match[1] == "5") return BounceType::Hard;
            if (match[1] == "4") return BounceType::Soft;
        }
        if (mentions(d, {"mailbox full", "temporar", "timeout", "rate limit", "throttle"})) return BounceType::Soft;
        if (mentions(d, {"invalid", "does not exist", "unknown user", "domain"})) return BounceType::Hard;
        // Unsure: a soft bounce costs a retry, a wrong hard one costs a subscriber.
        return BounceType::Soft;
    }
    if (s == "filteredspam" || s == "quarantined") {
        if (mentions(d, {"complaint", "abuse"})) return BounceType::Complaint;
        return BounceType::Soft;
    }
    return std::nullopt;
}

sdk::Status parseValidation(std::string_view body, std::string& code) {
    const auto array = support::parseArray(body);
    if (!array) return sdk::Status::invalid("body: must be a JSON array of Event Grid events");
    if (array->size() == 0) return sdk::Status::invalid("body: no events");
    const auto event = array->getObject(0);
    if (!event) return sdk::Status::invalid("[0]: must be an object");
    const auto data = event->getObject("data");
    if (!data) return sdk::Status::invalid("[0].data: must be an object");
    code = trimmed(support::stringMember(*data, "validationCode").value_or(""));
    if (code.empty()) return sdk::Status::invalid("[0].data.validationCode: missing");
    return {};
}

sdk::Status parseNotification(std::string_view body, ParsedBatch& out) {
    out = ParsedBatch{};
    const auto array = support::parseArray(body);
    if (!array) return sdk::Status::invalid("body: must be a JSON array of Event Grid events");

    ParsedBatch batch;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string at = "[" + std::to_string(i) + "]";
        const auto event = array->getObject(static_cast<unsigned>(i));
        if (!event) return sdk::Status::invalid(at + ": must be an object");
        if (support::stringMember(*event, "eventType").value_or("") != kDeliveryReport) continue;

        const auto data = event->getObject("data");
        if (!data) return sdk::Status::invalid(at + ".data: must be an object");
        const auto status = support::stringMember(*data, "status");
        if (!status) return sdk::Status::invalid(at + ".data.status: missing");
        std::string details;
        if (const auto detail_object = data->getObject("deliveryStatusDetails"))
            details = support::stringMember(*detail_object, "statusMessage").value_or("");
        const auto type = classify(*status, details);
        if (!type) continue;

        sdk::BounceEvent bounce;
        bounce.type = *type;
        bounce.source = "azure";
        bounce.email = support::lowerAscii(trimmed(support::stringMember(*data, "recipient").value_or("")));
        if (bounce.email.empty()) return sdk::Status::invalid(at + ".data.recipient: missing");
        const auto id = support::stringMember(*event, "id");
        if (!id || id->empty()) return sdk::Status::invalid(at + ".id: missing");
        // Required: without it a captured request could be replayed for ever.
        const auto event_time = support::parseRfc3339(support::stringMember(*event, "eventTime").value_or(""));
        if (!event_time) return sdk::Status::invalid(at + ".eventTime: must be an RFC 3339 timestamp");
        if (const auto attempt = attemptTime(*data)) {
            bounce.created_at = support::parseRfc3339(*attempt);
            if (!bounce.created_at)
                return sdk::Status::invalid(at + ".data.deliveryAttemptTimestamp: must be an RFC 3339 timestamp");
        } else {
            bounce.created_at = event_time;
        }
        // Delivery reports carry no message headers, so there is no campaign to read.
        bounce.meta_json = support::stringify(Poco::Dynamic::Var(event));

        if (!batch.delivery_id.empty()) batch.delivery_id += '\n';
        batch.delivery_id += *id;
        batch.events.push_back(std::move(bounce));
        batch.event_times.push_back(*event_time);
    }
    out = std::move(batch);
    return {};
}

}  // namespace tidings::azure
