#include "smtp_settings.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <tidings/sdk/v1/duration.hpp>
#include <tidings/sdk/v1/host.hpp>

namespace tidings::smtp {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

AuthProtocol parseAuth(const std::string& v, const std::string& where) {
    const std::string s = lower(v);
    if (s.empty() || s == "none") return AuthProtocol::None;
    if (s == "plain") return AuthProtocol::Plain;
    if (s == "login") return AuthProtocol::Login;
    if (s == "cram" || s == "cram-md5") return AuthProtocol::CramMd5;
    throw std::invalid_argument(where + "auth_protocol: must be none, plain, login or cram");
}

TlsMode parseTls(const std::string& v, const std::string& where) {
    const std::string s = lower(v);
    if (s.empty() || s == "none") return TlsMode::None;
    if (s == "starttls") return TlsMode::StartTls;
    if (s == "tls" || s == "ssl") return TlsMode::Implicit;
    throw std::invalid_argument(where + "tls_type: must be none, STARTTLS or TLS");
}

// Poco::Dynamic::Var converts loosely ("25" -> 25); listmonk's UI sends numbers, older exports
// sometimes strings, so both are accepted.
std::string str(const Poco::JSON::Object::Ptr& o, const char* key, const std::string& def = {}) {
    if (!o->has(key) || o->isNull(key)) return def;
    return o->get(key).convert<std::string>();
}
bool boolean(const Poco::JSON::Object::Ptr& o, const char* key, bool def) {
    if (!o->has(key) || o->isNull(key)) return def;
    const auto v = o->get(key);
    if (v.isBoolean()) return v.extract<bool>();
    const std::string s = lower(v.convert<std::string>());
    return s == "true" || s == "1";
}
int integer(const Poco::JSON::Object::Ptr& o, const char* key, int def, const std::string& where) {
    if (!o->has(key) || o->isNull(key)) return def;
    try {
        return o->get(key).convert<int>();
    } catch (...) {
        throw std::invalid_argument(where + key + ": must be a number");
    }
}
std::chrono::milliseconds duration(const Poco::JSON::Object::Ptr& o, const char* key,
                                   std::chrono::milliseconds def, const std::string& where) {
    const std::string s = str(o, key);
    if (s.empty()) return def;
    try {
        return parseDuration(s);
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument(where + key + ": must be a duration such as \"15s\"");
    }
}

void clamp(ServerConfig& c) {
    if (c.max_conns < 1) c.max_conns = 1;
    if (c.wait_timeout < std::chrono::seconds(1)) c.wait_timeout = std::chrono::seconds(2);
    if (c.idle_timeout <= std::chrono::milliseconds(0)) c.idle_timeout = std::chrono::seconds(15);
    if (c.max_msg_retries < 1) c.max_msg_retries = 1;
    if (c.max_msg_retries > 10) c.max_msg_retries = 10;  // 100ms*2^10 is already ~100 s of back-off
}

}  // namespace

bool ServerConfig::sameConnection(const ServerConfig& o) const {
    return host == o.host && port == o.port && auth == o.auth && username == o.username &&
           password == o.password && hello_hostname == o.hello_hostname && tls == o.tls &&
           tls_skip_verify == o.tls_skip_verify && max_conns == o.max_conns &&
           idle_timeout == o.idle_timeout && wait_timeout == o.wait_timeout;
}

std::string normaliseName(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (unsigned char c : name) {
        c = static_cast<unsigned char>(std::tolower(c));
        out.push_back((std::isalnum(c) && c < 128) || c == '-' ? static_cast<char>(c) : '-');
    }
    return out;
}

std::chrono::milliseconds parseDuration(std::string_view text) {
    if (auto d = tidings::sdk::v1::parseDuration(text)) return *d;
    throw std::invalid_argument("bad duration \"" + std::string(text) + "\"");
}

std::vector<ServerConfig> parseServers(std::string_view json) {
    std::vector<ServerConfig> out;
    Poco::Dynamic::Var root;
    try {
        Poco::JSON::Parser parser;
        root = parser.parse(std::string(json));
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument("smtp: not valid JSON: " + e.message());
    }
    if (root.isEmpty()) return out;
    if (root.type() != typeid(Poco::JSON::Array::Ptr)) throw std::invalid_argument("smtp: must be an array");
    const auto arr = root.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string where = "smtp[" + std::to_string(i) + "].";
        const auto obj = arr->getObject(static_cast<unsigned>(i));
        if (!obj) throw std::invalid_argument(where.substr(0, where.size() - 1) + ": must be an object");
        ServerConfig c;
        c.enabled = boolean(obj, "enabled", true);
        if (!c.enabled) continue;
        c.name = normaliseName(str(obj, "name"));
        const std::string uuid = str(obj, "uuid");
        c.id = !uuid.empty() ? uuid : !c.name.empty() ? "name:" + c.name : "#" + std::to_string(i);
        c.host = str(obj, "host", c.host);
        if (c.host.empty()) throw std::invalid_argument(where + "host: must not be empty");
        c.port = integer(obj, "port", c.port, where);
        if (c.port < 1 || c.port > 65535) throw std::invalid_argument(where + "port: must be 1-65535");
        c.auth = parseAuth(str(obj, "auth_protocol"), where);
        c.username = str(obj, "username");
        c.password = str(obj, "password");
        c.hello_hostname = str(obj, "hello_hostname");
        if (obj->has("tls_type")) c.tls = parseTls(str(obj, "tls_type"), where);
        else if (boolean(obj, "tls_enabled", false)) c.tls = TlsMode::StartTls;  // listmonk < 2.2
        c.tls_skip_verify = boolean(obj, "tls_skip_verify", false);
        c.max_conns = integer(obj, "max_conns", c.max_conns, where);
        c.idle_timeout = duration(obj, "idle_timeout", c.idle_timeout, where);
        c.wait_timeout = duration(obj, "wait_timeout", c.wait_timeout, where);
        c.max_msg_retries = integer(obj, "max_msg_retries", c.max_msg_retries, where);
        if (obj->has("email_headers") && !obj->isNull("email_headers")) {
            const auto headers = obj->getArray("email_headers");
            if (!headers) throw std::invalid_argument(where + "email_headers: must be an array");
            for (std::size_t h = 0; h < headers->size(); ++h) {
                const auto ho = headers->getObject(static_cast<unsigned>(h));
                if (!ho) throw std::invalid_argument(where + "email_headers: items must be objects");
                for (const auto& [k, v] : *ho) c.email_headers.emplace_back(k, v.convert<std::string>());
            }
        }
        clamp(c);
        out.push_back(std::move(c));
    }
    return out;
}

ServerConfig serverFromConfig(const tidings::sdk::v1::Host& host) {
    ServerConfig c;
    c.id = "ini";
    const auto get = [&](const char* key) { return host.config(key).value_or(""); };
    if (auto v = get("smtp.host"); !v.empty()) c.host = v;
    if (auto v = get("smtp.port"); !v.empty()) c.port = std::stoi(v);
    c.username = get("smtp.username");
    c.password = get("smtp.password");
    c.auth = parseAuth(get("smtp.auth_protocol"), "");
    c.tls = parseTls(get("smtp.tls_type"), "");
    if (auto v = get("smtp.max_conns"); !v.empty()) c.max_conns = std::stoi(v);
    c.hello_hostname = get("smtp.hello_hostname");
    clamp(c);
    return c;
}

}  // namespace tidings::smtp
