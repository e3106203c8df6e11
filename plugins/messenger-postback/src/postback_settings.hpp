// The `messengers` runtime setting (listmonk's postback messengers), parsed.
//
// The setting is a JSON array of {uuid, enabled, name, root_url, username, password, max_conns,
// timeout, max_msg_retries}. Names are normalised as listmonk does (lowercase, anything outside
// [a-z0-9-] dropped) so that "My SMS" is selected as "mysms"; "email" and names starting with
// "email-" belong to the SMTP messengers and are refused here.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tidings::postback {

struct EndpointConfig {
    std::string name;      ///< normalised
    bool enabled = false;
    std::string root_url;  ///< http:// or https:// URL the JSON is POSTed to
    std::string username;  ///< basic auth when not empty
    std::string password;
    std::size_t max_conns = 10;
    std::chrono::milliseconds timeout{5000};
    int max_msg_retries = 2;

    /// Whether two configurations can share one connection pool (same peer, limits, timeout).
    bool sameConnection(const EndpointConfig& other) const {
        return root_url == other.root_url && max_conns == other.max_conns && timeout == other.timeout;
    }
};

/// "My SMS-gateway" -> "mysms-gateway".
std::string normaliseName(std::string_view name);

/// "5s", "1500ms", "1m", "2m30s" or a bare number of seconds; throws std::invalid_argument.
std::chrono::milliseconds parseDuration(std::string_view text);

/// Parses the setting's JSON text. Entries that are disabled are returned too (enabled=false).
/// Throws std::invalid_argument naming the entry for malformed input: a missing or duplicate
/// name, a reserved name, a root_url that is not http(s).
std::vector<EndpointConfig> parseEndpoints(const std::string& json);

}  // namespace tidings::postback
