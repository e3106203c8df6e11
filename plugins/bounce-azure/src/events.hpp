// Event Grid's webhook bodies: a JSON array of events in the Event Grid schema (`id`,
// `eventType`, `eventTime`, `data`, ...). Azure Communication Services reports each delivery
// attempt as a `Microsoft.Communication.EmailDeliveryReportReceived` event whose `data` holds
// the `recipient`, the delivery `status` and `deliveryStatusDetails.statusMessage`; the
// validation handshake is one `Microsoft.EventGrid.SubscriptionValidationEvent` whose `data`
// holds the `validationCode` to echo.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/bounce.hpp>
#include <tidings/sdk/v1/status.hpp>

namespace tidings::azure {

namespace sdk = ::tidings::sdk::v1;

/// The event type that carries delivery reports; every other type is acknowledged and ignored.
inline constexpr std::string_view kDeliveryReport = "Microsoft.Communication.EmailDeliveryReportReceived";

/// What one notification amounts to.
struct ParsedBatch {
    /// The bounces to record, in the order of the body.
    std::vector<sdk::BounceEvent> events;
    /// Each bounce's `eventTime`, for the freshness check (same order as `events`).
    std::vector<sdk::Timestamp> event_times;
    /// The batch's identity for the replay check: the event ids of the bounces, in order.
    std::string delivery_id;
};

/// The validation code of a handshake body (its first event's `data.validationCode`). Invalid,
/// naming the field, when the body is not one.
sdk::Status parseValidation(std::string_view body, std::string& code);

/// Parses a notification body. Invalid, naming the field, when it is not an array of Event Grid
/// events or a delivery report that is a bounce lacks what recording it needs; nothing is
/// returned then (never half a batch).
sdk::Status parseNotification(std::string_view body, ParsedBatch& out);

/// A delivery report's `status` (any case) and status message as a bounce type: Bounced and
/// Suppressed are hard; Failed is hard or soft by the enhanced SMTP code in the message (5.x.x,
/// 4.x.x) or, failing that, by its wording (soft when unsure); FilteredSpam and Quarantined are
/// complaints when the message says so, else soft. nullopt for statuses that are not failures
/// (Delivered, Expanded) and for any status Azure may add later.
std::optional<sdk::BounceType> classify(std::string_view status, std::string_view details);

}  // namespace tidings::azure
