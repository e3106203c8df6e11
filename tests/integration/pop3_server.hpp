// A real POP3 server for integration tests: Debian's dovecot (package dovecot-pop3d), started
// in the foreground with its own configuration, state and maildir in a temporary directory, on
// a free loopback port (plus a POP3S port with a self-signed certificate made by the openssl
// command), with one user. Tests drop messages into the maildir and watch them go.
//
// Dovecot runs as the current user. Under root it must hand its login and internal processes to
// unprivileged users (its own `dovenull` and `dovecot` accounts, which the package creates) and
// refuses mail access as uid 0, so the maildir then belongs to `dovecot`.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Process.h>

namespace tidings::test {

class Pop3Server {
public:
    /// Starts dovecot and waits until it answers on its port. Throws std::runtime_error saying
    /// what to install when dovecot is missing, or with dovecot's log when it does not come up.
    Pop3Server();
    ~Pop3Server();
    Pop3Server(const Pop3Server&) = delete;
    Pop3Server& operator=(const Pop3Server&) = delete;

    int port() const { return port_; }
    /// The implicit-TLS (POP3S) port; its certificate is self-signed for "localhost".
    int tlsPort() const { return tls_port_; }
    const std::string& username() const { return username_; }
    const std::string& password() const { return password_; }

    /// Delivers a raw message (CRLF or LF line ends) into the user's maildir `new/`.
    void deliver(const std::string& raw);

    /// The messages currently in the mailbox (new/ and cur/), raw.
    std::vector<std::string> messages() const;

    /// Stops dovecot (SIGTERM, then waits); the port then refuses connections.
    void stop();

    /// Everything dovecot logged so far.
    std::string log() const;

private:
    std::filesystem::path dir_;
    std::filesystem::path maildir_;
    int port_ = 0;
    int tls_port_ = 0;
    std::string username_ = "bounces";
    std::string password_ = "pop-s3cret";
    int mail_uid_ = -1, mail_gid_ = -1;  ///< Owner to give delivered files; -1 keeps the current user.
    int delivered_ = 0;
    std::unique_ptr<Poco::ProcessHandle> process_;
};

}  // namespace tidings::test
