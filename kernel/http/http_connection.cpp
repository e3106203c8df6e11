#include "kernel/http/http_connection.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <Poco/Delegate.h>
#include <Poco/Logger.h>
#include <Poco/Mutex.h>
#include <Poco/Net/HTTPChunkedStream.h>
#include <Poco/Net/HTTPFixedLengthStream.h>
#include <Poco/Net/HTTPHeaderStream.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Timestamp.h>

#include "kernel/core/json_writer.hpp"
#include "kernel/http/request_head.hpp"

namespace tidings::kernel {
namespace {

using Poco::Net::HTTPMessage;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerParams;
using Poco::Net::HTTPServerSession;
using Poco::Net::SocketAddress;

/// The most a request head (request line and header fields) may take; Poco's parser allows
/// about 850 KB in 100 fields, more than any client this serves sends.
constexpr std::size_t kMaxHeadBytes = 64 * 1024;

/// A request whose head the kernel read and checked, its body streaming from the session.
class CheckedRequest final : public Poco::Net::HTTPServerRequest {
public:
    CheckedRequest(Poco::Net::HTTPServerResponse& response, const HTTPServerParams& params)
        : response_(response), params_(params) {}

    /// Once the head is read: the peer's addresses and the body (an empty one when none).
    void attach(HTTPServerSession& session, std::unique_ptr<std::istream> body) {
        client_ = session.clientAddress();
        server_ = session.serverAddress();
        body_ = std::move(body);
    }

    std::istream& stream() override { return *body_; }
    const SocketAddress& clientAddress() const override { return client_; }
    const SocketAddress& serverAddress() const override { return server_; }
    const HTTPServerParams& serverParams() const override { return params_; }
    Poco::Net::HTTPServerResponse& response() const override { return response_; }
    bool secure() const override { return false; }

private:
    Poco::Net::HTTPServerResponse& response_;
    const HTTPServerParams& params_;
    SocketAddress client_;
    SocketAddress server_;
    std::unique_ptr<std::istream> body_;
};

enum class HeadRead { Ok, Closed, Refused };

/// Reads the next request's head into `request`, or why it is refused into `error`. Closed:
/// the connection ended or failed before a whole head arrived, and there is no one to answer.
HeadRead readHead(HTTPServerSession& session, Poco::Net::HTTPRequest& request, HeadError& error) {
    // Reads line by line and stops at the blank line, so not a byte of the body is consumed.
    Poco::Net::HTTPHeaderInputStream in(session);
    std::string head;
    for (int ch; (ch = in.get()) != std::char_traits<char>::eof();) {
        head.push_back(static_cast<char>(ch));
        if (head.size() > kMaxHeadBytes) {
            error = {431, "request head larger than " + std::to_string(kMaxHeadBytes) + " bytes"};
            return HeadRead::Refused;
        }
    }
    // A stream error is a socket error or a timeout: Poco's session keeps it, nothing to answer.
    const bool complete = head.size() >= 2 && head.back() == '\n' && (head.size() == 2 || head[head.size() - 3] == '\n');
    if (in.bad() || !complete) return HeadRead::Closed;

    const std::size_t eol = head.find('\n');
    std::string_view line(head.data(), eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    RequestLine parsed;
    if (auto refused = parseRequestLine(line, parsed)) {
        error = *refused;
        return HeadRead::Refused;
    }
    std::istringstream fields(head.substr(eol + 1));
    try {
        request.Poco::Net::MessageHeader::read(fields);
    } catch (const Poco::Net::MessageException& e) {
        error = {400, "malformed header field: " + e.message()};
        return HeadRead::Refused;
    }
    request.setMethod(parsed.method);
    request.setURI(parsed.target);
    request.setVersion(parsed.version);
    return HeadRead::Ok;
}

/// One connection: requests in turn until the client or the server ends it.
class HttpConnection final : public Poco::Net::TCPServerConnection {
public:
    HttpConnection(const Poco::Net::StreamSocket& socket, HTTPServerParams::Ptr params, const HttpRequestHandler& handler,
                   HttpConnectionFactory& factory)
        : TCPServerConnection(socket), params_(std::move(params)), handler_(handler), factory_(factory) {
        factory_.stopping += Poco::delegate(this, &HttpConnection::onStopping);
    }
    ~HttpConnection() override { factory_.stopping -= Poco::delegate(this, &HttpConnection::onStopping); }

    void run() override {
        HTTPServerSession session(socket(), params_);
        try {
            while (!stopped_ && session.hasMoreRequests()) {
                Poco::FastMutex::ScopedLock lock(mutex_);  // a gentle stop waits for the request in hand
                if (stopped_ || !serveOne(session)) break;
            }
        } catch (const Poco::Exception&) {
            // The socket failed or timed out: the client is gone or too slow; nothing to tell it.
        }
    }

private:
    /// Serves one request; false when the connection must close.
    bool serveOne(HTTPServerSession& session) {
        Poco::Net::HTTPServerResponseImpl response(session);
        CheckedRequest request(response, *params_);
        HeadError error;
        HeadRead got = readHead(session, request, error);
        if (got == HeadRead::Closed) return false;
        std::optional<std::int64_t> length;
        if (got == HeadRead::Ok) {
            if (auto refused = checkFields(request, length)) {
                error = *refused;
                got = HeadRead::Refused;
            }
        }
        if (got == HeadRead::Refused) {
            refuse(response, error);
            return false;
        }

        std::unique_ptr<std::istream> body;
        if (request.getChunkedTransferEncoding()) {
            body = std::make_unique<Poco::Net::HTTPChunkedInputStream>(session);
        } else {
            // RFC 9112: without Content-Length or chunked coding, a request has no body.
            body = std::make_unique<Poco::Net::HTTPFixedLengthInputStream>(session, length.value_or(0));
        }
        request.attach(session, std::move(body));
        response.setDate(Poco::Timestamp());
        // The status line always speaks HTTP/1.1, whichever of 1.0 and 1.1 the client used.
        response.setVersion(HTTPMessage::HTTP_1_1);
        response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() && session.canKeepAlive());
        // No 1xx for an HTTP/1.0 client (RFC 9110, 15.2).
        if (request.getExpectContinue() && request.getVersion() == HTTPMessage::HTTP_1_1) response.sendContinue();
        handler_(request, response);
        session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive());
        return true;
    }

    /// Answers a malformed request with `error` as JSON and prepares to close: what follows the
    /// head cannot be told apart from the next request.
    void refuse(Poco::Net::HTTPServerResponseImpl& response, const HeadError& error) {
        std::string peer = "unknown peer";
        try {
            peer = socket().peerAddress().toString();
        } catch (const Poco::Exception&) {
        }
        Poco::Logger::get("tidings.http").warning("refused a request from %s: %?d %s", peer, error.status, error.message);
        JsonWriter w;
        w.beginObject().key("message").value(error.message).endObject();
        const std::string body = w.take();
        const auto status = static_cast<HTTPResponse::HTTPStatus>(error.status);
        response.setVersion(HTTPMessage::HTTP_1_1);
        response.setStatusAndReason(status, HTTPResponse::getReasonForStatus(status));
        response.setDate(Poco::Timestamp());
        response.setKeepAlive(false);
        response.set("X-Content-Type-Options", "nosniff");
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength64(static_cast<Poco::Int64>(body.size()));
        response.send().write(body.data(), static_cast<std::streamsize>(body.size())).flush();
        lingeringClose();
    }

    /// Closing with unread input makes the kernel reset the connection, which can destroy the
    /// answer before the client reads it; so stop sending, then read and drop what the client
    /// still sends, for a short while and a bounded amount, before the socket is closed.
    void lingeringClose() {
        try {
            socket().shutdownSend();
            socket().setReceiveTimeout(Poco::Timespan(1, 0));
            char buffer[4096];
            std::size_t budget = 256 * 1024;
            for (int n; budget > 0 && (n = socket().receiveBytes(buffer, sizeof buffer)) > 0;) {
                budget -= std::min(budget, static_cast<std::size_t>(n));
            }
        } catch (const Poco::Exception&) {
            // A timeout or a reset: the close goes ahead either way.
        }
    }

    void onStopping(const bool& abort_current) {
        stopped_ = true;
        if (abort_current) {
            try {
                socket().shutdown();
            } catch (const Poco::Exception&) {
            }
            return;
        }
        Poco::FastMutex::ScopedLock lock(mutex_);  // after the request being served, if any
        try {
            socket().shutdown();
        } catch (const Poco::Exception&) {
        }
    }

    HTTPServerParams::Ptr params_;
    const HttpRequestHandler& handler_;
    HttpConnectionFactory& factory_;
    std::atomic<bool> stopped_{false};
    Poco::FastMutex mutex_;
};

}  // namespace

HttpConnectionFactory::HttpConnectionFactory(HTTPServerParams::Ptr params, HttpRequestHandler handler)
    : params_(std::move(params)), handler_(std::move(handler)) {}

Poco::Net::TCPServerConnection* HttpConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
    return std::make_unique<HttpConnection>(socket, params_, handler_, *this).release();
}

void HttpConnectionFactory::stopAll(bool abort_current) { stopping(this, abort_current); }

}  // namespace tidings::kernel
