#include "signature.hpp"

#include <tidings/bounce_support/crypto.hpp>
#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/timestamps.hpp>

namespace tidings::lettermint {
namespace {

namespace support = ::tidings::bounce_support;

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::optional<SignatureHeader> parseSignatureHeader(std::string_view header) {
    std::optional<std::int64_t> timestamp;
    std::optional<std::string> digest;
    while (!header.empty()) {
        const auto comma = header.find(',');
        const std::string_view part = trimmed(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view name = part.substr(0, eq);
        const std::string_view value = trimmed(part.substr(eq + 1));
        if (name == "t") {
            timestamp = support::parseInteger(value);
            if (!timestamp) return std::nullopt;
        } else if (name == "v1") {
            digest = support::fromHex(value);
            if (!digest) return std::nullopt;
        }
    }
    if (!timestamp || *timestamp <= 0 || !digest || digest->empty()) return std::nullopt;
    return SignatureHeader{*timestamp, std::move(*digest)};
}

bool signatureMatches(const SignatureHeader& header, std::string_view key, std::string_view body) {
    // The signed text uses the timestamp as a decimal number, whatever zeros the header carried.
    std::string signed_text = std::to_string(header.timestamp);
    signed_text += '.';
    signed_text += body;
    return support::constantTimeEquals(support::hmacSha256(key, signed_text), header.digest);
}

}  // namespace tidings::lettermint
