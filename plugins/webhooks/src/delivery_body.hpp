// The JSON document a delivery POSTs:
//   {"event": "...", "delivery_id": "<uuid>", "created_at": "<RFC 3339>", "data": <hook payload>}
// Built from the stored job alone, so every attempt of one delivery sends the same bytes.
#pragma once

#include <string>

#include <tidings/sdk/v1/outbox.hpp>

namespace tidings::webhooks {

namespace sdk = ::tidings::sdk::v1;

/// "2026-12-01T13:05:09.123456Z".
std::string rfc3339(sdk::Timestamp t);

/// `text` as a JSON string literal, quotes included.
std::string jsonString(const std::string& text);

/// The request body for `job` (its payload is the hook's JSON object, embedded verbatim).
std::string deliveryBody(const sdk::OutboxJob& job);

}  // namespace tidings::webhooks
