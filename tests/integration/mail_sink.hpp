// A real SMTP server for integration tests: tests/conformance/messenger/smtp_test_server.py
// (aiosmtpd) in a child process, storing each accepted message and its envelope in a scratch
// directory that the test reads back.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Pipe.h>
#include <Poco/Process.h>

namespace tidings::test {

/// One transaction as the server saw it (transactions.jsonl): the connection it came on (1 for
/// the first), its recipients and its outcome: "250", "451", "550", "dropped" (connection dropped
/// unanswered, nothing kept) or "lost_reply" (kept, then dropped before the answer).
struct SmtpTransaction {
    int conn = 0;
    std::vector<std::string> rcpt;
    std::string result;
};

class MailSink {
public:
    /// Starts the server with smtp_test_server.py options (e.g. "--pipelining",
    /// "--reject-prefix", "bad"). `port` 0 picks a free one.
    explicit MailSink(std::vector<std::string> options = {}, int port = 0);
    ~MailSink();
    MailSink(const MailSink&) = delete;
    MailSink& operator=(const MailSink&) = delete;

    int port() const { return port_; }
    /// Stops the server (the directory of received mail stays readable).
    void stop();

    /// A counter from the server's stats: messages, connections, rejected, tempfailed, ...
    int stat(const std::string& key) const;
    int messageCount() const { return stat("messages"); }
    /// Waits until at least n messages were accepted; false on timeout.
    bool waitForMessages(int n, std::chrono::milliseconds timeout) const;

    /// How many accepted messages each envelope recipient got.
    std::map<std::string, int> recipientCounts() const;
    /// The raw bytes of every accepted message addressed to `email`.
    std::vector<std::string> messagesTo(const std::string& email) const;
    /// Every transaction so far, in the order the server handled them.
    std::vector<SmtpTransaction> transactions() const;

    /// The settings JSON that points Tidings' `smtp` setting at this server (a max_msg_retries
    /// of 0 means 1, as in listmonk).
    std::string smtpSettingsJson(int max_conns = 4, int max_msg_retries = 0) const;

private:
    std::filesystem::path dir_;
    int port_ = 0;
    std::unique_ptr<Poco::Pipe> in_, out_;
    std::unique_ptr<Poco::ProcessHandle> process_;
};

/// The decoded content of the attachment named `filename` in a raw MIME message; nullopt when
/// it has none.
std::optional<std::string> attachmentOf(const std::string& raw_message, const std::string& filename);

}  // namespace tidings::test
