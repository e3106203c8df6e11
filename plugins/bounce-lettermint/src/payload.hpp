// Lettermint's webhook body: one JSON object per delivery with its `id`, the `event` type
// (`message.hard_bounced`, `message.soft_bounced`, `message.spam_complaint`, and others such as
// `message.delivered` or `webhook.test` that are not bounces), a `timestamp` and `data` with the
// `recipient`, the relay's `response` and the message's `metadata`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <tidings/sdk/v1/bounce.hpp>
#include <tidings/sdk/v1/status.hpp>

namespace tidings::lettermint {

namespace sdk = ::tidings::sdk::v1;

/// What one request amounts to.
struct ParsedDelivery {
    /// The bounce to record; nullopt for events that are not bounces.
    std::optional<sdk::BounceEvent> event;
    /// Lettermint's delivery `id`, empty when the body has none.
    std::string delivery_id;
};

/// Lettermint's `event` as a bounce type; nullopt for events that are not bounces.
std::optional<sdk::BounceType> classify(std::string_view event);

/// Parses a verified body. Invalid, naming the field, when it is not a Lettermint delivery we
/// can read.
sdk::Status parseDelivery(std::string_view body, ParsedDelivery& out);

}  // namespace tidings::lettermint
