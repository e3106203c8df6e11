// Bounce rules: whether bounces are processed, the action each bounce type triggers
// (`bounce.actions`), the generic webhook's payload, and the `bounce.recorded` hook.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tidings/sdk/v1/bounce_store.hpp>
#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/settings_service.hpp"
#include "kernel/hooks/event_bus.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class BounceService {
public:
    BounceService(sdk::Storage& storage, SettingsService& settings, EventBus& events);

    /// `bounce.enabled`: whether bounces are recorded at all.
    bool enabled() const;
    /// `bounce.webhooks_enabled`: whether the webhook routes accept requests.
    bool webhooksEnabled() const;

    /// The configured rule for a type, from `bounce.actions` (listmonk's defaults when absent
    /// or malformed: soft 2/none, hard 1/blocklist, complaint 1/blocklist).
    sdk::BounceRule rule(sdk::BounceType type) const;

    /// Records one bounce with its action and publishes `bounce.recorded`. Invalid for an event
    /// naming no subscriber; an unknown subscriber records nothing (outcome.recorded false).
    sdk::BounceOutcome record(sdk::BounceEvent event);

    /// Records a bounce a plugin found itself (Host::recordBounce) like `record`, reporting
    /// instead of throwing: Unavailable while `bounce.enabled` is off, so that the plugin keeps
    /// the evidence (e.g. leaves the bounce mail in its mailbox) until processing is back on.
    sdk::Status recordFound(sdk::BounceEvent event, sdk::BounceOutcome& outcome) noexcept;

    /// Parses the generic webhook's JSON body (listmonk's fields: email | subscriber_uuid,
    /// campaign_uuid, type, source, meta, created_at). Invalid naming the field on bad input.
    static sdk::BounceEvent parseWebhook(const std::string& body);

    sdk::BouncePage query(const sdk::BounceQuery& q);
    sdk::Bounce get(sdk::Id id);
    std::int64_t remove(const std::vector<sdk::Id>& ids);
    std::int64_t removeAll(std::optional<sdk::Id> subscriber_id);
    std::int64_t blocklistBounced();

    /// Maps an `order_by` value to the store's name; Invalid for anything else.
    static std::string orderColumn(const std::string& order_by);

private:
    sdk::Storage& storage_;
    SettingsService& settings_;
    EventBus& events_;
};

}  // namespace tidings::kernel
