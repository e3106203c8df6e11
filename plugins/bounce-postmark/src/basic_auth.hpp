// HTTP Basic credentials (RFC 7617) as Postmark sends them when the webhook URL carries
// `user:password@`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tidings::postmark {

struct BasicCredentials {
    std::string username;
    std::string password;
};

/// The credentials in an Authorization header value ("Basic <base64 of user:password>"); nullopt
/// when the value is absent, another scheme, or not valid base64 with a ':'.
std::optional<BasicCredentials> parseBasicAuth(std::optional<std::string_view> header);

/// Whether `given` equals the configured pair. Both parts are always compared, in constant time,
/// so the answer's timing says neither which part was wrong nor how much of it matched.
bool credentialsMatch(const BasicCredentials& given, std::string_view username, std::string_view password);

}  // namespace tidings::postmark
