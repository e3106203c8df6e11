// Campaign rules that need the store: create and update with listmonk's validation and
// defaults, the status machine applied atomically, hook events and waking the send engine,
// test sends, previews, running stats, the delivery ledger and retries.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/messenger.hpp>
#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/campaign_rules.hpp"
#include "kernel/core/template_service.hpp"
#include "kernel/hooks/event_bus.hpp"
#include "kernel/template/campaign_message.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// The progress of a running campaign (GET /api/campaigns/running/stats).
struct RunningStats {
    sdk::Campaign campaign;  ///< Without bodies.
    double rate = 0;         ///< Messages per minute over about the last minute.
    double net_rate = 0;     ///< Messages per minute since the campaign started.
};

/// Replacements a preview request may carry (listmonk's POST preview form).
struct PreviewOverrides {
    std::optional<std::string> body;
    std::optional<std::string> content_type;
    std::optional<sdk::Id> template_id;
};

/// Everything the service reaches outside storage, as functions so that it depends on no
/// registry or runner type.
struct CampaignServiceHooks {
    /// The live link and sender settings (app.root_url, app.from_email, ...).
    std::function<MessageContext()> context;
    /// A messenger by name, or nullptr.
    std::function<sdk::Messenger*(std::string_view)> messenger;
    /// Called after a status change so the send engine acts on it at once, not at its next tick.
    std::function<void()> status_changed;
};

class CampaignService {
public:
    CampaignService(sdk::Storage& storage, EventBus& events, CampaignServiceHooks hooks);

    sdk::CampaignPage query(const sdk::CampaignQuery& q);
    sdk::Campaign get(sdk::Id id);
    /// Always creates a draft.
    sdk::Campaign create(const CampaignInput& input);
    /// Only draft, scheduled and paused campaigns; clearing send_at unschedules a scheduled one.
    sdk::Campaign update(sdk::Id id, const CampaignInput& input);
    /// Only the archive fields of `input` (archive, archive_slug, archive_template_id,
    /// archive_meta), in any status: campaigns are usually published after they went out.
    sdk::Campaign updateArchive(sdk::Id id, const CampaignInput& input);
    /// Deletes in any status. Returns false when the campaign did not exist.
    bool remove(sdk::Id id);

    /// Applies listmonk's status machine; see planStatusChange().
    sdk::Campaign changeStatus(sdk::Id id, const std::string& status);
    /// Forgets the failed ledger entries and runs the campaign again for those recipients.
    sdk::Campaign retryFailed(sdk::Id id, std::int64_t& retried);

    /// Sends the campaign, with `input` merged over it, to existing subscribers by e-mail.
    void testSend(sdk::Id id, const CampaignInput& input, const std::vector<std::string>& emails);
    /// The body rendered for a sample subscriber.
    Preview preview(sdk::Id id, const PreviewOverrides& overrides);
    /// The message as this subscriber got it, tracking included ("view in browser", listmonk's
    /// {{ MessageURL }}). NotFound for an unknown or malformed campaign or subscriber UUID.
    Preview renderFor(const std::string& campaign_uuid, const std::string& subscriber_uuid);

    std::vector<RunningStats> runningStats();
    sdk::DeliveryPage recipients(sdk::Id id, std::optional<sdk::DeliveryStatus> status, sdk::PageRequest page);

    /// Maps an `order_by` value to the store's column; Invalid for anything else.
    static std::string orderColumn(const std::string& order_by);

    /// Checks `order_by` and `order` for recipients(): the ledger is read by subscriber id,
    /// ascending, and nothing else can be asked of a store. Invalid for anything else.
    static void checkRecipientOrder(const std::string& order_by, sdk::SortOrder order);

private:
    CampaignDefaults defaults() const;
    /// Resolves the template (default, visual copy, opt-in body), checks lists for opt-in
    /// campaigns and compiles the result. `creating` applies create-only defaults.
    void complete(sdk::CampaignDraft& draft, bool creating);
    std::optional<sdk::Template> campaignTemplate(std::optional<sdk::Id> id, const char* field);
    CampaignMessage compile(const sdk::Campaign& campaign);
    void publish(std::string_view event, const sdk::Campaign& campaign);

    sdk::Storage& storage_;
    EventBus& events_;
    CampaignServiceHooks hooks_;

    struct RateSample {
        std::chrono::steady_clock::time_point at;
        std::int64_t sent;
    };
    std::mutex rate_mutex_;
    std::map<sdk::Id, std::deque<RateSample>> rate_samples_;
};

/// A campaign built from a draft, for rendering before it is stored.
sdk::Campaign campaignFromDraft(const sdk::CampaignDraft& d, const sdk::Campaign* base);

}  // namespace tidings::kernel
