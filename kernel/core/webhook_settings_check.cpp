#include "kernel/core/webhook_settings_check.hpp"

#include <set>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include <tidings/sdk/v1/duration.hpp>
#include <tidings/sdk/v1/hooks.hpp>

#include "kernel/core/status_error.hpp"

namespace tidings::kernel {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace hooks = sdk::hooks;

// message.before_send is synchronous and may cancel a send: no place for an HTTP round trip.
constexpr std::string_view kEvents[] = {
    hooks::kSubscriberCreated,      hooks::kSubscriberUpdated, hooks::kSubscriberDeleted,
    hooks::kSubscriptionConfirmed,  hooks::kSubscriptionUnsubscribed, hooks::kCampaignStarted,
    hooks::kCampaignPaused,         hooks::kCampaignFinished,  hooks::kBounceRecorded,
    hooks::kImportFinished,
};

bool knownEvent(const std::string& name) {
    for (auto e : kEvents)
        if (e == name) return true;
    return false;
}

bool present(const Object& o, const std::string& key) { return o.has(key) && !o.isNull(key); }

std::string requiredText(const Object& o, const std::string& key, const std::string& where) {
    if (!present(o, key) || !o.get(key).isString() || o.get(key).extract<std::string>().empty())
        invalid(where + "." + key + ": required");
    return o.get(key).extract<std::string>();
}

void checkEntry(const Object& o, const std::string& where) {
    if (present(o, "enabled") && o.get("enabled").type() != typeid(bool))
        invalid(where + ".enabled: must be true or false");
    requiredText(o, "name", where);
    const std::string url = requiredText(o, "url", where);
    try {
        const Poco::URI uri(url);
        if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
            invalid(where + ".url: must be an http:// or https:// URL");
    } catch (const Poco::Exception&) {
        invalid(where + ".url: must be an http:// or https:// URL");
    }
    requiredText(o, "secret", where);

    if (!present(o, "events") || o.get("events").type() != typeid(Array::Ptr))
        invalid(where + ".events: must be an array of event names");
    const auto events = o.getArray("events");
    if (events->size() == 0) invalid(where + ".events: name at least one event");
    for (std::size_t i = 0; i < events->size(); ++i) {
        const Var e = events->get(static_cast<unsigned>(i));
        const std::string field = where + ".events[" + std::to_string(i) + "]";
        if (!e.isString()) invalid(field + ": must be an event name");
        if (!knownEvent(e.extract<std::string>()))
            invalid(field + ": unknown event '" + e.extract<std::string>() + "'");
    }

    if (present(o, "timeout")) {
        const Var t = o.get("timeout");
        const auto parsed = t.isString() ? sdk::parseDuration(t.extract<std::string>()) : std::nullopt;
        if (!parsed || parsed->count() < 100 || *parsed > std::chrono::minutes(5))
            invalid(where + ".timeout: must be a duration between 100ms and 5m, such as \"5s\"");
    }
    if (present(o, "max_attempts")) {
        const Var n = o.get("max_attempts");
        if (!n.isInteger() || n.convert<long long>() < 1 || n.convert<long long>() > 30)
            invalid(where + ".max_attempts: must be a whole number from 1 to 30");
    }
    if (present(o, "retry_base")) {
        const Var b = o.get("retry_base");
        if (!b.isNumeric() || b.convert<double>() < 0.01 || b.convert<double>() > 86400)
            invalid(where + ".retry_base: must be a number of seconds from 0.01 to 86400");
    }
}

}  // namespace

void checkWebhooksSetting(const Var& value) {
    if (value.type() != typeid(Array::Ptr)) invalid("webhooks: must be an array");
    const auto entries = value.extract<Array::Ptr>();
    std::set<std::string> names;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const std::string where = "webhooks[" + std::to_string(i) + "]";
        const Var entry = entries->get(static_cast<unsigned>(i));
        if (entry.type() != typeid(Object::Ptr)) invalid(where + ": must be an object");
        const auto o = entry.extract<Object::Ptr>();
        checkEntry(*o, where);
        if (!names.insert(o->getValue<std::string>("name")).second)
            invalid(where + ".name: '" + o->getValue<std::string>("name") + "' is used twice");
    }
}

}  // namespace tidings::kernel
