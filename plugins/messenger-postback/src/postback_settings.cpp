#include "postback_settings.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <tidings/sdk/v1/duration.hpp>

namespace tidings::postback {

std::string normaliseName(std::string_view name) {
    std::string out;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        const char lower = static_cast<char>(std::tolower(u));
        if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '-') out.push_back(lower);
    }
    return out;
}

std::chrono::milliseconds parseDuration(std::string_view text) {
    if (auto d = tidings::sdk::v1::parseDuration(text)) return *d;
    throw std::invalid_argument("bad duration \"" + std::string(text) + "\"");
}

namespace {

std::string text(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return {};
    return o.get(key).toString();
}

long long number(const Poco::JSON::Object& o, const std::string& key, long long fallback) {
    if (!o.has(key) || o.isNull(key)) return fallback;
    const auto v = o.get(key);
    if (v.isString()) {
        const std::string s = v.toString();
        if (s.empty()) return fallback;
        return std::stoll(s);
    }
    return v.convert<long long>();
}

bool flag(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return false;
    const auto v = o.get(key);
    return v.isString() ? v.toString() == "true" : v.convert<bool>();
}

EndpointConfig parseOne(const Poco::JSON::Object& o, std::size_t index) {
    const std::string where = "messengers[" + std::to_string(index) + "]";
    EndpointConfig c;
    c.enabled = flag(o, "enabled");
    c.name = normaliseName(text(o, "name"));
    if (c.name.empty()) throw std::invalid_argument(where + ".name: required");
    if (c.name == "email" || c.name.rfind("email-", 0) == 0)
        throw std::invalid_argument(where + ".name: \"" + c.name + "\" is reserved for the SMTP messengers");
    c.root_url = text(o, "root_url");
    const Poco::URI uri(c.root_url);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
        throw std::invalid_argument(where + ".root_url: must be an http:// or https:// URL");
    c.username = text(o, "username");
    c.password = text(o, "password");
    // listmonk's admin UI stores 0 for "unset"; a pool of zero connections could never send.
    const long long conns = number(o, "max_conns", 10);
    c.max_conns = static_cast<std::size_t>(conns < 1 ? 1 : conns);
    const std::string timeout = text(o, "timeout");
    c.timeout = timeout.empty() ? std::chrono::milliseconds(5000) : parseDuration(timeout);
    if (c.timeout < std::chrono::milliseconds(100)) c.timeout = std::chrono::milliseconds(100);
    const long long retries = number(o, "max_msg_retries", 2);
    c.max_msg_retries = static_cast<int>(std::clamp<long long>(retries, 0, 10));
    return c;
}

}  // namespace

std::vector<EndpointConfig> parseEndpoints(const std::string& json) {
    std::vector<EndpointConfig> out;
    if (json.find_first_not_of(" \t\r\n") == std::string::npos || json == "null") return out;
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root;
    try {
        root = parser.parse(json);
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument("messengers: not JSON: " + e.displayText());
    }
    const auto array = root.extract<Poco::JSON::Array::Ptr>();
    if (!array) throw std::invalid_argument("messengers: must be an array");
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto entry = array->getObject(static_cast<unsigned>(i));
        if (!entry) throw std::invalid_argument("messengers[" + std::to_string(i) + "]: must be an object");
        EndpointConfig c;
        try {
            c = parseOne(*entry, i);
        } catch (const std::invalid_argument&) {
            throw;
        } catch (const Poco::Exception& e) {
            throw std::invalid_argument("messengers[" + std::to_string(i) + "]: " + e.displayText());
        } catch (const std::exception& e) {
            throw std::invalid_argument("messengers[" + std::to_string(i) + "]: " + e.what());
        }
        for (const auto& other : out)
            if (other.name == c.name)
                throw std::invalid_argument("messengers[" + std::to_string(i) + "].name: \"" + c.name + "\" is used twice");
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace tidings::postback
