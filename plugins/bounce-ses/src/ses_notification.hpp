// The SES notification inside an SNS Notification's `Message`: bounce and complaint
// notifications (`notificationType`) and their event-publishing twins (`eventType`), each with
// the `mail` object describing the original message (destination, headers, timestamp).
#pragma once

#include <string_view>
#include <vector>

#include <tidings/sdk/v1/bounce.hpp>
#include <tidings/sdk/v1/status.hpp>

namespace tidings::ses {

namespace sdk = ::tidings::sdk::v1;

/// One event per bounced or complaining recipient (SES lists them; `mail.destination` stands in
/// when it does not). Deliveries, sends, opens and other SES notifications yield none. Invalid,
/// naming the field, when the text is not a notification we can read; `out` is then left empty.
sdk::Status parseSesNotification(std::string_view message, std::vector<sdk::BounceEvent>& out);

}  // namespace tidings::ses
