#include "smtp_connection.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/MD5Engine.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace tidings::smtp {

namespace {

constexpr std::size_t kMaxReplyLine = 4096;  // RFC 5321 allows 512; be lenient, not unbounded

Poco::Timespan toTimespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

bool hasNonAscii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 128; });
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

}  // namespace

void appendDataPayload(std::string& out, std::string_view data) {
    out.reserve(out.size() + data.size() + data.size() / 64 + 8);
    bool line_start = true;
    std::size_t i = 0;
    while (i < data.size()) {
        if (line_start && data[i] == '.') out.push_back('.');
        // Copy the run up to the next line-end character in one go: most of a message.
        const char* p = data.data() + i;
        const std::size_t left = data.size() - i;
        const void* nl = std::memchr(p, '\n', left);
        const void* cr = std::memchr(p, '\r', left);
        const char* stop = static_cast<const char*>(nl ? (cr && cr < nl ? cr : nl) : cr);
        if (!stop) {
            out.append(p, left);
            i = data.size();
            line_start = false;
            break;
        }
        out.append(p, static_cast<std::size_t>(stop - p));
        out += "\r\n";
        i += static_cast<std::size_t>(stop - p) + 1;
        if (*stop == '\r' && i < data.size() && data[i] == '\n') ++i;
        line_start = true;
    }
    if (!line_start) out += "\r\n";
    out += ".\r\n";
}

SmtpConnection::SmtpConnection(OpenKey, const ServerConfig& cfg, Poco::Net::StreamSocket socket)
    : last_used(std::chrono::steady_clock::now()), cfg_(cfg), socket_(std::move(socket)) {}

SmtpConnection::~SmtpConnection() {
    try {
        if (usable_) {
            static constexpr char kQuit[] = "QUIT\r\n";
            socket_.sendBytes(kQuit, sizeof(kQuit) - 1);
        }
        socket_.close();
    } catch (...) {  // the relay may already be gone; closing is best effort
    }
}

std::unique_ptr<SmtpConnection> SmtpConnection::open(const ServerConfig& cfg, Poco::Net::Context::Ptr tls) {
    const std::string where = cfg.host + ":" + std::to_string(cfg.port);
    Poco::Net::StreamSocket socket;
    try {
        socket.connect(Poco::Net::SocketAddress(cfg.host, static_cast<Poco::UInt16>(cfg.port)),
                       toTimespan(cfg.wait_timeout));
        socket.setNoDelay(true);
        socket.setReceiveTimeout(toTimespan(cfg.wait_timeout));
        socket.setSendTimeout(toTimespan(cfg.wait_timeout));
        if (cfg.tls == TlsMode::Implicit) socket = Poco::Net::SecureStreamSocket::attach(socket, cfg.host, tls);
    } catch (const Poco::Exception& e) {
        throw SmtpError(SmtpError::Kind::Io, 0, "smtp " + where + ": cannot connect: " + e.displayText());
    }
    auto conn = std::make_unique<SmtpConnection>(OpenKey{}, cfg, std::move(socket));
    conn->handshake(std::move(tls));
    return conn;
}

std::string SmtpConnection::where() const { return "smtp " + cfg_.host + ":" + std::to_string(cfg_.port); }

void SmtpConnection::fail(const std::string& what) {
    usable_ = false;
    throw SmtpError(SmtpError::Kind::Io, 0, where() + ": " + what);
}

void SmtpConnection::refuse(SmtpError::Kind kind, const std::string& what, const Reply& reply) {
    if (reply.code == 421) usable_ = false;  // the relay is closing the session (RFC 5321 3.8)
    throw SmtpError(kind, reply.code, where() + ": " + what + ": " + reply.describe());
}

void SmtpConnection::handshake(Poco::Net::Context::Ptr tls) {
    const Reply greeting = readReply();
    if (greeting.code != 220) {
        usable_ = false;
        refuse(SmtpError::Kind::Session, "greeting refused", greeting);
    }
    ehlo();
    if (cfg_.tls == TlsMode::StartTls) startTls(std::move(tls));
    if (cfg_.auth != AuthProtocol::None) authenticate();
}

void SmtpConnection::ehlo() {
    std::string hello = cfg_.hello_hostname;
    if (hello.empty()) {
        try {
            hello = Poco::Net::DNS::hostName();
        } catch (...) {
            hello = "localhost";
        }
    }
    Reply r = command("EHLO " + hello);
    pipelining_ = starttls_ = smtputf8_ = false;
    auth_mechanisms_.clear();
    if (r.code != 250) {
        // A relay without ESMTP: no extensions, so no pipelining and no STARTTLS/AUTH.
        r = command("HELO " + hello);
        if (r.code != 250) refuse(SmtpError::Kind::Session, "HELO refused", r);
        return;
    }
    // readReply joined the lines with "; "; the first is the greeting, the rest extensions.
    std::size_t pos = 0;
    while (pos <= r.text.size()) {
        const auto end = std::min(r.text.find("; ", pos), r.text.size());
        const std::string ext = upper(r.text.substr(pos, end - pos));
        if (ext == "PIPELINING") pipelining_ = true;
        else if (ext == "STARTTLS") starttls_ = true;
        else if (ext == "SMTPUTF8") smtputf8_ = true;
        else if (ext.rfind("AUTH ", 0) == 0 || ext.rfind("AUTH=", 0) == 0) auth_mechanisms_ += ext.substr(5) + " ";
        pos = end + 2;
    }
}

void SmtpConnection::startTls(Poco::Net::Context::Ptr tls) {
    if (!starttls_) {
        usable_ = false;
        throw SmtpError(SmtpError::Kind::Session, 0, where() + ": tls_type is STARTTLS but the relay does not offer it");
    }
    const Reply r = command("STARTTLS");
    if (r.code != 220) {
        usable_ = false;
        refuse(SmtpError::Kind::Session, "STARTTLS refused", r);
    }
    if (in_pos_ != in_.size()) fail("relay sent data before the TLS handshake");  // injection guard
    try {
        socket_ = Poco::Net::SecureStreamSocket::attach(socket_, cfg_.host, tls);
    } catch (const Poco::Exception& e) {
        fail("TLS handshake failed: " + e.displayText());
    }
    ehlo();  // RFC 3207: forget everything learnt before TLS
}

void SmtpConnection::authenticate() {
    const std::string& user = cfg_.username;
    const std::string& pass = cfg_.password;
    Reply r;
    switch (cfg_.auth) {
        case AuthProtocol::None:
            return;
        case AuthProtocol::Plain: {
            std::string token;
            token.push_back('\0');
            token += user;
            token.push_back('\0');
            token += pass;
            r = command("AUTH PLAIN " + base64Encode(token));
            break;
        }
        case AuthProtocol::Login:
            r = command("AUTH LOGIN");
            if (r.code == 334) r = command(base64Encode(user));
            if (r.code == 334) r = command(base64Encode(pass));
            break;
        case AuthProtocol::CramMd5:
            r = command("AUTH CRAM-MD5");
            if (r.code == 334) {
                Poco::HMACEngine<Poco::MD5Engine> hmac(pass);
                hmac.update(base64Decode(r.text));
                r = command(base64Encode(user + " " + Poco::DigestEngine::digestToHex(hmac.digest())));
            }
            break;
    }
    if (r.code == 334) {  // the relay wants more than this mechanism provides: cancel (RFC 4954)
        r = command("*");
    }
    if (r.code != 235) {
        // The session stays in step after a refused AUTH, but a relay that refuses the credentials
        // will refuse them again; the caller discards the connection.
        refuse(SmtpError::Kind::Session, "authentication failed", r);
    }
}

void SmtpConnection::send(const Envelope& env, std::string_view data) {
    if (!usable_) fail("connection is not usable");
    replied_ = false;
    const bool utf8 = hasNonAscii(env.sender) ||
                      std::any_of(env.recipients.begin(), env.recipients.end(), [](const std::string& r) {
                          return hasNonAscii(r);
                      });
    if (utf8 && !smtputf8_)
        throw SmtpError(SmtpError::Kind::Reply, 553,
                        where() + ": non-ASCII address but the relay does not offer SMTPUTF8");
    const std::string mail = "MAIL FROM:<" + env.sender + ">" + (utf8 ? " SMTPUTF8" : "");

    // Phase 1: envelope. With PIPELINING all commands go out in one write and the replies are
    // read afterwards, in order; every reply is read even after a refusal so the session stays
    // in step.
    Reply reset, mail_r, data_r;
    std::vector<Reply> rcpt_r;
    rcpt_r.reserve(env.recipients.size());
    const auto fail_first = [&]() -> const Reply* {
        if (mail_r.code / 100 != 2) return &mail_r;
        for (const auto& r : rcpt_r)
            if (r.code / 100 != 2) return &r;
        return nullptr;
    };
    if (pipelining_) {
        out_.clear();
        if (needs_reset_) out_ += "RSET\r\n";
        out_ += mail + "\r\n";
        for (const auto& r : env.recipients) out_ += "RCPT TO:<" + r + ">\r\n";
        out_ += "DATA\r\n";
        flush();
        if (needs_reset_) {
            reset = readReply();
            if (reset.code != 250) fail("RSET refused: " + reset.describe());
            needs_reset_ = false;
        }
        mail_r = readReply();
        for (std::size_t i = 0; i < env.recipients.size(); ++i) rcpt_r.push_back(readReply());
        data_r = readReply();
    } else {
        if (needs_reset_) {
            reset = command("RSET");
            if (reset.code != 250) fail("RSET refused: " + reset.describe());
            needs_reset_ = false;
        }
        mail_r = command(mail);
        if (mail_r.code / 100 == 2) {
            for (const auto& r : env.recipients) {
                rcpt_r.push_back(command("RCPT TO:<" + r + ">"));
                if (rcpt_r.back().code / 100 != 2) break;
            }
        }
        if (!fail_first()) data_r = command("DATA");
    }
    if (const Reply* bad = fail_first()) {
        // A 354 despite a refused recipient would deliver to the others: drop the connection
        // instead, which makes the relay discard the transaction.
        if (data_r.code == 354) usable_ = false;
        needs_reset_ = true;
        const std::string what = bad == &mail_r ? "MAIL FROM <" + env.sender + "> refused"
                                                : "RCPT TO <" + env.recipients[static_cast<std::size_t>(bad - rcpt_r.data())] + "> refused";
        refuse(SmtpError::Kind::Reply, what, *bad);
    }
    if (data_r.code != 354) {
        needs_reset_ = true;
        refuse(SmtpError::Kind::Reply, "DATA refused", data_r);
    }

    // Phase 2: content. The final reply ends the transaction whatever it says (RFC 5321 4.1.1.4),
    // so no RSET is needed before the next one. A failed write has not sent the final ".", so
    // the relay cannot have accepted anything; once it is out, a lost reply leaves the outcome
    // open (RFC 1047).
    out_.clear();
    appendDataPayload(out_, data);
    flush();
    Reply done;
    try {
        done = readReply();
    } catch (const SmtpError& e) {
        throw SmtpError(SmtpError::Kind::Unconfirmed, 0,
                        std::string(e.what()) + " after the message was sent in full; the relay may have accepted it");
    }
    if (done.code / 100 != 2) refuse(SmtpError::Kind::Reply, "message refused", done);
}

Reply SmtpConnection::command(std::string_view line) {
    out_.assign(line);
    out_ += "\r\n";
    flush();
    return readReply();
}

void SmtpConnection::flush() {
    try {
        std::size_t sent = 0;
        while (sent < out_.size()) {
            const int n = socket_.sendBytes(out_.data() + sent, static_cast<int>(out_.size() - sent));
            if (n <= 0) fail("connection closed while sending");
            sent += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception& e) {
        fail("send failed: " + e.displayText());
    }
}

std::string_view SmtpConnection::readLine() {
    for (;;) {
        const auto nl = in_.find('\n', in_pos_);
        if (nl != std::string::npos) {
            std::string_view line(in_.data() + in_pos_, nl - in_pos_);
            in_pos_ = nl + 1;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            return line;
        }
        if (in_.size() - in_pos_ > kMaxReplyLine) fail("reply line too long");
        // Compact, then read more. Replies are small, so this rarely moves anything.
        in_.erase(0, in_pos_);
        in_pos_ = 0;
        char buf[4096];
        int n = 0;
        try {
            n = socket_.receiveBytes(buf, sizeof buf);
        } catch (const Poco::TimeoutException&) {
            fail("timed out waiting for a reply");
        } catch (const Poco::Exception& e) {
            fail("receive failed: " + e.displayText());
        }
        if (n <= 0) fail("connection closed by the relay");
        in_.append(buf, static_cast<std::size_t>(n));
    }
}

Reply SmtpConnection::readReply() {
    // Lines of a multi-line reply are "250-text"; the last is "250 text" (RFC 5321 4.2.1).
    // readLine returns a view into in_, so copy before reading the next line.
    Reply reply;
    for (;;) {
        const std::string_view line = readLine();
        if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
            !std::isdigit(static_cast<unsigned char>(line[1])) || !std::isdigit(static_cast<unsigned char>(line[2])) ||
            (line.size() > 3 && line[3] != ' ' && line[3] != '-'))
            fail("malformed reply: " + std::string(line.substr(0, 80)));
        const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        if (reply.code != 0 && code != reply.code) fail("inconsistent multi-line reply");
        reply.code = code;
        if (!reply.text.empty()) reply.text += "; ";
        if (line.size() > 4) reply.text.append(line.substr(4));
        if (line.size() <= 3 || line[3] == ' ') break;
    }
    replied_ = true;
    return reply;
}

}  // namespace tidings::smtp
