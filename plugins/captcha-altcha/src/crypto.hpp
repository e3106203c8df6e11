// The few primitives the Altcha protocol needs, on OpenSSL. Everything here is hex in, hex out,
// because that is how altcha-lib exchanges hashes and signatures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tidings::altcha {

/// Lower-case hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);

/// Lower-case hex HMAC-SHA256 of `data` under `key` (the key's bytes as given, see provider.cpp).
std::string hmacSha256Hex(std::string_view key, std::string_view data);

/// `bytes` bytes from the CSPRNG, as hex; nullopt when OpenSSL cannot supply them.
std::optional<std::string> randomHex(std::size_t bytes);

/// A uniformly distributed integer in [0, max] from the CSPRNG; nullopt on RNG failure.
std::optional<std::uint64_t> randomUpTo(std::uint64_t max);

/// Compares without leaking the position of the first difference through timing.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tidings::altcha
