// Subscriber rules: validation, normalisation, defaults, and the events that follow a change.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/settings_service.hpp"
#include "kernel/hooks/event_bus.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A subscriber as a client sent it, fields not yet validated. An unset optional means the field
/// was absent from the request.
struct SubscriberInput {
    std::optional<std::string> email;
    std::optional<std::string> name;
    std::optional<std::string> status;
    std::optional<std::string> attribs_json;  ///< A JSON object (the API layer checks the shape).
    std::optional<std::vector<sdk::Id>> lists;
    bool preconfirm_subscriptions = false;
};

/// The largest attribs document accepted, in bytes of JSON text.
inline constexpr std::size_t kMaxAttribsBytes = 64 * 1024;
/// The longest accepted subscriber name, in bytes.
inline constexpr std::size_t kMaxNameBytes = 2000;

/// Sends (or queues) the opt-in confirmation mail for `lists` (the subscriber's unconfirmed
/// double opt-in lists). Supplied by whoever owns templates and messengers.
using OptinSender = std::function<sdk::Status(const sdk::Subscriber&, const std::vector<sdk::List>&)>;

/// The subscriber's data for GDPR export, as listmonk shapes it.
struct SubscriberExport {
    std::string json;  ///< {"profile": [...], "subscriptions": [...], ...}
};

class SubscriberService {
public:
    SubscriberService(sdk::Storage& storage, SettingsService& settings, EventBus& events, OptinSender optin_sender = {});

    sdk::Subscriber get(sdk::Id id);
    sdk::SubscriberPage query(const sdk::SubscriberQuery& q);

    /// The sections of privacy.exportable for one subscriber (private lists' names hidden), plus
    /// its bounces. Used by the admin export and by the subscriber's self-export, which also
    /// checks privacy.allow_export.
    SubscriberExport exportData(const sdk::Subscriber& subscriber);
    void stream(const sdk::SubscriberQuery& q, const sdk::BatchSink<sdk::Subscriber>& sink);

    /// Creates a subscriber: email required; name defaults from the e-mail; status defaults to
    /// enabled; memberships unconfirmed, or confirmed with preconfirm_subscriptions.
    sdk::Subscriber create(const SubscriberInput& input);

    /// PUT (partial = false): empty email/name/status keep the stored value, attribs are replaced
    /// (absent -> {}), lists are replaced (absent -> none). PATCH (partial = true): only the
    /// fields present change.
    sdk::Subscriber update(sdk::Id id, const SubscriberInput& input, bool partial);

    /// Sends the opt-in mail for the subscriber's unconfirmed double opt-in lists (only those in
    /// `only`, when given), as listmonk does for admin-created subscribers and POST
    /// /api/subscribers/:id/optin. Returns how many lists it asked to confirm; 0 sends nothing.
    std::size_t sendOptin(const sdk::Subscriber& subscriber, const std::vector<sdk::Id>& only = {});

    std::int64_t remove(const sdk::SubscriberFilter& filter);
    std::int64_t blocklist(const sdk::SubscriberFilter& filter);
    std::int64_t changeSubscriptions(const sdk::SubscriberFilter& filter, const sdk::SubscriptionChange& change);

    /// Validates and normalises an e-mail against syntax and the domain allow/block lists.
    std::string validEmail(const std::string& raw) const;

    /// Maps an `order_by` value to the store's column name; Invalid for anything else.
    static std::string orderColumn(const std::string& order_by);

private:
    void publishSubscriber(std::string_view event, const sdk::Subscriber& subscriber);

    sdk::Storage& storage_;
    SettingsService& settings_;
    EventBus& events_;
    OptinSender optin_sender_;
};

}  // namespace tidings::kernel
