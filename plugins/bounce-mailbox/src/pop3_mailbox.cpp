#include "pop3_mailbox.hpp"

#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/HMACEngine.h>
#include <Poco/MD5Engine.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

namespace tidings::mailbox {
namespace {

// A stalled server must not hold the scanner (and the plugin's stop()) for long.
const Poco::Timespan kTimeout(30, 0);

Poco::Net::StreamSocket connect(const MailboxConfig& config, const Poco::Net::Context::Ptr& tls) {
    const Poco::Net::SocketAddress address(config.host, static_cast<Poco::UInt16>(config.port));
    Poco::Net::StreamSocket socket;
    socket.connect(address, kTimeout);
    socket.setNoDelay(true);
    if (config.tls_enabled) socket = Poco::Net::SecureStreamSocket::attach(socket, config.host, tls);
    socket.setReceiveTimeout(kTimeout);
    socket.setSendTimeout(kTimeout);
    return socket;
}

// One CRLF-terminated line, read a byte at a time so that nothing after it is consumed.
std::string readLine(Poco::Net::StreamSocket& socket) {
    constexpr std::size_t kMaxLine = 512;  // RFC 1939 allows 512 octets per response line
    std::string line;
    char c = 0;
    while (line.size() < kMaxLine && socket.receiveBytes(&c, 1) == 1) {
        if (c == '\n') break;
        if (c != '\r') line += c;
    }
    return line;
}

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

std::string unbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string out;
    Poco::StreamCopier::copyToString(decoder, out);
    return out;
}

}  // namespace

Pop3Mailbox::Pop3Mailbox(const MailboxConfig& config, Poco::Net::Context::Ptr tls) {
    Poco::Net::StreamSocket socket = connect(config, tls);
    // POP3ClientSession::login reads the server's greeting itself; every other way in must read
    // it first, before the session's own buffering starts.
    if (config.auth != AuthProtocol::UserPass) {
        const std::string greeting = readLine(socket);
        if (greeting.rfind("+OK", 0) != 0) throw Poco::Net::POP3Exception("the POP3 service is unavailable", greeting);
    }
    session_ = std::make_unique<Poco::Net::POP3ClientSession>(socket);
    session_->setTimeout(kTimeout);
    if (config.auth == AuthProtocol::UserPass) session_->login(config.username, config.password);
    else if (config.auth == AuthProtocol::Cram) loginCramMd5(config.username, config.password);
}

Pop3Mailbox::~Pop3Mailbox() = default;

void Pop3Mailbox::loginCramMd5(const std::string& username, const std::string& password) {
    // POP3ClientSession speaks only USER/PASS; CRAM-MD5 (RFC 2195 over RFC 5034 AUTH) keeps the
    // password off the wire when TLS is not available.
    std::string response;
    if (!session_->sendCommand("AUTH CRAM-MD5", response) && response.rfind("+ ", 0) != 0)
        throw Poco::Net::POP3Exception("the server does not offer CRAM-MD5", response);
    const std::string challenge = unbase64(response.substr(2));
    Poco::HMACEngine<Poco::MD5Engine> hmac(password);
    hmac.update(challenge);
    const std::string answer = base64(username + " " + Poco::DigestEngine::digestToHex(hmac.digest()));
    if (!session_->sendCommand(answer, response))
        throw Poco::Net::POP3Exception("CRAM-MD5 login refused", response);
}

std::vector<WaitingMessage> Pop3Mailbox::list() {
    Poco::Net::POP3ClientSession::MessageInfoVec infos;
    session_->listMessages(infos);
    std::vector<WaitingMessage> out;
    out.reserve(infos.size());
    for (const auto& info : infos) out.push_back({info.id, static_cast<std::size_t>(info.size)});
    return out;
}

std::string Pop3Mailbox::retrieve(int id) {
    std::ostringstream raw;
    session_->retrieveMessage(id, raw);
    return raw.str();
}

void Pop3Mailbox::remove(int id) { session_->deleteMessage(id); }

void Pop3Mailbox::close() { session_->close(); }

}  // namespace tidings::mailbox
