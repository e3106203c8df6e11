#include "kernel/http/http_connection.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPChunkedStream.h>
#include <Poco/Net/HTTPFixedLengthStream.h>
#include <Poco/Net/HTTPHeaderStream.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timestamp.h>

#include "kernel/core/json_writer.hpp"
#include "kernel/http/request_head.hpp"

namespace tidings::kernel {
namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPMessage;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerParams;
using Poco::Net::HTTPServerSession;
using Poco::Net::SocketAddress;

/// The most a request head (request line and header fields) may take; Poco's parser allows
/// about 850 KB in 100 fields, more than any client this serves sends.
constexpr std::size_t kMaxHeadBytes = 64 * 1024;

Clock::duration toDuration(const Poco::Timespan& span) { return std::chrono::microseconds(span.totalMicroseconds()); }

/// Poco's server session, with how many bytes it has read ahead of the request it served: a
/// connection goes back to waiting only when none are, or the next request would be lost.
class WorkerSession final : public HTTPServerSession {
public:
    using HTTPServerSession::HTTPServerSession;
    using HTTPServerSession::buffered;
};

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

/// Where a request head ends in `text` (the index after its blank line), searching from `from`.
std::optional<std::size_t> headEnd(const std::string& text, std::size_t from) {
    const std::size_t lf = text.find("\n\n", from);
    const std::size_t crlf = text.find("\n\r\n", from);
    if (lf == std::string::npos && crlf == std::string::npos) return std::nullopt;
    if (crlf == std::string::npos || (lf != std::string::npos && lf < crlf)) return lf + 2;
    return crlf + 3;
}

/// Parses a complete head (request line, fields, blank line) into `request`.
HeadRead parseHead(const std::string& head, Poco::Net::HTTPRequest& request, HeadError& error) {
    if (head.size() > kMaxHeadBytes) {
        error = {431, "request head larger than " + std::to_string(kMaxHeadBytes) + " bytes"};
        return HeadRead::Refused;
    }
    const std::size_t eol = head.find('\n');
    if (eol == std::string::npos) return HeadRead::Closed;
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

/// Reads the next request's head from the session (a pipelined request the session already
/// holds bytes of), or why it is refused into `error`. Closed: the connection ended or failed
/// before a whole head arrived, and there is no one to answer.
HeadRead readHead(HTTPServerSession& session, Poco::Net::HTTPRequest& request, HeadError& error) {
    // Reads line by line and stops at the blank line, so not a byte of the body is consumed.
    Poco::Net::HTTPHeaderInputStream in(session);
    std::string head;
    for (int ch; (ch = in.get()) != std::char_traits<char>::eof();) {
        head.push_back(static_cast<char>(ch));
        if (head.size() > kMaxHeadBytes) return parseHead(head, request, error);
    }
    // A stream error is a socket error or a timeout: Poco's session keeps it, nothing to answer.
    const bool complete = head.size() >= 2 && head.back() == '\n' && (head.size() == 2 || head[head.size() - 3] == '\n');
    if (in.bad() || !complete) return HeadRead::Closed;
    return parseHead(head, request, error);
}

}  // namespace

struct HttpConnectionServer::Impl {
    /// One open connection, owned by the waiting thread or by one worker at a time.
    struct Connection {
        Connection(Impl& owner, Poco::Net::StreamSocket s, std::string peer)
            : impl(owner), socket(std::move(s)), address(std::move(peer)) {}
        ~Connection() {
            try {
                socket.close();
            } catch (const Poco::Exception&) {
            }
            impl.forget(address);
        }
        Connection(const Connection&) = delete;
        Connection& operator=(const Connection&) = delete;

        Impl& impl;
        Poco::Net::StreamSocket socket;
        std::string address;
        std::string head;            ///< The bytes of the next request head received so far.
        bool head_started = false;   ///< Whether the head timer runs (else the idle timer).
        Clock::time_point deadline;  ///< When the connection is closed if no whole head arrived.
    };
    using ConnectionPtr = std::unique_ptr<Connection>;

    Poco::Net::ServerSocket listener;
    HTTPServerParams::Ptr params;
    HttpConnectionLimits limits;
    HttpRequestHandler handler;

    std::thread waiter;
    std::vector<std::thread> workers;
    int wake_pipe[2] = {-1, -1};
    std::atomic<bool> stop_waiting{false};

    std::mutex mutex;  // guards everything below
    std::condition_variable work_ready;
    std::condition_variable work_done;
    std::deque<ConnectionPtr> ready;         ///< Heads complete, waiting for a worker.
    std::vector<ConnectionPtr> returned;     ///< Back from workers, for the waiting thread.
    std::map<std::string, std::size_t> per_address;
    std::size_t open = 0;
    std::set<Connection*> serving;           ///< On a worker now.
    bool stop_workers = false;
    bool aborting = false;
    Clock::time_point last_refusal_log{};

    Impl(Poco::Net::ServerSocket s, HTTPServerParams::Ptr p, HttpConnectionLimits l, HttpRequestHandler h)
        : listener(std::move(s)), params(std::move(p)), limits(l), handler(std::move(h)) {}

    void forget(const std::string& address) {
        std::lock_guard<std::mutex> lock(mutex);
        --open;
        auto it = per_address.find(address);
        if (it != per_address.end() && --it->second == 0) per_address.erase(it);
    }

    void wake() {
        const char byte = 1;
        [[maybe_unused]] auto n = ::write(wake_pipe[1], &byte, 1);
    }

    // ---- the waiting thread ----

    enum class Progress { Waiting, Ready, Closed };

    /// Takes in what arrived on a waiting connection without reading past its head.
    Progress advance(Connection& c, Clock::time_point now) {
        char buffer[8192];
        const int fd = c.socket.impl()->sockfd();
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0) return Progress::Closed;
        if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? Progress::Waiting : Progress::Closed;
        if (!c.head_started) {
            c.head_started = true;
            c.deadline = now + toDuration(limits.head_timeout);
        }
        const std::size_t before = c.head.size();
        c.head.append(buffer, static_cast<std::size_t>(n));
        const auto end = headEnd(c.head, before >= 2 ? before - 2 : 0);
        // Consume only up to the end of the head: the body stays in the socket for the worker.
        const std::size_t take = end ? *end - before : static_cast<std::size_t>(n);
        c.head.resize(before);
        c.head.resize(before + take);
        std::size_t got = 0;
        while (got < take) {
            const ssize_t r = ::recv(fd, c.head.data() + before + got, take - got, MSG_DONTWAIT);
            if (r <= 0) return Progress::Closed;  // the peeked bytes are there; anything else is a failure
            got += static_cast<std::size_t>(r);
        }
        if (end || c.head.size() > kMaxHeadBytes) return Progress::Ready;
        return Progress::Waiting;
    }

    /// Answers a connection over a limit with a 503 and closes it, without waiting on it.
    void refuseConnection(int fd, const std::string& peer, const char* why) {
        static const std::string body = "{\"message\":\"too many connections, try again later\"}";
        static const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                                          "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
                                          std::to_string(body.size()) + "\r\n\r\n" + body;
        [[maybe_unused]] auto n = ::send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        ::shutdown(fd, SHUT_WR);
        ::close(fd);
        const auto now = Clock::now();
        bool log = false;
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (now - last_refusal_log > std::chrono::seconds(10)) {
                last_refusal_log = now;
                log = true;
            }
        }
        // At most one line per 10 s: a flood of refused connections must not become a flood of log.
        if (log) Poco::Logger::get("tidings.http").warning("refused connections from %s: %s (logged once per 10 s)", peer, std::string(why));
    }

    void acceptAll(std::vector<ConnectionPtr>& waiting, Clock::time_point now) {
        for (;;) {
            sockaddr_storage addr{};
            socklen_t len = sizeof addr;
            const int fd = ::accept4(listener.impl()->sockfd(), reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK) {
                    // Out of file descriptors, most likely: let closing connections free some.
                    Poco::Logger::get("tidings.http").warning("accept failed: %s", std::string(std::strerror(errno)));
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
                return;
            }
            std::string peer;
            try {
                peer = SocketAddress(reinterpret_cast<const sockaddr*>(&addr), len).host().toString();
            } catch (const Poco::Exception&) {
                peer = "unknown";
            }
            const char* over = nullptr;
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (limits.max_connections && open >= limits.max_connections) {
                    over = "http.max_connections reached";
                } else if (limits.max_per_address && per_address[peer] >= limits.max_per_address) {
                    over = "http.max_connections_per_address reached";
                } else {
                    ++open;
                    ++per_address[peer];
                }
                if (over && per_address[peer] == 0) per_address.erase(peer);
            }
            if (over) {
                refuseConnection(fd, peer, over);
                continue;
            }
            auto c = std::make_unique<Connection>(*this, Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(fd)), peer);
            // The head timer starts at the connection, as nginx's client_header_timeout does.
            c->head_started = true;
            c->deadline = now + toDuration(limits.head_timeout);
            waiting.push_back(std::move(c));
        }
    }

    void waitLoop() {
        std::vector<ConnectionPtr> waiting;
        std::vector<pollfd> fds;
        while (!stop_waiting) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                for (auto& c : returned) waiting.push_back(std::move(c));
                returned.clear();
            }
            fds.clear();
            fds.push_back({listener.impl()->sockfd(), POLLIN, 0});
            fds.push_back({wake_pipe[0], POLLIN, 0});
            auto now = Clock::now();
            auto next = now + std::chrono::seconds(1);
            for (const auto& c : waiting) {
                fds.push_back({c->socket.impl()->sockfd(), POLLIN, 0});
                next = std::min(next, c->deadline);
            }
            const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
            const int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, wait_ms)));
            if (n < 0 && errno != EINTR) {
                Poco::Logger::get("tidings.http").error("poll failed: %s", std::string(std::strerror(errno)));
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                continue;
            }
            if (n <= 0 && wait_ms > 0 && next > Clock::now()) continue;
            now = Clock::now();
            if (fds[1].revents) {
                char drain[256];
                while (::read(wake_pipe[0], drain, sizeof drain) > 0) {
                }
            }
            std::vector<ConnectionPtr> still;
            still.reserve(waiting.size());
            std::vector<ConnectionPtr> handed;
            for (std::size_t i = 0; i < waiting.size(); ++i) {
                ConnectionPtr& c = waiting[i];
                Progress p = Progress::Waiting;
                if (fds[i + 2].revents) p = advance(*c, now);
                if (p == Progress::Waiting && now >= c->deadline) p = Progress::Closed;  // too slow or idle too long
                if (p == Progress::Ready) {
                    handed.push_back(std::move(c));
                } else if (p == Progress::Waiting) {
                    still.push_back(std::move(c));
                }  // Closed: the connection goes here
            }
            waiting.clear();
            waiting.swap(still);
            if (!handed.empty()) {
                std::lock_guard<std::mutex> lock(mutex);
                for (auto& c : handed) ready.push_back(std::move(c));
                work_ready.notify_all();
            }
            handed.clear();
            if (fds[0].revents) acceptAll(waiting, now);
        }
        waiting.clear();
        std::vector<ConnectionPtr> back;
        {
            std::lock_guard<std::mutex> lock(mutex);
            back.swap(returned);
        }
        back.clear();  // outside the lock: closing a connection takes it
    }

    // ---- the workers ----

    void workLoop() {
        for (;;) {
            ConnectionPtr c;
            {
                std::unique_lock<std::mutex> lock(mutex);
                work_ready.wait(lock, [&] { return stop_workers || !ready.empty(); });
                if (stop_workers) return;
                c = std::move(ready.front());
                ready.pop_front();
                serving.insert(c.get());
            }
            const bool keep = serve(*c);
            {
                std::lock_guard<std::mutex> lock(mutex);
                serving.erase(c.get());
                work_done.notify_all();
            }
            if (!keep || stop_waiting) {
                c.reset();
                continue;
            }
            c->head.clear();
            c->head_started = false;
            c->deadline = Clock::now() + toDuration(limits.idle_timeout);
            {
                std::lock_guard<std::mutex> lock(mutex);
                returned.push_back(std::move(c));
            }
            wake();
        }
    }

    /// Serves the request whose head the connection holds, and any the client pipelined after
    /// it; true when the connection goes back to waiting for the next.
    bool serve(Connection& c) {
        try {
            c.socket.setBlocking(true);
            c.socket.setReceiveTimeout(limits.io_timeout);
            c.socket.setSendTimeout(limits.io_timeout);
            WorkerSession session(c.socket, params);
            bool keep = serveOne(session, c, &c.head);
            while (keep && session.buffered() > 0) keep = serveOne(session, c, nullptr);
            if (!keep) return false;
            c.socket = session.detachSocket();
            return true;
        } catch (const Poco::Exception&) {
            // The socket failed or timed out: the client is gone or too slow; nothing to tell it.
            return false;
        }
    }

    /// Serves one request; false when the connection must close.
    bool serveOne(HTTPServerSession& session, Connection& c, const std::string* head) {
        Poco::Net::HTTPServerResponseImpl response(session);
        CheckedRequest request(response, *params);
        HeadError error;
        HeadRead got = head ? parseHead(*head, request, error) : readHead(session, request, error);
        if (got == HeadRead::Closed) return false;
        std::optional<std::int64_t> length;
        if (got == HeadRead::Ok) {
            if (auto refused = checkFields(request, length)) {
                error = *refused;
                got = HeadRead::Refused;
            }
        }
        if (got == HeadRead::Refused) {
            refuse(c, response, error);
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
        response.setKeepAlive(params->getKeepAlive() && request.getKeepAlive());
        // No 1xx for an HTTP/1.0 client (RFC 9110, 15.2).
        if (request.getExpectContinue() && request.getVersion() == HTTPMessage::HTTP_1_1) response.sendContinue();
        handler(request, response);
        // A body the handler left unread would be taken for the next request: close instead.
        const bool body_done = length.value_or(0) == 0 && !request.getChunkedTransferEncoding() ? true : request.stream().eof();
        return params->getKeepAlive() && response.getKeepAlive() && body_done;
    }

    /// Answers a malformed request with `error` as JSON and prepares to close: what follows the
    /// head cannot be told apart from the next request.
    void refuse(Connection& c, Poco::Net::HTTPServerResponseImpl& response, const HeadError& error) {
        Poco::Logger::get("tidings.http").warning("refused a request from %s: %?d %s", c.address, error.status, error.message);
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
        lingeringClose(c.socket);
    }

    /// Closing with unread input makes the kernel reset the connection, which can destroy the
    /// answer before the client reads it; so stop sending, then read and drop what the client
    /// still sends, for a short while and a bounded amount, before the socket is closed.
    static void lingeringClose(Poco::Net::StreamSocket& socket) {
        try {
            socket.shutdownSend();
            socket.setReceiveTimeout(Poco::Timespan(1, 0));
            char buffer[4096];
            std::size_t budget = 256 * 1024;
            for (int n; budget > 0 && (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) {
                budget -= std::min(budget, static_cast<std::size_t>(n));
            }
        } catch (const Poco::Exception&) {
            // A timeout or a reset: the close goes ahead either way.
        }
    }
};

HttpConnectionServer::HttpConnectionServer(Poco::Net::ServerSocket socket, HTTPServerParams::Ptr params,
                                           HttpConnectionLimits limits, HttpRequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(socket), std::move(params), limits, std::move(handler))) {}

HttpConnectionServer::~HttpConnectionServer() { stop(Poco::Timespan(0)); }

void HttpConnectionServer::start() {
    if (::pipe2(impl_->wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0) throw Poco::IOException("cannot create a pipe");
    impl_->listener.setBlocking(false);
    for (int i = 0; i < std::max(1, impl_->limits.threads); ++i) impl_->workers.emplace_back([this] { impl_->workLoop(); });
    impl_->waiter = std::thread([this] { impl_->waitLoop(); });
}

void HttpConnectionServer::stop(Poco::Timespan grace) {
    Impl& impl = *impl_;
    if (!impl.waiter.joinable() && impl.workers.empty()) return;
    impl.stop_waiting = true;
    if (impl.waiter.joinable()) {
        impl.wake();
        impl.waiter.join();
    }
    try {
        impl.listener.close();
    } catch (const Poco::Exception&) {
    }
    {
        std::unique_lock<std::mutex> lock(impl.mutex);
        impl.work_done.wait_for(lock, toDuration(grace), [&] { return impl.ready.empty() && impl.serving.empty(); });
        impl.stop_workers = true;
        for (auto* c : impl.serving) {
            try {
                c->socket.shutdown();
            } catch (const Poco::Exception&) {
            }
        }
        impl.work_ready.notify_all();
    }
    for (auto& t : impl.workers) t.join();
    impl.workers.clear();
    std::deque<Impl::ConnectionPtr> left;
    std::vector<Impl::ConnectionPtr> back;
    {
        std::lock_guard<std::mutex> lock(impl.mutex);
        left.swap(impl.ready);
        back.swap(impl.returned);
    }
    left.clear();
    back.clear();
    for (int& fd : impl.wake_pipe) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
}

}  // namespace tidings::kernel
