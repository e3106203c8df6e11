// One POP3 session with a bounce mailbox, on Poco::Net::POP3ClientSession. Deletions are
// marked with DELE and happen only when the session ends with QUIT (RFC 1939): a connection that
// breaks off deletes nothing, so a message is never lost between being read and being recorded.
// Only messages already dealt with are ever marked, so ending the session early (Poco's
// destructor still sends QUIT when it can) deletes nothing that is still needed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/POP3ClientSession.h>

#include "mailbox_settings.hpp"

namespace tidings::mailbox {

/// A message waiting in the mailbox.
struct WaitingMessage {
    int id = 0;           ///< The POP3 message number in this session.
    std::size_t size = 0;  ///< In octets, as the server reports it.
};

class Pop3Mailbox {
public:
    /// Connects (implicit TLS when configured, with `tls` as the context) and logs in. Throws
    /// Poco::Exception when the server cannot be reached or refuses the login.
    Pop3Mailbox(const MailboxConfig& config, Poco::Net::Context::Ptr tls);
    /// Ends the session with QUIT when the connection still works, like close().
    ~Pop3Mailbox();
    Pop3Mailbox(const Pop3Mailbox&) = delete;
    Pop3Mailbox& operator=(const Pop3Mailbox&) = delete;

    /// The messages in the mailbox, oldest first.
    std::vector<WaitingMessage> list();

    /// The raw message, dot-unstuffed, as the server stores it.
    std::string retrieve(int id);

    /// Marks a message for deletion when the session ends with close().
    void remove(int id);

    /// Ends the session with QUIT, which makes the server delete the marked messages.
    void close();

private:
    void loginCramMd5(const std::string& username, const std::string& password);

    std::unique_ptr<Poco::Net::POP3ClientSession> session_;
};

}  // namespace tidings::mailbox
