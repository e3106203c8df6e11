#include "bounce_events.hpp"

#include <sstream>

#include <Poco/JSON/Object.h>

namespace tidings::mailbox {
namespace {

void putIfSet(Poco::JSON::Object& meta, const std::string& name, const std::string& value) {
    if (!value.empty()) meta.set(name, value);
}

}  // namespace

std::vector<sdk::BounceEvent> bounceEvents(const ParsedMessage& message, const std::string& source,
                                           const std::string& mailbox) {
    std::vector<sdk::BounceEvent> events;
    for (const auto& found : message.bounces) {
        sdk::BounceEvent event;
        event.email = found.email;
        event.subscriber_uuid = found.subscriber_uuid;
        event.campaign_uuid = found.campaign_uuid;
        event.type = found.type;
        event.source = source;
        event.created_at = message.date;

        Poco::JSON::Object meta;
        meta.set("mailbox", mailbox);
        putIfSet(meta, "from", message.from);
        putIfSet(meta, "subject", message.subject);
        putIfSet(meta, "message_id", message.message_id);
        putIfSet(meta, "recipient", found.email);
        putIfSet(meta, "action", found.action);
        putIfSet(meta, "status", found.status);
        putIfSet(meta, "diagnostic_code", found.diagnostic);
        putIfSet(meta, "classify_reason", found.reason);
        std::ostringstream json;
        meta.stringify(json);
        event.meta_json = json.str();
        events.push_back(std::move(event));
    }
    return events;
}

}  // namespace tidings::mailbox
