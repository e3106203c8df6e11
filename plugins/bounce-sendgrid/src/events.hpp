// SendGrid's Event Webhook body: a JSON array of events, each with `event`, `email`, `timestamp`
// (Unix seconds) and, flattened into the event, the custom arguments the message was sent with.
// Only failures concern us: bounce, blocked, dropped and spamreport.
#pragma once

#include <string_view>
#include <vector>

#include <tidings/sdk/v1/bounce.hpp>
#include <tidings/sdk/v1/status.hpp>

namespace tidings::sendgrid {

namespace sdk = ::tidings::sdk::v1;

/// Parses a verified body into the bounces it reports (none is fine: deliveries and opens share
/// the webhook). Invalid, naming the event's index and field, when the body is not an event
/// array or a failure event lacks its address; then `out` is left empty.
sdk::Status parseEvents(std::string_view body, std::vector<sdk::BounceEvent>& out);

}  // namespace tidings::sendgrid
