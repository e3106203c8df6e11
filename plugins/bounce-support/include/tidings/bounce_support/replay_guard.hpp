// Refuses a webhook delivery seen before. Providers give each delivery something unique (SNS's
// MessageId, SendGrid's signature, Postmark's record ID, ForwardEmail's signature); the first
// request to claim it wins, atomically across every process sharing the database, and later ones
// are refused for as long as the provider's own freshness window could still let them in.
#pragma once

#include <chrono>
#include <string_view>

#include <tidings/sdk/v1/host.hpp>

namespace tidings::bounce_support {

namespace sdk = ::tidings::sdk::v1;

/// Claims `id` under `kind` (e.g. "sns-message") in the plugin's state store for `ttl`.
/// Ok the first time; Forbidden "<what>: replayed ..." afterwards; Unavailable when the store
/// cannot answer (the provider retries later, which beats recording a bounce twice).
///
/// Call it last, after the request has been verified and parsed: a forged or malformed request
/// must never use up an id that the genuine delivery still needs.
sdk::Status claimOnce(sdk::Host& host, std::string_view kind, std::string_view id, std::chrono::seconds ttl) noexcept;

}  // namespace tidings::bounce_support
