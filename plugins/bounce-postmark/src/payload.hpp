// Postmark's webhook bodies: one JSON object per request, with `RecordType` "Bounce" or
// "SpamComplaint" for what concerns us (Delivery, Open, Click, SubscriptionChange share the
// endpoint when an operator ticks them, and are acknowledged without effect).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <tidings/sdk/v1/bounce.hpp>
#include <tidings/sdk/v1/status.hpp>

namespace tidings::postmark {

namespace sdk = ::tidings::sdk::v1;

/// What one request amounts to.
struct ParsedRecord {
    /// The bounce to record; nullopt for a record that carries none (other record types, auto
    /// responders, subscription changes).
    std::optional<sdk::BounceEvent> event;
    /// What identifies this delivery for the replay check: RecordType and Postmark's record ID
    /// (the whole body when a record has no ID).
    std::string delivery_id;
};

/// Parses a body. Invalid, naming the field, when it is not a Postmark record we can read.
sdk::Status parseRecord(std::string_view body, ParsedRecord& out);

/// Postmark's bounce `Type` as a bounce type: Ok with a value, Ok with nullopt for types that are
/// not bounces (AutoResponder, Subscribe, ...), Invalid for a type Postmark does not document.
sdk::Status classify(std::string_view type, std::optional<sdk::BounceType>& out);

}  // namespace tidings::postmark
