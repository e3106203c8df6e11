// Forward Email's bounce webhook body: one JSON object per bounce with the `recipient`, the
// classified `bounce` (`category`, `status`, `message`, ...), the original message's `headers`
// and `bounced_at`.
#pragma once

#include <string_view>

#include <tidings/sdk/v1/bounce.hpp>
#include <tidings/sdk/v1/status.hpp>

namespace tidings::forwardemail {

namespace sdk = ::tidings::sdk::v1;

/// Forward Email's bounce category as a bounce type. The categories that say the address or
/// its owner refuses us for good are hard; network, capacity and policy trouble is soft.
sdk::BounceType classify(std::string_view category);

/// Parses a verified body into one event. Invalid, naming the field, when it is not a bounce.
sdk::Status parseBounce(std::string_view body, sdk::BounceEvent& out);

}  // namespace tidings::forwardemail
