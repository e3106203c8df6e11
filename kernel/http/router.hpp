// Maps (method, path) to a route: literal segments and `:name` parameters.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/http.hpp>
#include <tidings/sdk/v1/status.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A kernel route that reads its request body as a stream (file uploads) instead of receiving
/// it in Request::body, so a body of any size never sits in memory and the body limit does not
/// apply: the handler enforces its own. Kernel-only: plugins' routes always get whole bodies.
using UploadHandler = std::function<void(const sdk::Request&, std::istream& body, sdk::Response&)>;

/// A registered route.
struct Route {
    sdk::RouteSpec spec;
    sdk::RouteHandler handler;
    std::string owner;  ///< "kernel" or the plugin's name, for logs.
    UploadHandler upload;  ///< Set for upload routes; then `handler` is not called.
    /// Whether a public route is subject to the per-client rate limit. Plugins' public routes
    /// always are (CAPTCHA challenges are what a bot asks for first). Kernel routes are limited
    /// only where bots do harm: public writes (subscriptions, forms, opt-in, manage, export, wipe).
    /// Public reads (public lists, archive, pages, /health, tracking pixels) and machine-sent
    /// writes (provider webhooks) are not: sites fetch them on every page view from one address,
    /// and a 429 there breaks the site or loses data without stopping a bot.
    bool rate_limited = true;
};

/// The result of matching a request.
struct RouteMatch {
    const Route* route = nullptr;  ///< Null when nothing matched.
    sdk::Pairs params;             ///< Path parameters of the matched route.
    /// When route is null but the path matched other methods: their names, for 405 + Allow.
    std::vector<std::string> allowed_methods;
};

/// Routes are added at start-up (single-threaded) and matched concurrently afterwards.
/// Literal segments take precedence over parameters at the same position, so
/// "/api/subscribers/lists" wins over "/api/subscribers/:id" whatever the order of addition.
class Router {
public:
    /// Adds a route. Conflict when the same method and an equivalent pattern exist (parameter
    /// names do not matter); Invalid for a pattern not starting with '/' or an unknown method.
    sdk::Status add(sdk::RouteSpec spec, sdk::RouteHandler handler, std::string owner, bool rate_limited = true);

    /// Adds an upload route (see UploadHandler); same rules as add().
    sdk::Status addUpload(sdk::RouteSpec spec, UploadHandler handler, std::string owner);

    /// Finds the route for a request. Thread-safe once start-up is over.
    RouteMatch match(std::string_view method, std::string_view path) const;

    /// Every route, in order of addition (for logs and docs).
    const std::vector<Route>& routes() const noexcept { return routes_; }

private:
    std::vector<Route> routes_;
    /// Each route's pattern split into segments once, parallel to routes_.
    std::vector<std::vector<std::string>> patterns_;
};

}  // namespace tidings::kernel
