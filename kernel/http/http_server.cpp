#include "kernel/http/http_server.hpp"

#include <chrono>
#include <istream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>

#include "kernel/core/json_writer.hpp"
#include "kernel/http/form.hpp"
#include "kernel/http/http_connection.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"

namespace tidings::kernel {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

std::string errorBody(const std::string& message) {
    JsonWriter w;
    w.beginObject().key("message").value(message).endObject();
    return w.take();
}

void setError(sdk::Response& rs, int status, const std::string& message) {
    rs.status = status;
    rs.content_type = "application/json; charset=utf-8";
    rs.body = errorBody(message);
}

bool saneRequestId(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    }
    return true;
}

std::string newRequestId() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::uint64_t v = rng();
    std::string id(16, '0');
    for (auto& c : id) {
        c = hex[v & 0xF];
        v >>= 4;
    }
    return id;
}

const char* reasonFor(int status) {
    return Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status)).c_str();
}

}  // namespace

struct HttpServer::Impl {
    HttpServerOptions options;
    const Router& router;
    Authenticator& authenticator;
    std::unique_ptr<HttpConnectionServer> server;

    Impl(HttpServerOptions o, const Router& r, Authenticator& a) : options(std::move(o)), router(r), authenticator(a) {}

    enum class BodyRead { Whole, TooLarge, Incomplete };

    /// Reads the body into `out`: Whole, or TooLarge past the limit, or Incomplete when the
    /// client stopped sending before its end (it stalled past http.io_timeout_seconds, or left).
    BodyRead readBody(HTTPServerRequest& request, std::string& out) const {
        // RFC 9112: a request with neither Content-Length nor chunked encoding has no body (Poco
        // would otherwise read until the client closes the connection).
        if (!request.hasContentLength() && !request.getChunkedTransferEncoding()) return BodyRead::Whole;
        const auto limit = options.max_body_bytes;
        std::istream& in = request.stream();
        char buffer[16384];
        if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(limit)) {
            discard(in, buffer, sizeof buffer);
            return BodyRead::TooLarge;
        }
        while (in) {
            in.read(buffer, sizeof buffer);
            out.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (out.size() > limit) {
                discard(in, buffer, sizeof buffer);
                return BodyRead::TooLarge;
            }
        }
        // A cut-off body is never handled as if it were whole (it used to be, on a timeout).
        if (in.bad()) return BodyRead::Incomplete;
        if (request.hasContentLength() && out.size() != static_cast<std::size_t>(request.getContentLength64())) {
            return BodyRead::Incomplete;
        }
        return BodyRead::Whole;
    }

    /// Reads and drops what is left of an oversized body, up to a few times the limit, so the
    /// client, still sending, gets to read the 413 instead of a connection reset. Beyond that the
    /// connection is simply closed.
    void discard(std::istream& in, char* buffer, std::size_t size) const {
        std::size_t budget = options.max_body_bytes * 4;
        while (in && budget > 0) {
            in.read(buffer, static_cast<std::streamsize>(std::min(size, budget)));
            budget -= std::min(budget, static_cast<std::size_t>(in.gcount()));
        }
    }

    /// `upload_body` is the unread request body, for upload routes only.
    /// Upload routes read the body themselves, as a stream; whatever they leave unread (a
    /// refused upload) is drained within a budget so the client gets to read the answer.
    void dispatchUpload(HTTPServerRequest& request, sdk::Request& rq, sdk::Response& rs, bool& keep_alive) {
        const bool has_body = request.hasContentLength() || request.getChunkedTransferEncoding();
        std::istringstream none;
        std::istream& body = has_body ? request.stream() : none;
        dispatch(rq, rs, keep_alive, &body);
        if (!has_body) return;
        char buffer[16384];
        discard(body, buffer, sizeof buffer);
        if (!body.eof()) keep_alive = false;  // still unread: the connection cannot be reused
    }

    void dispatch(sdk::Request& rq, sdk::Response& rs, bool& keep_alive, std::istream* upload_body = nullptr) {
        if (rq.method == "OPTIONS") {
            auto found = router.match("OPTIONS", rq.path);
            if (!found.route) {
                rs.status = 204;
                if (options.cors && !found.allowed_methods.empty()) options.cors->preflight(rq, found.allowed_methods, rs);
                if (found.allowed_methods.empty()) setError(rs, 404, "404 unknown endpoint");
                return;
            }
        }
        RouteMatch found = router.match(rq.method == "HEAD" ? "GET" : rq.method, rq.path);
        if (!found.route) {
            if (!found.allowed_methods.empty()) {
                std::string allow;
                for (const auto& m : found.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
                rs.headers.emplace_back("Allow", allow);
                setError(rs, 405, "method " + rq.method + " is not allowed on " + rq.path);
            } else if (rq.path.rfind("/api/", 0) == 0 || rq.path == "/api") {
                setError(rs, 404, "404 unknown endpoint");
            } else {
                rs.status = 404;
                rs.content_type = "text/html; charset=utf-8";
                rs.body = "<!doctype html><title>Not found</title><h1>Not found</h1><p>There is nothing here.</p>";
            }
            return;
        }
        const Route& route = *found.route;
        rq.params = std::move(found.params);
        if (route.spec.access == sdk::Access::Public) {
            if (route.rate_limited && options.public_limiter) {
                auto decision = options.public_limiter->take(rq.remote_address);
                if (!decision.allowed) {
                    rs.headers.emplace_back("Retry-After", std::to_string(decision.retry_after_seconds));
                    setError(rs, 429, "too many requests: retry in " + std::to_string(decision.retry_after_seconds) + " s");
                    return;
                }
            }
            if (options.cors) options.cors->decorate(rq, rs);
        } else {
            AuthOutcome who = authenticator.authenticate(rq);
            if (who.result == AuthOutcome::Result::Unavailable) {
                Poco::Logger::get("tidings.http").warning("request %s %s %s: %s", rq.request_id, rq.method,
                                                          rq.path, who.detail);
                rs.headers.emplace_back("Retry-After", "1");
                setError(rs, 503, who.message);
                return;
            }
            if (who.result != AuthOutcome::Result::Ok) {
                rs.headers.emplace_back("WWW-Authenticate", "Basic realm=\"tidings\"");
                setError(rs, 401, who.message);
                return;
            }
            if (!who.principal.can(route.spec.permission)) {
                setError(rs, 403, "permission denied: " + route.spec.permission);
                return;
            }
            rq.user = who.principal.username;
        }
        try {
            if (route.upload && upload_body) {
                route.upload(rq, *upload_body, rs);
            } else {
                route.handler(rq, rs);
            }
        } catch (const HttpError& e) {
            setError(rs, e.status(), e.what());
        } catch (const std::exception& e) {
            Poco::Logger::get("tidings.http").error("request %s %s %s failed: %s", rq.request_id, rq.method, rq.path,
                                                    std::string(e.what()));
            setError(rs, 500, "internal error, request id " + rq.request_id);
            keep_alive = false;
        }
    }

    void handle(HTTPServerRequest& request, HTTPServerResponse& response) {
        auto started = std::chrono::steady_clock::now();
        sdk::Request rq;
        sdk::Response rs;
        bool keep_alive = true;
        rq.method = request.getMethod();
        std::string incoming_id = request.get("X-Request-Id", "");
        rq.request_id = saneRequestId(incoming_id) ? incoming_id : newRequestId();
        rq.remote_address = request.clientAddress().host().toString();
        if (!options.client_ip_header.empty() && request.has(options.client_ip_header)) {
            std::string forwarded = request.get(options.client_ip_header);
            forwarded = forwarded.substr(0, forwarded.find(','));
            auto first = forwarded.find_first_not_of(' ');
            auto last = forwarded.find_last_not_of(' ');
            if (first != std::string::npos) rq.remote_address = forwarded.substr(first, last - first + 1);
        }
        for (const auto& [name, value] : request) {
            std::string lower = name;
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            rq.headers.emplace_back(std::move(lower), value);
        }
        try {
            Poco::URI uri(request.getURI());
            rq.path = uri.getPath();
            rq.query = parseUrlEncoded(uri.getRawQuery());
            if (rq.path.empty()) rq.path = "/";
            checkText(rq.path, "path");
            for (const auto& [name, value] : rq.query) {
                checkText(name, "query parameter");
                checkText(value, name);
            }
            const RouteMatch upload = router.match(rq.method, rq.path);
            if (upload.route && upload.route->upload) {
                dispatchUpload(request, rq, rs, keep_alive);
            } else if (const BodyRead body = readBody(request, rq.body); body == BodyRead::TooLarge) {
                setError(rs, 413, "request body too large (limit " + std::to_string(options.max_body_bytes) + " bytes)");
                keep_alive = false;  // the rest of the body is still on the wire
            } else if (body == BodyRead::Incomplete) {
                setError(rs, 408, "request body incomplete: the client stopped sending it");
                keep_alive = false;
            } else {
                dispatch(rq, rs, keep_alive);
            }
        } catch (const Poco::SyntaxException&) {
            setError(rs, 400, "malformed request URI");
        } catch (const HttpError& e) {
            setError(rs, e.status(), e.what());
        } catch (const std::exception& e) {
            Poco::Logger::get("tidings.http").error("request %s failed: %s", rq.request_id, std::string(e.what()));
            setError(rs, 500, "internal error, request id " + rq.request_id);
        }

        response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(rs.status), reasonFor(rs.status));
        response.setKeepAlive(keep_alive && request.getKeepAlive());
        response.set("X-Request-Id", rq.request_id);
        response.set("X-Content-Type-Options", "nosniff");
        for (const auto& [name, value] : rs.headers) response.add(name, value);
        if (rs.status != 204 && rs.status != 304) {
            response.setContentType(rs.content_type);
            response.setContentLength64(static_cast<Poco::Int64>(rs.body.size()));
        }
        try {
            // send(), not sendBuffer(): Poco's sendBuffer() writes a body only for requests of its own
            // request class, which the kernel's connection (http_connection.hpp) does not use.
            std::ostream& out = response.send();
            if (rq.method != "HEAD" && rs.status != 204 && rs.status != 304) {
                out.write(rs.body.data(), static_cast<std::streamsize>(rs.body.size()));
            }
            out.flush();
        } catch (const Poco::Exception&) {
            // The client went away; nothing to tell it.
        }
        if (options.access_log) {
            auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            char line[64];
            std::snprintf(line, sizeof line, "%.1fms", ms);
            Poco::Logger::get("tidings.access")
                .information("%s %s %d %z %s %s", rq.method, rq.path, rs.status, rs.body.size(), std::string(line),
                             rq.request_id);
        }
    }
};

HttpServer::HttpServer(HttpServerOptions options, const Router& router, Authenticator& authenticator)
    : impl_(std::make_unique<Impl>(std::move(options), router, authenticator)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(impl_->options.address), true);
        socket.listen(impl_->options.queue);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot listen on " + impl_->options.address + ": " + e.displayText());
    }
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setKeepAliveTimeout(impl_->options.limits.idle_timeout);
    params->setTimeout(impl_->options.limits.io_timeout);
    Impl& impl = *impl_;
    impl_->server = std::make_unique<HttpConnectionServer>(
        socket, params, impl_->options.limits,
        [&impl](HTTPServerRequest& request, HTTPServerResponse& response) { impl.handle(request, response); });
    impl_->server->start();
}

void HttpServer::stop() {
    if (!impl_ || !impl_->server) return;
    // Stop accepting, give in-flight requests a moment, then close what remains.
    impl_->server->stop(Poco::Timespan(5, 0));
    impl_->server.reset();
}

}  // namespace tidings::kernel
