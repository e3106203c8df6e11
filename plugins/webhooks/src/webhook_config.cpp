#include "webhook_config.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <tidings/sdk/v1/duration.hpp>
#include <tidings/sdk/v1/hooks.hpp>

namespace tidings::webhooks {
namespace {

using Poco::Dynamic::Var;

std::string text(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return {};
    return o.get(key).toString();
}

Endpoint parseOne(const Poco::JSON::Object& o, const std::string& where) {
    Endpoint e;
    e.enabled = o.has("enabled") && !o.isNull("enabled") && o.get("enabled").convert<bool>();
    e.name = text(o, "name");
    if (e.name.empty()) throw std::invalid_argument(where + ".name: required");
    e.url = text(o, "url");
    const Poco::URI uri(e.url);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
        throw std::invalid_argument(where + ".url: must be an http:// or https:// URL");
    e.secret = text(o, "secret");
    if (e.secret.empty()) throw std::invalid_argument(where + ".secret: required");
    if (const auto events = o.getArray("events")) {
        for (std::size_t i = 0; i < events->size(); ++i) {
            const std::string name = events->get(static_cast<unsigned>(i)).toString();
            bool known = false;
            for (auto d : deliverableEvents()) known = known || d == name;
            if (!known) throw std::invalid_argument(where + ".events[" + std::to_string(i) + "]: unknown event '" + name + "'");
            e.events.insert(name);
        }
    }
    if (const std::string timeout = text(o, "timeout"); !timeout.empty()) {
        const auto parsed = sdk::parseDuration(timeout);
        if (!parsed) throw std::invalid_argument(where + ".timeout: not a duration");
        e.timeout = std::max(*parsed, std::chrono::milliseconds(100));
    }
    if (o.has("max_attempts") && !o.isNull("max_attempts"))
        e.max_attempts = std::clamp(o.get("max_attempts").convert<int>(), 1, 30);
    if (o.has("retry_base") && !o.isNull("retry_base")) {
        const double seconds = o.get("retry_base").convert<double>();
        if (!std::isfinite(seconds) || seconds <= 0) throw std::invalid_argument(where + ".retry_base: must be positive");
        e.retry_base = std::chrono::milliseconds(std::max<long long>(10, std::llround(seconds * 1000)));
    }
    return e;
}

}  // namespace

const std::vector<std::string_view>& deliverableEvents() {
    namespace hooks = sdk::hooks;
    static const std::vector<std::string_view> events{
        hooks::kSubscriberCreated,     hooks::kSubscriberUpdated,        hooks::kSubscriberDeleted,
        hooks::kSubscriptionConfirmed, hooks::kSubscriptionUnsubscribed, hooks::kCampaignStarted,
        hooks::kCampaignPaused,        hooks::kCampaignFinished,         hooks::kBounceRecorded,
        hooks::kImportFinished,
    };
    return events;
}

Endpoints parseEndpoints(const std::string& json) {
    Endpoints out;
    if (json.find_first_not_of(" \t\r\n") == std::string::npos || json == "null") return out;
    Var root;
    try {
        Poco::JSON::Parser parser;
        root = parser.parse(json);
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument("webhooks: not JSON: " + e.displayText());
    }
    if (root.type() != typeid(Poco::JSON::Array::Ptr)) throw std::invalid_argument("webhooks: must be an array");
    const auto array = root.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string where = "webhooks[" + std::to_string(i) + "]";
        const auto entry = array->getObject(static_cast<unsigned>(i));
        if (!entry) throw std::invalid_argument(where + ": must be an object");
        try {
            out.push_back(parseOne(*entry, where));
        } catch (const std::invalid_argument&) {
            throw;
        } catch (const Poco::Exception& e) {
            throw std::invalid_argument(where + ": " + e.displayText());
        } catch (const std::exception& e) {
            throw std::invalid_argument(where + ": " + e.what());
        }
        if (findEndpoint(out, out.back().name) != &out.back())
            throw std::invalid_argument(where + ".name: '" + out.back().name + "' is used twice");
    }
    return out;
}

const Endpoint* findEndpoint(const Endpoints& endpoints, std::string_view name) {
    for (const auto& e : endpoints)
        if (e.name == name) return &e;
    return nullptr;
}

std::shared_ptr<const Endpoints> EndpointSettings::current() {
    const std::string text = host_.setting("webhooks").value_or("");
    std::lock_guard lock(mutex_);
    if (loaded_ && text == last_text_) return endpoints_;
    last_text_ = text;
    loaded_ = true;
    try {
        endpoints_ = std::make_shared<const Endpoints>(parseEndpoints(text));
    } catch (const std::exception& e) {
        host_.log(sdk::LogLevel::Error, std::string("ignoring the webhooks setting, keeping the previous one: ") + e.what());
    }
    return endpoints_;
}

}  // namespace tidings::webhooks
