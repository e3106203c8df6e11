#include "kernel/http/cors_policy.hpp"

#include <algorithm>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "kernel/core/text.hpp"

namespace tidings::kernel {

CorsPolicy::CorsPolicy(const std::string& configured, std::function<std::vector<std::string>()> trusted_urls)
    : trusted_urls_(std::move(trusted_urls)) {
    for (const auto& entry : parseList(configured)) {
        configured_.push_back(entry == "*" ? entry : originOf(entry));
    }
}

std::vector<std::string> CorsPolicy::parseList(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    auto flush = [&] {
        std::string t = trimmed(item);
        if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) t = t.substr(1, t.size() - 2);
        if (!t.empty()) out.push_back(t);
        item.clear();
    };
    for (char c : text) {
        if (c == '[' || c == ']') continue;
        if (c == ',') {
            flush();
        } else {
            item.push_back(c);
        }
    }
    flush();
    return out;
}

std::string CorsPolicy::originOf(std::string_view url) {
    try {
        Poco::URI uri{std::string(url)};
        std::string scheme = lowercase(uri.getScheme());
        if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) return {};
        std::string origin = scheme + "://" + lowercase(uri.getHost());
        bool default_port = (scheme == "http" && uri.getPort() == 80) || (scheme == "https" && uri.getPort() == 443);
        if (!default_port) origin += ":" + std::to_string(uri.getPort());
        return origin;
    } catch (const Poco::Exception&) {
        return {};
    }
}

std::optional<std::string> CorsPolicy::allow(std::string_view origin) const {
    if (origin.empty()) return std::nullopt;
    std::string wanted = originOf(origin);
    if (wanted.empty()) return std::nullopt;
    auto matches = [&](const std::string& candidate) { return candidate == "*" || candidate == wanted; };
    if (std::any_of(configured_.begin(), configured_.end(), matches)) return std::string(origin);
    if (trusted_urls_) {
        for (const auto& url : trusted_urls_()) {
            if (trimmed(url) == "*" || originOf(trimmed(url)) == wanted) return std::string(origin);
        }
    }
    return std::nullopt;
}

void CorsPolicy::decorate(const sdk::Request& request, sdk::Response& response) const {
    auto origin = request.header("origin");
    if (!origin) return;
    response.headers.emplace_back("Vary", "Origin");
    if (auto allowed = allow(*origin)) response.headers.emplace_back("Access-Control-Allow-Origin", *allowed);
}

void CorsPolicy::preflight(const sdk::Request& request, const std::vector<std::string>& methods,
                           sdk::Response& response) const {
    response.status = 204;
    response.body.clear();
    response.headers.emplace_back("Vary", "Origin");
    auto origin = request.header("origin");
    if (!origin) return;
    auto allowed = allow(*origin);
    if (!allowed) return;
    auto requested = request.header("access-control-request-method");
    if (requested && std::find(methods.begin(), methods.end(), std::string(*requested)) == methods.end()) return;
    std::string list;
    for (const auto& m : methods) list += (list.empty() ? "" : ", ") + m;
    response.headers.emplace_back("Access-Control-Allow-Origin", *allowed);
    response.headers.emplace_back("Access-Control-Allow-Methods", list);
    response.headers.emplace_back("Access-Control-Allow-Headers", "Origin, Content-Type, Accept");
    response.headers.emplace_back("Access-Control-Max-Age", "600");
}

}  // namespace tidings::kernel
