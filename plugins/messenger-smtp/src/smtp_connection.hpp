// One SMTP client session over a Poco socket: connect, greeting, EHLO, STARTTLS or implicit TLS,
// AUTH (PLAIN, LOGIN, CRAM-MD5), then any number of mail transactions.
//
// Written on StreamSocket instead of Poco::Net::SMTPClientSession because the latter cannot
// pipeline: with ESMTP PIPELINING (RFC 2920) MAIL FROM, RCPT TO and DATA go out in one write and
// a message costs two round trips instead of four (DESIGN.md measured ~2,300 vs ~9,000 msg/s).
// Every socket has TCP_NODELAY: with Nagle each command waits for a delayed ACK.
//
// Not thread-safe: a connection belongs to one caller at a time (the pool hands it out).
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Poco/Net/Context.h>
#include <Poco/Net/StreamSocket.h>

#include "mime_composer.hpp"
#include "smtp_settings.hpp"

namespace tidings::smtp {

/// A failed SMTP exchange.
class SmtpError : public std::runtime_error {
public:
    enum class Kind {
        Io,       ///< connect/read/write failure or timeout, garbled reply: the connection is dead
        Reply,    ///< the relay answered a transaction command with 4xx/5xx
        Session,  ///< the relay refused the session set-up (greeting, EHLO, STARTTLS, AUTH)
        PoolWait, ///< no connection became free within wait_timeout
        /// The message went out in full, final "." included, and then the connection broke or
        /// timed out before the relay answered: it may have accepted the message. The connection
        /// is dead. Sending the message again may deliver it twice.
        Unconfirmed,
    };
    SmtpError(Kind kind, int code, const std::string& message)
        : std::runtime_error(message), kind_(kind), code_(code) {}
    Kind kind() const noexcept { return kind_; }
    int code() const noexcept { return code_; }  ///< SMTP reply code, 0 when none
    bool permanent() const noexcept { return code_ >= 500 && code_ < 600; }

private:
    Kind kind_;
    int code_;
};

/// A complete (possibly multi-line) SMTP reply.
struct Reply {
    int code = 0;
    std::string text;  ///< all lines, joined with "; ", without the codes
    std::string describe() const { return std::to_string(code) + " " + text; }
};

/// Appends message `data` as the DATA payload: every line end made CRLF, lines beginning with
/// '.' doubled (RFC 5321 4.5.2), a CRLF added if missing, then the ".\r\n" terminator.
void appendDataPayload(std::string& out, std::string_view data);

class SmtpConnection {
public:
    /// Opens a session to `cfg`'s relay. `tls` is the client context used for STARTTLS and
    /// implicit TLS (may be null when cfg.tls is None). Throws SmtpError (Io or Session).
    static std::unique_ptr<SmtpConnection> open(const ServerConfig& cfg, Poco::Net::Context::Ptr tls);

    SmtpConnection(const SmtpConnection&) = delete;
    SmtpConnection& operator=(const SmtpConnection&) = delete;
    /// Sends QUIT without waiting for the answer and closes the socket.
    ~SmtpConnection();

    /// Runs one mail transaction. Throws SmtpError: Reply when the relay refused the message
    /// (the connection stays usable unless usable() says otherwise; a 421 closes it), Io when the
    /// connection broke before the message was sent in full (nothing can have been accepted),
    /// Unconfirmed when it broke after that but before the relay's answer.
    void send(const Envelope& envelope, std::string_view data);

    /// False once the session is out of step (I/O error, unread replies): never reuse it then.
    bool usable() const noexcept { return usable_; }
    bool pipelining() const noexcept { return pipelining_; }
    /// True once a reply was read for the current transaction: a failure before that on a
    /// reused connection usually means the relay closed it while it sat idle.
    bool repliedInTransaction() const noexcept { return replied_; }

    std::chrono::steady_clock::time_point last_used;

private:
    struct OpenKey {
        explicit OpenKey() = default;
    };

public:
    /// Use open(); public only so std::make_unique can reach it (OpenKey keeps others out).
    SmtpConnection(OpenKey, const ServerConfig& cfg, Poco::Net::StreamSocket socket);

private:

    void handshake(Poco::Net::Context::Ptr tls);
    void ehlo();
    void authenticate();
    void startTls(Poco::Net::Context::Ptr tls);

    Reply command(std::string_view line);  ///< writes line + CRLF, flushes, reads the reply
    Reply readReply();
    std::string_view readLine();
    void flush();
    [[noreturn]] void fail(const std::string& what);
    [[noreturn]] void refuse(SmtpError::Kind kind, const std::string& what, const Reply& reply);
    std::string where() const;

    const ServerConfig& cfg_;  // owned by the pool, which outlives its connections
    Poco::Net::StreamSocket socket_;
    std::string out_;
    std::string in_;
    std::size_t in_pos_ = 0;
    bool usable_ = true;
    bool replied_ = false;
    bool needs_reset_ = false;
    bool pipelining_ = false;
    bool starttls_ = false;
    bool smtputf8_ = false;
    std::string auth_mechanisms_;
};

}  // namespace tidings::smtp
