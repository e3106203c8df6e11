// The Altcha v1 wire format, as altcha-lib (npm) and the <altcha-widget> speak it.
//
//   challenge = hex(SHA-256(salt + decimal(number)))
//   signature = hex(HMAC-SHA256(key, challenge))
//   salt      = "<24 hex>?expires=<unix seconds>&"   (the trailing '&' stops parameter splicing)
//
// The client brute-forces `number` in [0, maxnumber] and submits base64(JSON{algorithm,
// challenge, number, salt, signature, ...}). Because the salt carries the expiry and is hashed
// into the signed challenge, the expiry cannot be changed without breaking the signature.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tidings::altcha {

inline constexpr std::string_view kAlgorithm = "SHA-256";

struct Challenge {
    std::string algorithm{kAlgorithm};
    std::string challenge;
    std::uint64_t maxnumber = 0;
    std::string salt;
    std::string signature;
};

/// A decoded client solution. `number` is kept as its decimal text: that is what gets hashed.
struct Payload {
    std::string algorithm;
    std::string challenge;
    std::string number;
    std::string salt;
    std::string signature;
};

/// Builds a signed challenge with a secret number in [0, maxnumber] expiring at `expires_unix`.
/// nullopt when the random generator fails.
std::optional<Challenge> createChallenge(std::string_view hmac_key, std::uint64_t maxnumber,
                                         std::int64_t expires_unix);

/// Signs a challenge for an explicit salt and number (used by createChallenge and verification).
Challenge signChallenge(std::string_view hmac_key, std::string salt, std::string_view number,
                        std::uint64_t maxnumber);

/// The route's JSON body. The challenge fields sit at the top level, where <altcha-widget
/// challengeurl=...> reads them (it does `json.salt.split('?')` on the raw response, as listmonk
/// serves it), and again under "data" for API clients that follow the `{"data": ...}` envelope.
/// `maxnumber` is the widget's spelling, `maxNumber` listmonk's; both are sent.
std::string challengeJson(const Challenge& c);

/// Decodes base64(JSON) into a Payload. nullopt when the text is not base64, not a JSON object,
/// or lacks one of the five fields with the right type (number: a non-negative integer).
std::optional<Payload> decodePayload(std::string_view base64_solution);

/// The `expires` (or altcha-lib's alternative `expire`) parameter of a salt, in unix seconds;
/// nullopt when absent or not an integer.
std::optional<std::int64_t> saltExpires(std::string_view salt);

}  // namespace tidings::altcha
