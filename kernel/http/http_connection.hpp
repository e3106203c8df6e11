// How connections reach the HTTP/1.1 loop. One waiting thread owns the listening socket and
// every connection that is not being served: new ones, keep-alive ones between requests and
// ones still sending their request head. It polls them all and hands a connection to a worker
// only once a whole request head has arrived, so idle or trickling clients cost a file
// descriptor and a few bytes each, never a worker thread (nginx's and Apache's event MPM
// design; see docs/decisions.md). A head must be complete within head_timeout of the
// connection's first byte, an idle keep-alive connection is closed after idle_timeout, and one
// peer address may hold at most max_per_address connections (beyond it: 503 and close).
//
// The workers run the kernel's request loop in place of Poco's HTTPServerConnection: each request
// head is checked against request_head.hpp before anything is dispatched. Poco's own parser
// serves "GET /a OR 1=1 HTTP/1.1" as GET /a with "OR" echoed as the status line's version,
// serves any version, and drops the connection without an answer on a Content-Length it cannot
// read; here each of those is answered with a 4xx (or 505) naming the problem, and logged.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Timespan.h>

namespace tidings::kernel {

/// Serves one well-formed request. Called on a worker thread; answers through the response and
/// never throws.
using HttpRequestHandler = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

/// Limits on connections; 0 in a count means no limit.
struct HttpConnectionLimits {
    int threads = 16;                                ///< Workers serving complete requests.
    Poco::Timespan head_timeout{10, 0};              ///< A whole request head, from its first byte.
    Poco::Timespan idle_timeout{60, 0};              ///< A keep-alive connection with no request.
    Poco::Timespan io_timeout{30, 0};                ///< A stalled body read or answer write on a worker.
    std::size_t max_connections = 10000;             ///< Open connections in all; beyond: 503.
    std::size_t max_per_address = 1000;              ///< Open connections from one peer address.
};

/// Accepts on a bound, listening socket and serves every connection until stop().
class HttpConnectionServer {
public:
    HttpConnectionServer(Poco::Net::ServerSocket socket, Poco::Net::HTTPServerParams::Ptr params,
                         HttpConnectionLimits limits, HttpRequestHandler handler);
    ~HttpConnectionServer();
    HttpConnectionServer(const HttpConnectionServer&) = delete;
    HttpConnectionServer& operator=(const HttpConnectionServer&) = delete;

    /// Starts the waiting thread and the workers.
    void start();

    /// Stops accepting and closes every waiting connection; lets the requests in hand finish
    /// for up to `grace`, then shuts the rest down, and joins every thread.
    void stop(Poco::Timespan grace);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tidings::kernel
