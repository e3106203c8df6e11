// Tidings plugin SDK, version 1: HTTP requests and responses as plugins see them.
//
// The kernel owns the HTTP server. It parses each request into a Request, runs its middleware
// (request id, body limit, CORS, rate limit, authentication and the route's permission check),
// then calls the route's handler with a Response to fill in. Kernel routes and plugin routes use
// the same types and the same middleware.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tidings::sdk::v1 {

/// Name/value pairs in arrival order; names may repeat (`?id=1&id=2`, repeated form fields).
using Pairs = std::vector<std::pair<std::string, std::string>>;

/// Who may call a route.
enum class Access : std::uint8_t {
    Public = 0,         ///< Anyone; public routes get CORS headers and the public rate limit.
    Authenticated = 1,  ///< Any authenticated user; add a permission to narrow it further.
};

/// A parsed HTTP request. Owned by the kernel; valid for the duration of the handler call.
struct Request {
    std::string method;          ///< Upper-case: "GET", "POST", ...
    std::string path;            ///< Decoded path without the query string: "/api/lists/3".
    std::string request_id;      ///< The id the access log and error messages carry.
    std::string remote_address;  ///< The client's IP address (no port).
    Pairs headers;               ///< Header names lower-cased.
    Pairs query;                 ///< Decoded query-string parameters.
    Pairs params;                ///< Path parameters by name: pattern "/api/lists/:id" -> {"id", "3"}.
    std::string body;            ///< The raw body, already checked against the body limit.
    /// The authenticated user's name, set by the kernel before an Authenticated route's handler
    /// runs; empty on public routes.
    std::optional<std::string> user;

    /// The first header with this lower-case name, or nullopt.
    std::optional<std::string_view> header(std::string_view name) const noexcept {
        return first(headers, name);
    }
    /// The first query parameter with this name, or nullopt.
    std::optional<std::string_view> queryValue(std::string_view name) const noexcept {
        return first(query, name);
    }
    /// Every query parameter with this name, in order.
    std::vector<std::string> queryValues(std::string_view name) const {
        std::vector<std::string> out;
        for (const auto& [k, v] : query) {
            if (k == name) out.push_back(v);
        }
        return out;
    }
    /// The path parameter with this name, or an empty view when the pattern has none.
    std::string_view param(std::string_view name) const noexcept {
        auto v = first(params, name);
        return v ? *v : std::string_view{};
    }

private:
    static std::optional<std::string_view> first(const Pairs& pairs, std::string_view name) noexcept {
        for (const auto& [k, v] : pairs) {
            if (k == name) return std::string_view(v);
        }
        return std::nullopt;
    }
};

/// The response a handler fills in. The kernel adds the request id, CORS and security headers
/// and the Content-Length; handlers never write to the socket themselves.
struct Response {
    /// HTTP status code; 200 unless the handler sets another.
    int status = 200;
    /// Sent as Content-Type; JSON by default because almost every route answers JSON.
    std::string content_type = "application/json; charset=utf-8";
    /// Extra headers to send, in order (a name may repeat).
    Pairs headers;
    /// The whole body. Routes that stream large bodies are a later SDK minor version.
    std::string body;

    /// Sets a JSON body (already serialised) and a status.
    void json(int code, std::string text) {
        status = code;
        content_type = "application/json; charset=utf-8";
        body = std::move(text);
    }
};

/// Handles one request. Called on one of the kernel's HTTP worker threads, possibly on several
/// threads at once, so it must be thread-safe. It should not throw; if it does, the kernel logs
/// the exception with the request id and answers 500.
using RouteHandler = std::function<void(const Request&, Response&)>;

/// Describes a route a plugin adds. Patterns are literal segments and `:name` parameters, e.g.
/// "/webhooks/service/ses" or "/api/things/:id". A route that collides with an existing one is
/// refused at registration.
struct RouteSpec {
    std::string method;   ///< "GET", "POST", "PUT", "PATCH" or "DELETE".
    std::string pattern;  ///< Path pattern, beginning with '/'.
    Access access = Access::Authenticated;
    /// For Authenticated routes: the permission required (listmonk's names such as
    /// "bounces:manage"); empty means any authenticated user.
    std::string permission;
};

}  // namespace tidings::sdk::v1
