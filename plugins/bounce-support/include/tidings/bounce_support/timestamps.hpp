// Times as providers write them: RFC 3339 text (SNS, Postmark, ForwardEmail; fractions of any
// length, 'Z' or a numeric offset) and Unix seconds (SendGrid).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include <tidings/sdk/v1/model.hpp>

namespace tidings::bounce_support {

namespace sdk = ::tidings::sdk::v1;

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (a space or 't' may stand for 'T', 'z' for
/// 'Z'); digits beyond microseconds are dropped. nullopt for anything else, including impossible
/// dates such as February 30th.
std::optional<sdk::Timestamp> parseRfc3339(std::string_view text);

/// A decimal integer with an optional leading '-', nothing else; nullopt on overflow.
std::optional<std::int64_t> parseInteger(std::string_view text);

/// Unix seconds as a Timestamp.
inline sdk::Timestamp fromUnixSeconds(std::int64_t seconds) {
    return sdk::Timestamp(std::chrono::seconds(seconds));
}

/// The current time at the Timestamp's precision.
inline sdk::Timestamp now() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace tidings::bounce_support
