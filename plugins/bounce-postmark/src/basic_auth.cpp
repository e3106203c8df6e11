#include "basic_auth.hpp"

#include <tidings/bounce_support/crypto.hpp>
#include <tidings/bounce_support/encoding.hpp>

namespace tidings::postmark {

namespace support = ::tidings::bounce_support;

std::optional<BasicCredentials> parseBasicAuth(std::optional<std::string_view> header) {
    if (!header) return std::nullopt;
    std::string_view value = *header;
    constexpr std::string_view kScheme = "basic ";
    if (value.size() <= kScheme.size() || support::lowerAscii(value.substr(0, kScheme.size())) != kScheme)
        return std::nullopt;
    value.remove_prefix(kScheme.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    const auto decoded = support::base64Decode(value);
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

bool credentialsMatch(const BasicCredentials& given, std::string_view username, std::string_view password) {
    // Comparing digests keeps the comparison length-independent too: a length mismatch would
    // otherwise return early and reveal the configured lengths.
    const bool user_ok = support::constantTimeEquals(support::sha256(given.username), support::sha256(username));
    const bool pass_ok = support::constantTimeEquals(support::sha256(given.password), support::sha256(password));
    return user_ok & pass_ok;
}

}  // namespace tidings::postmark
