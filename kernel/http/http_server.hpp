// The HTTP front end: Poco's TCPServer, the kernel's strict connection loop (http_connection.hpp)
// and the kernel's middleware chain.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "kernel/http/authenticator.hpp"
#include "kernel/http/cors_policy.hpp"
#include "kernel/http/http_connection.hpp"
#include "kernel/http/rate_limiter.hpp"
#include "kernel/http/router.hpp"

namespace tidings::kernel {

struct HttpServerOptions {
    std::string address = "127.0.0.1:9000";  ///< host:port to listen on.
    std::size_t max_body_bytes = 10 * 1024 * 1024;  ///< Larger bodies get 413.
    int queue = 256;                                ///< The listen backlog.
    /// Worker threads, timeouts and connection caps (http_connection.hpp).
    HttpConnectionLimits limits;
    bool access_log = true;
    /// CORS for public routes; none means no cross-origin access.
    std::shared_ptr<const CorsPolicy> cors;
    /// Per-client limit for public routes; none means unlimited.
    std::shared_ptr<RateLimiter> public_limiter;
    /// Behind a reverse proxy: the header carrying the client address (e.g. "X-Forwarded-For";
    /// its first entry is used). Empty: the TCP peer is the client. Only set it when a proxy you
    /// control always sets the header, or clients could choose their own address.
    std::string client_ip_header;
};

/// Before any of this, a malformed request head (request line, version, Content-Length) is
/// answered 400 (505 for an unsupported HTTP version) and the connection closed; see
/// request_head.hpp.
/// Middleware order for each request: request id (X-Request-Id in and out) -> body limit (413)
/// -> CORS preflight for OPTIONS -> route match (404 {"message":"404 unknown endpoint"} for
/// /api/*, 405 with Allow) -> for public routes, the rate limit (429 + Retry-After) and CORS ->
/// authentication for Authenticated routes (401 + WWW-Authenticate when missing or wrong) ->
/// permission (403 "permission denied: <perm>") -> handler (HttpError -> status + message; any
/// other exception -> 500 logged with the request id) -> access log line
/// (method path status bytes duration request-id).
class HttpServer {
public:
    HttpServer(HttpServerOptions options, const Router& router, Authenticator& authenticator);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and starts serving. Throws std::runtime_error naming the address on failure.
    void start();

    /// Stops accepting, lets in-flight requests finish (up to a few seconds), then returns.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tidings::kernel
