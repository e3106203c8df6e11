// The HTTP/1.1 connection loop, in place of Poco's HTTPServerConnection: the same loop over
// Poco's session, response and body streams, but each request head is read by the kernel and
// checked against request_head.hpp before anything is dispatched. Poco's own parser serves
// "GET /a OR 1=1 HTTP/1.1" as GET /a with "OR" echoed as the status line's version, serves any
// version, and drops the connection without an answer on a Content-Length it cannot read; here
// each of those is answered with a 4xx (or 505) naming the problem, and logged.
#pragma once

#include <functional>

#include <Poco/BasicEvent.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

namespace tidings::kernel {

/// Serves one well-formed request. Called on the connection's thread; answers through the
/// response and never throws.
using HttpRequestHandler = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

/// Makes a connection for each socket Poco's TCPServer accepts; the server owns the factory and
/// outlives every connection it made.
class HttpConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    HttpConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, HttpRequestHandler handler);

    /// Poco takes ownership of the connection and deletes it when the client is done.
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

    /// Ends every open connection: with `abort_current`, at once (shutting its socket down);
    /// otherwise each after the request it is serving. Call after TCPServer::stop().
    void stopAll(bool abort_current);

    /// Raised by stopAll(); connections subscribe for their lifetime.
    Poco::BasicEvent<const bool> stopping;

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    HttpRequestHandler handler_;
};

}  // namespace tidings::kernel
