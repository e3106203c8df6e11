// Subscriber self-service: public subscription, opt-in confirmation, unsubscribing, preference
// management, data export and wipe. The rules of the public pages and the public API live here;
// kernel/public only translates HTTP.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/captcha_choice.hpp"
#include "kernel/core/list_uuid_cache.hpp"

#include "kernel/core/settings_service.hpp"
#include "kernel/core/subscriber_service.hpp"
#include "kernel/hooks/event_bus.hpp"
#include "kernel/plugins/capability_registry.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A public subscription request, fields as the client sent them.
struct PublicSubscription {
    std::string email;
    std::string name;
    std::vector<std::string> list_uuids;
    /// CAPTCHA solutions by field name ("altcha", "h-captcha-response").
    std::vector<std::pair<std::string, std::string>> captcha_fields;
    std::string remote_address;
};

struct PublicSubscriptionResult {
    sdk::Subscriber subscriber;
    bool created = false;
    /// A double opt-in list awaits confirmation and the confirmation mail was sent.
    bool has_optin = false;
};

class SubscriptionService {
public:
    SubscriptionService(sdk::Storage& storage, SettingsService& settings, SubscriberService& subscribers,
                        CapabilityRegistry& registry, EventBus& events);

    /// Public lists: type public, status active.
    std::vector<sdk::List> publicLists();

    /// The CAPTCHA public subscriptions must solve now (see chooseCaptcha).
    CaptchaChoice captcha() const;

    /// The public subscription flow (API and form): checks that public subscription is on, the
    /// CAPTCHA (when a provider is enabled), the e-mail and the lists (all must be known and
    /// public); subscribes (double opt-in lists unconfirmed, single opt-in lists confirmed,
    /// re-subscription keeps the existing profile) and sends the opt-in mail when needed.
    PublicSubscriptionResult subscribe(const PublicSubscription& request);

    /// The subscriber and the lists it has not confirmed yet (all, or those in `list_uuids`).
    std::pair<sdk::Subscriber, std::vector<sdk::List>> pendingOptins(const std::string& subscriber_uuid,
                                                                     const std::vector<std::string>& list_uuids);

    /// Confirms the pending opt-ins; returns the confirmed lists.
    std::vector<sdk::List> confirmOptins(const std::string& subscriber_uuid, const std::vector<std::string>& list_uuids,
                                         const std::string& remote_address);

    /// The subscriber behind a manage/unsubscribe link. NotFound for an unknown or malformed UUID.
    sdk::Subscriber subscriberByUuid(const std::string& subscriber_uuid);

    /// Unsubscribes from the given lists (every list when empty); with `blocklist` (allowed by
    /// privacy.allow_blocklist), also blocklists the subscriber.
    void unsubscribe(const std::string& subscriber_uuid, const std::vector<std::string>& list_uuids, bool blocklist);

    /// listmonk's "unsubscribe by campaign" (the manage page's unsubscribe and RFC 8058
    /// one-click): unsubscribes from the lists the campaign was sent to. An unknown campaign (the
    /// all-zero UUID of opt-in mails) or one sent to a segment without lists unsubscribes from
    /// every list; `blocklist` blocklists as unsubscribe() does.
    void unsubscribeByCampaign(const std::string& campaign_uuid, const std::string& subscriber_uuid, bool blocklist);

    /// Preferences: keeps the memberships in `keep_list_uuids` and unsubscribes the others, and
    /// sets the name (privacy.allow_preferences must be on). The form always carries the name,
    /// so a blank one is Invalid, as in listmonk, not a request to keep it.
    void savePreferences(const std::string& subscriber_uuid, const std::string& name,
                         const std::vector<std::string>& keep_list_uuids);

    /// GDPR self-export (privacy.allow_export); see SubscriberService::exportData.
    SubscriberExport exportData(const std::string& subscriber_uuid);

    /// GDPR erasure (privacy.allow_wipe): deletes the subscriber and its memberships.
    void wipe(const std::string& subscriber_uuid);

private:
    void checkCaptcha(const PublicSubscription& request);
    std::vector<sdk::Id> listIdsByUuid(const sdk::Subscriber& s, const std::vector<std::string>& uuids);

    sdk::Storage& storage_;
    SettingsService& settings_;
    SubscriberService& subscribers_;
    CapabilityRegistry& registry_;
    EventBus& events_;
    ListUuidCache list_cache_;
};

}  // namespace tidings::kernel
