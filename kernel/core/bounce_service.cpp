#include "kernel/core/bounce_service.hpp"

#include <regex>
#include <sstream>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Timestamp.h>

#include "kernel/core/email.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/sort_keys.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {
namespace {

sdk::BounceRule defaultRule(sdk::BounceType type) {
    switch (type) {
    case sdk::BounceType::Soft: return {2, sdk::BounceAction::None};
    case sdk::BounceType::Hard: return {1, sdk::BounceAction::Blocklist};
    case sdk::BounceType::Complaint: return {1, sdk::BounceAction::Blocklist};
    }
    return {1, sdk::BounceAction::None};
}

std::string stringField(const Poco::JSON::Object& o, const std::string& name) {
    if (!o.has(name) || o.isNull(name)) return {};
    const auto v = o.get(name);
    if (!v.isString()) invalid(name + ": must be a string");
    return v.extract<std::string>();
}

/// A UUID field of the webhook; empty when absent. A malformed one is refused rather than
/// looked up: it can match nothing, so accepting it would answer 200 and record nothing, or
/// record the bounce without its campaign.
std::string uuidField(const Poco::JSON::Object& o, const std::string& name) {
    const std::string text = stringField(o, name);
    if (!text.empty() && !isUuid(text)) invalid(name + ": must be a UUID");
    return text;
}

sdk::Timestamp parseTime(const std::string& text) {
    // Poco's parser is lenient (it takes "tomorrow" and fills in defaults), so the RFC 3339 shape
    // is checked first and Poco only does the arithmetic.
    static const std::regex kRfc3339(R"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))");
    Poco::DateTime dt;
    int tz = 0;
    const bool parsed = std::regex_match(text, kRfc3339) &&
                        (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, dt, tz) ||
                         Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, dt, tz));
    if (!parsed)
        invalid("created_at: must be an RFC 3339 timestamp");
    dt.makeUTC(tz);
    return sdk::Timestamp(std::chrono::microseconds(dt.timestamp().epochMicroseconds()));
}

std::string bouncePayload(const sdk::BounceEvent& e, const sdk::BounceOutcome& out) {
    JsonWriter w;
    w.beginObject().key("bounce").beginObject();
    w.key("id").value(out.bounce_id);
    w.key("subscriber_id").value(out.subscriber_id);
    w.key("email").value(e.email);
    w.key("subscriber_uuid").value(e.subscriber_uuid);
    w.key("campaign_uuid").value(e.campaign_uuid);
    w.key("type").value(sdk::toString(e.type));
    w.key("source").value(e.source);
    w.key("count").value(out.count);
    w.key("action").value(sdk::toString(out.applied));
    w.endObject().endObject();
    return w.take();
}

}  // namespace

BounceService::BounceService(sdk::Storage& storage, SettingsService& settings, EventBus& events)
    : storage_(storage), settings_(settings), events_(events) {}

bool BounceService::enabled() const { return settings_.flag("bounce.enabled"); }
bool BounceService::webhooksEnabled() const { return settings_.flag("bounce.webhooks_enabled"); }

sdk::BounceRule BounceService::rule(sdk::BounceType type) const {
    const sdk::BounceRule fallback = defaultRule(type);
    try {
        auto actions = Poco::JSON::Parser().parse(settings_.json("bounce.actions").value_or("{}"))
                           .extract<Poco::JSON::Object::Ptr>();
        auto entry = actions ? actions->getObject(std::string(sdk::toString(type))) : nullptr;
        if (!entry) return fallback;
        sdk::BounceRule r = fallback;
        if (entry->has("count")) r.count = entry->getValue<std::int32_t>("count");
        if (entry->has("action"))
            r.action = sdk::parseEnum<sdk::BounceAction>(entry->getValue<std::string>("action")).value_or(fallback.action);
        return r;
    } catch (const Poco::Exception&) {
        return fallback;  // settings are validated on write; a damaged value must not stop bounces
    }
}

sdk::BounceOutcome BounceService::record(sdk::BounceEvent event) {
    if (event.subscriber_uuid.empty()) {
        if (event.email.empty()) invalid("email: email or subscriber_uuid is required");
        event.email = normaliseEmail(event.email).value_or(event.email);
    }
    if (event.meta_json.empty()) event.meta_json = "{}";
    sdk::BounceOutcome out;
    check(storage_.bounces().record(event, rule(event.type), out));
    if (out.recorded) events_.publish(sdk::hooks::kBounceRecorded, bouncePayload(event, out));
    return out;
}

sdk::Status BounceService::recordFound(sdk::BounceEvent event, sdk::BounceOutcome& outcome) noexcept {
    try {
        if (!enabled()) return sdk::Status::unavailable("bounce processing is disabled (bounce.enabled)");
        outcome = record(std::move(event));
        return {};
    } catch (const StatusError& e) {
        return e.status();
    } catch (const std::exception& e) {
        return sdk::Status::internal(e.what());
    }
}

sdk::BounceEvent BounceService::parseWebhook(const std::string& body) {
    Poco::JSON::Object::Ptr o;
    try {
        o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
        invalid("body: must be a JSON object");
    }
    if (!o) invalid("body: must be a JSON object");
    sdk::BounceEvent e;
    e.email = stringField(*o, "email");
    e.subscriber_uuid = uuidField(*o, "subscriber_uuid");
    if (e.email.empty() && e.subscriber_uuid.empty()) invalid("email: email or subscriber_uuid is required");
    if (!e.email.empty() && e.subscriber_uuid.empty()) {
        auto normal = normaliseEmail(e.email);
        if (!normal) invalid("email: invalid e-mail address");
        e.email = *normal;
    }
    e.campaign_uuid = uuidField(*o, "campaign_uuid");
    const auto type = sdk::parseEnum<sdk::BounceType>(stringField(*o, "type"));
    if (!type) invalid("type: must be one of soft, hard, complaint");
    e.type = *type;
    e.source = stringField(*o, "source");
    if (e.source.empty()) e.source = "api";
    if (o->has("meta") && !o->isNull("meta")) {
        std::ostringstream meta;
        Poco::JSON::Stringifier::stringify(o->get("meta"), meta);
        e.meta_json = meta.str();
    }
    if (const auto at = stringField(*o, "created_at"); !at.empty()) e.created_at = parseTime(at);
    return e;
}

sdk::BouncePage BounceService::query(const sdk::BounceQuery& q) {
    sdk::BouncePage page;
    check(storage_.bounces().query(q, page));
    return page;
}

sdk::Bounce BounceService::get(sdk::Id id) {
    sdk::Bounce b;
    check(storage_.bounces().get(id, b));
    return b;
}

std::int64_t BounceService::remove(const std::vector<sdk::Id>& ids) {
    std::int64_t n = 0;
    check(storage_.bounces().remove(ids, n));
    return n;
}

std::int64_t BounceService::removeAll(std::optional<sdk::Id> subscriber_id) {
    std::int64_t n = 0;
    check(storage_.bounces().removeAll(subscriber_id, n));
    return n;
}

std::int64_t BounceService::blocklistBounced() {
    std::int64_t n = 0;
    check(storage_.bounces().blocklistBounced(n));
    return n;
}

std::string BounceService::orderColumn(const std::string& order_by) {
    return sortKey(order_by, {"email", "campaign_name", "source", "type", "created_at"}, "created_at");
}

}  // namespace tidings::kernel
