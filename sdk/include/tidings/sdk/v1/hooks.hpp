// Tidings plugin SDK, version 1: hooks, the events plugins can subscribe to.
//
// The kernel publishes a named event with a JSON payload after the change it describes has been
// committed to storage. Handlers of ordinary events run on the kernel's event thread, off the
// request path, in registration order; a slow handler delays later events but never a request.
// Handlers of `before_*` events run synchronously on the thread doing the work and may change its
// outcome through HookOutcome.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tidings::sdk::v1 {

/// The names of the events the kernel publishes. Payloads are JSON objects described per name.
namespace hooks {
/// {"subscriber": <subscriber as in the API>}
inline constexpr std::string_view kSubscriberCreated = "subscriber.created";
/// {"subscriber": <subscriber after the change>}
inline constexpr std::string_view kSubscriberUpdated = "subscriber.updated";
/// {"ids": [<deleted subscriber ids>]}
inline constexpr std::string_view kSubscriberDeleted = "subscriber.deleted";
/// {"subscriber_uuid": "...", "list_uuids": [...]}
inline constexpr std::string_view kSubscriptionConfirmed = "subscription.confirmed";
/// {"subscriber_uuid": "...", "list_uuids": [...]}
inline constexpr std::string_view kSubscriptionUnsubscribed = "subscription.unsubscribed";
/// {"campaign": {...}}
inline constexpr std::string_view kCampaignStarted = "campaign.started";
inline constexpr std::string_view kCampaignPaused = "campaign.paused";
inline constexpr std::string_view kCampaignFinished = "campaign.finished";
/// {"campaign_uuid": "...", "subscriber_uuid": "...", "headers": {...}}; may add headers or cancel.
inline constexpr std::string_view kMessageBeforeSend = "message.before_send";
/// {"bounce": {...}}
inline constexpr std::string_view kBounceRecorded = "bounce.recorded";
/// {"name": "...", "total": n, "imported": n, "status": "..."}
inline constexpr std::string_view kImportFinished = "import.finished";
}  // namespace hooks

/// One published event. Valid for the duration of the handler call.
struct HookEvent {
    std::string name;          ///< One of the names in `hooks`.
    std::string payload_json;  ///< A JSON object.
};

/// What a `before_*` handler may ask for. Ignored for other events.
struct HookOutcome {
    bool cancel = false;        ///< Skip the action (the message is not sent).
    std::string cancel_reason;  ///< Logged when cancel is set.
    std::vector<std::pair<std::string, std::string>> add_headers;  ///< Extra message headers.
};

/// Receives an event. Must not throw; exceptions are caught, logged and otherwise ignored.
using HookHandler = std::function<void(const HookEvent&, HookOutcome&)>;

}  // namespace tidings::sdk::v1
