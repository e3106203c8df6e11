// Helpers for kernel route handlers: JSON responses in listmonk's envelope, and the adapter
// from core's StatusError to HTTP statuses.
#pragma once

#include <functional>
#include <string>

#include <tidings/sdk/v1/http.hpp>
#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/json_writer.hpp"
#include "kernel/http/router.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Sends {"data": <json>} where `json` is already serialised.
void sendDataJson(sdk::Response& response, const std::string& json, int status = 200);

/// Sends {"data": true}.
void sendTrue(sdk::Response& response);

/// Sends {"data": <json>} that clients may cache for `max_age_seconds`: a strong ETag computed
/// from the body's bytes, and 304 without a body when the request's If-None-Match lists that
/// ETag (weak comparison, as RFC 9110 prescribes for If-None-Match) or is "*".
void sendCacheableDataJson(const sdk::Request& request, sdk::Response& response, const std::string& json,
                           int max_age_seconds);

/// Wraps a kernel handler so that a StatusError from core becomes an HttpError with the
/// matching status (Invalid 400, NotFound 404, Conflict 409, ...).
sdk::RouteHandler handled(std::function<void(const sdk::Request&, sdk::Response&)> fn);

/// A spec for an authenticated kernel route; `permission` may list alternatives as "a|b".
sdk::RouteSpec authed(std::string method, std::string pattern, std::string permission = "");

/// A spec for a public route (rate limited, CORS-enabled, no authentication).
sdk::RouteSpec publicRoute(std::string method, std::string pattern);

/// The kernel's rate-limit policy (see Route::rate_limited): true for a public route whose
/// method is not GET.
bool limitedByDefault(const sdk::RouteSpec& spec);

/// Adds a kernel route whose handler may throw core's StatusError (see handled()); a routing
/// conflict is a start-up error. Rate limited as limitedByDefault() says.
void addKernelRoute(Router& router, sdk::RouteSpec spec, std::function<void(const sdk::Request&, sdk::Response&)> fn);

/// Like addKernelRoute for a public route exempt from the per-client rate limit whatever its
/// method (see Route).
void addUnlimitedRoute(Router& router, sdk::RouteSpec spec, std::function<void(const sdk::Request&, sdk::Response&)> fn);

/// Writes listmonk's paged envelope {"results": [...], "query", "search", "total", "per_page",
/// "page"}; `write_items` writes the elements inside the already opened array and returns the
/// total (which follows the results, so a streamed listing can count as it goes).
std::string pagedResults(const sdk::PageRequest& page, const std::string& query, const std::string& search,
                         const std::function<std::int64_t(JsonWriter&)>& write_items);

}  // namespace tidings::kernel
