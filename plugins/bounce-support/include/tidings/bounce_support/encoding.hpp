// Byte-string encodings the providers' signatures arrive in: hex (ForwardEmail) and base64
// (SNS, SendGrid, HTTP Basic auth). Decoders are strict: anything that is not exactly a valid
// encoding yields nullopt, so a mangled header is refused rather than half-read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tidings::bounce_support {

/// Lower-case hex of `bytes`.
std::string toHex(std::string_view bytes);

/// The bytes of an even-length hex string (either case); nullopt on any other character.
std::optional<std::string> fromHex(std::string_view hex);

/// Standard base64 (RFC 4648 section 4) with padding.
std::string base64Encode(std::string_view bytes);

/// Decodes standard base64 with correct padding; nullopt for anything else (whitespace included).
std::optional<std::string> base64Decode(std::string_view text);

/// ASCII lower-case copy: header names and hex digests compare case-insensitively.
std::string lowerAscii(std::string_view text);

}  // namespace tidings::bounce_support
