// The runtime setting `bounce.mailboxes`, listmonk's array of POP3 bounce mailboxes:
//   [{"enabled": true, "type": "pop", "host": "pop.example.com", "port": 995,
//     "auth_protocol": "userpass", "username": "bounces", "password": "...",
//     "return_path": "bounces@example.com", "scan_interval": "15m",
//     "tls_enabled": true, "tls_skip_verify": false}]
// plus one Tidings extension, "delete_malformed" (default false).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace tidings::mailbox {

/// How to log in. POP3 USER/PASS ("userpass"), SASL CRAM-MD5 over AUTH ("cram"), or not at all
/// ("none", for servers that authenticate by address).
enum class AuthProtocol { None, UserPass, Cram };

/// One enabled POP3 mailbox.
struct MailboxConfig {
    std::string host;
    int port = 110;
    AuthProtocol auth = AuthProtocol::UserPass;
    std::string username;
    std::string password;
    std::string return_path;  ///< Informational: the address whose bounces land here.
    std::chrono::milliseconds scan_interval = std::chrono::minutes(15);
    bool tls_enabled = false;  ///< Implicit TLS (POP3S), as listmonk does it.
    bool tls_skip_verify = false;
    bool delete_malformed = false;  ///< Delete messages that cannot be read instead of keeping them.

    /// Names the mailbox in logs and schedules: "user@host:port" (no password).
    std::string describe() const;

    bool operator==(const MailboxConfig&) const = default;
};

/// The enabled "pop" mailboxes of a `bounce.mailboxes` value, and what was wrong with the rest.
struct MailboxSettings {
    std::vector<MailboxConfig> mailboxes;
    std::vector<std::string> problems;  ///< One line per unusable entry, naming its index and field.
};

/// Parses the setting's JSON text. Never throws: an unparsable value yields no mailboxes and a
/// problem. Disabled entries are skipped silently. A scan_interval below one second is raised
/// to one second so that a typo cannot turn the scanner into a busy loop.
MailboxSettings parseMailboxes(std::string_view json) noexcept;

}  // namespace tidings::mailbox
