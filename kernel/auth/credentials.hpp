// Password hashing, token generation and token digests.
//
// Passwords are stretched with PBKDF2-HMAC-SHA256 (OpenSSL) because people reuse weak ones.
// API tokens are 48 random alphanumerics (about 285 bits): guessing is hopeless, so a plain
// SHA-256 digest protects them at rest while still allowing the indexed lookup that
// `Authorization: Bearer <token>` needs (there is no username to look the user up by).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tidings::kernel {

/// "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>".
std::string hashPassword(std::string_view password);

/// Checks a password against hashPassword's output, in constant time with respect to the hash.
bool verifyPassword(std::string_view password, std::string_view stored);

/// "sha256$<hex>" of an API token.
std::string tokenDigest(std::string_view token);

/// `length` characters from [A-Za-z0-9], from OpenSSL's CSPRNG.
std::string randomToken(std::size_t length = 48);

/// Compares without an early exit, so timing does not reveal the matching prefix.
bool constantTimeEquals(std::string_view a, std::string_view b);

/// Hex SHA-256 of arbitrary bytes.
std::string sha256Hex(std::string_view data);

}  // namespace tidings::kernel
