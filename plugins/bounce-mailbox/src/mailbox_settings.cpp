#include "mailbox_settings.hpp"

#include <algorithm>
#include <cstdlib>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <tidings/sdk/v1/duration.hpp>

namespace tidings::mailbox {
namespace {

namespace sdk = ::tidings::sdk::v1;

constexpr std::chrono::milliseconds kMinInterval = std::chrono::seconds(1);

std::string text(const Poco::JSON::Object& o, const std::string& name) {
    if (!o.has(name) || o.isNull(name)) return {};
    const auto v = o.get(name);
    return v.isString() ? v.extract<std::string>() : std::string{};
}

bool flag(const Poco::JSON::Object& o, const std::string& name) {
    if (!o.has(name)) return false;
    const auto v = o.get(name);
    return v.isBoolean() && v.extract<bool>();
}

// Reads one entry; returns the problem, or "" when `out` is usable.
std::string readEntry(const Poco::JSON::Object& o, MailboxConfig& out) {
    const std::string type = text(o, "type");
    if (!type.empty() && type != "pop") return "type: only \"pop\" is supported, not \"" + type + "\"";
    out.host = text(o, "host");
    if (out.host.empty()) return "host: required";
    out.tls_enabled = flag(o, "tls_enabled");
    out.tls_skip_verify = flag(o, "tls_skip_verify");
    out.delete_malformed = flag(o, "delete_malformed");
    out.port = out.tls_enabled ? 995 : 110;
    if (o.has("port") && !o.isNull("port")) {
        const auto v = o.get("port");
        int port = 0;
        if (v.isInteger()) port = v.convert<int>();
        else if (v.isString()) port = std::atoi(v.extract<std::string>().c_str());
        if (port < 1 || port > 65535) return "port: must be 1 to 65535";
        out.port = port;
    }
    const std::string auth = text(o, "auth_protocol");
    if (auth.empty() || auth == "userpass") out.auth = AuthProtocol::UserPass;
    else if (auth == "cram") out.auth = AuthProtocol::Cram;
    else if (auth == "none") out.auth = AuthProtocol::None;
    else return "auth_protocol: must be none, userpass or cram";
    out.username = text(o, "username");
    out.password = text(o, "password");
    if (out.auth != AuthProtocol::None && out.username.empty()) return "username: required for " + auth;
    out.return_path = text(o, "return_path");
    if (const std::string interval = text(o, "scan_interval"); !interval.empty()) {
        const auto parsed = sdk::parseDuration(interval);
        if (!parsed || parsed->count() <= 0) return "scan_interval: not a duration like \"15m\"";
        out.scan_interval = std::max(*parsed, kMinInterval);
    }
    return {};
}

}  // namespace

std::string MailboxConfig::describe() const {
    return (username.empty() ? std::string{} : username + "@") + host + ":" + std::to_string(port);
}

MailboxSettings parseMailboxes(std::string_view json) noexcept {
    MailboxSettings out;
    try {
        const auto parsed = Poco::JSON::Parser().parse(std::string(json));
        const auto list = parsed.type() == typeid(Poco::JSON::Array::Ptr) ? parsed.extract<Poco::JSON::Array::Ptr>()
                                                                         : Poco::JSON::Array::Ptr{};
        if (!list) {
            out.problems.push_back("bounce.mailboxes: must be an array");
            return out;
        }
        for (unsigned i = 0; i < list->size(); ++i) {
            const auto entry = list->getObject(i);
            const std::string where = "bounce.mailboxes[" + std::to_string(i) + "]";
            if (!entry) {
                out.problems.push_back(where + ": must be an object");
                continue;
            }
            if (!flag(*entry, "enabled")) continue;
            MailboxConfig config;
            if (auto problem = readEntry(*entry, config); !problem.empty()) {
                out.problems.push_back(where + "." + problem);
                continue;
            }
            out.mailboxes.push_back(std::move(config));
        }
    } catch (const std::exception& e) {
        out.mailboxes.clear();
        out.problems.push_back(std::string("bounce.mailboxes: unreadable: ") + e.what());
    }
    return out;
}

}  // namespace tidings::mailbox
