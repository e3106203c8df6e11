// The SMTP relay configuration: listmonk's `smtp` settings array, parsed into plain structs, and
// the INI defaults used when that array is empty.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tidings::sdk::v1 {
class Host;
}

namespace tidings::smtp {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

enum class AuthProtocol { None, Plain, Login, CramMd5 };
enum class TlsMode { None, StartTls, Implicit };

/// One relay. The fields that shape a connection are compared by sameConnection() to decide
/// whether a settings change needs a new pool or only new per-message options.
struct ServerConfig {
    std::string id;    ///< uuid, else name, else "#<index>": matches entries across reloads
    std::string name;  ///< normalised (lowercase, [a-z0-9-]); empty for unnamed relays
    bool enabled = true;
    std::string host = "127.0.0.1";
    int port = 25;
    AuthProtocol auth = AuthProtocol::None;
    std::string username;
    std::string password;
    std::string hello_hostname;  ///< empty: the machine's host name
    TlsMode tls = TlsMode::None;
    bool tls_skip_verify = false;
    int max_conns = 10;
    std::chrono::milliseconds idle_timeout{15000};
    std::chrono::milliseconds wait_timeout{5000};  ///< pool wait and dial/read timeout
    int max_msg_retries = 2;
    HeaderList email_headers;

    bool sameConnection(const ServerConfig& o) const;
};

/// listmonk's messenger-name rule: lowercase, every character outside [a-z0-9-] becomes '-'.
std::string normaliseName(std::string_view name);

/// "15s", "500ms", "1m", "1h30m", "2" (seconds). Throws std::invalid_argument.
std::chrono::milliseconds parseDuration(std::string_view text);

/// Parses the `smtp` setting. Only enabled entries are returned, with listmonk's clamping
/// (wait_timeout < 1s -> 2s, max_msg_retries 0 -> 1, max_conns < 1 -> 1). Throws
/// std::invalid_argument naming the entry and field when the JSON is malformed.
std::vector<ServerConfig> parseServers(std::string_view json);

/// The relay described by the INI keys smtp.* (used when the `smtp` setting is empty or absent).
ServerConfig serverFromConfig(const tidings::sdk::v1::Host& host);

}  // namespace tidings::smtp
