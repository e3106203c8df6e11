// Which browser origins may call the public endpoints.
//
// Origins come from two places, as the seeds and listmonk put them: the operator's
// `[security] cors_origins` (a JSON array or a comma-separated list of origins) and the runtime
// setting `security.trusted_urls` (full URLs; their scheme://host[:port] counts). "*" allows
// every origin. Only public routes get CORS headers; the admin API is never cross-origin.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/http.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class CorsPolicy {
public:
    /// `configured` is the INI value; `trusted_urls` returns the live runtime setting.
    CorsPolicy(const std::string& configured, std::function<std::vector<std::string>()> trusted_urls);

    /// The origin to echo in Access-Control-Allow-Origin, or nullopt when `origin` is not allowed.
    std::optional<std::string> allow(std::string_view origin) const;

    /// Adds the headers for an actual (non-preflight) response to an allowed origin.
    void decorate(const sdk::Request& request, sdk::Response& response) const;

    /// Answers a preflight (OPTIONS) for a path whose routes accept `methods`: 204 with the
    /// CORS headers when the origin and the requested method are allowed, 204 without them
    /// otherwise (the browser then blocks the request).
    void preflight(const sdk::Request& request, const std::vector<std::string>& methods, sdk::Response& response) const;

    /// "https://Example.com:443/path" -> "https://example.com"; empty when not an http(s) URL.
    static std::string originOf(std::string_view url);

    /// Parses `[security] cors_origins`: ["a", "b"] or a, b.
    static std::vector<std::string> parseList(const std::string& text);

private:
    std::vector<std::string> configured_;
    std::function<std::vector<std::string>()> trusted_urls_;
};

}  // namespace tidings::kernel
