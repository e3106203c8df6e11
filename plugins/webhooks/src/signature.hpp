// Delivery signatures: `X-Tidings-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
// "<t>.<body>" with the endpoint's secret, as Stripe signs its webhooks. The timestamp inside
// the signed text lets a receiver refuse replays of old deliveries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tidings::webhooks {

/// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string hmacSha256Hex(std::string_view key, std::string_view data);

/// The X-Tidings-Signature header value for `body` sent at `unix_seconds`.
std::string signatureHeader(std::string_view secret, std::int64_t unix_seconds, std::string_view body);

}  // namespace tidings::webhooks
