// Lettermint's signature header: `X-Lettermint-Signature: t=<unix seconds>,v1=<hex>`, where the
// hex is HMAC-SHA256 under the webhook's signing key of `"<t>.<raw body>"`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tidings::lettermint {

/// The parts of a signature header.
struct SignatureHeader {
    std::int64_t timestamp = 0;  ///< `t`, Unix seconds.
    std::string digest;          ///< `v1`, decoded from hex (raw bytes).
};

/// Parses `t=...,v1=...` (parts in any order, blanks around them ignored, unknown parts skipped).
/// nullopt when `t` is not a positive integer, `v1` is missing or not hex.
std::optional<SignatureHeader> parseSignatureHeader(std::string_view header);

/// Whether `header` signs `body` under `key`: compared in constant time.
bool signatureMatches(const SignatureHeader& header, std::string_view key, std::string_view body);

}  // namespace tidings::lettermint
