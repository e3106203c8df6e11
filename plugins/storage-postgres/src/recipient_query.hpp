// Who a campaign goes to, as SQL: the one place that decides which subscribers are recipients,
// shared by counting them when a run starts and by cutting batches while it runs.
//
// A recipient is a subscriber who is not blocklisted, has a subscription to one of the
// campaign's lists that may receive mail (confirmed; or unconfirmed on a single opt-in list —
// for opt-in campaigns, unconfirmed on a double opt-in list), and matches the campaign's
// segment. A campaign without lists is sent to its segment alone; one with neither, to nobody.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <tidings/sdk/v1/campaign.hpp>

#include "connection_pool.hpp"

namespace tidings::storage_pg {

/// What the selection needs to know about a campaign.
struct RecipientScope {
    sdk::Id campaign_id = 0;
    sdk::CampaignType type = sdk::CampaignType::Regular;
    sdk::CampaignStatus status = sdk::CampaignStatus::Draft;
    /// Lists that still exist; deleted ones no longer contribute recipients.
    std::vector<sdk::Id> list_ids;
    std::string segment;
    /// The run's range (0, max_subscriber_id] and how far batches have been cut.
    sdk::Id max_subscriber_id = 0;
    sdk::Id last_subscriber_id = 0;
};

/// Reads a campaign's scope; false when the campaign does not exist.
bool loadScope(Lease& lease, sdk::Id campaign_id, RecipientScope& out);

/// Runs "SELECT <columns> FROM subscribers WHERE <recipients with id in (lo, hi]> <tail>".
/// A segment runs guarded like any subscriber query (READ ONLY, sandboxed, allowlisted tables,
/// time-limited); its errors become Invalid "segment: ...".
Result selectRecipients(Lease& lease, const RecipientScope& scope, const std::string& columns,
                        sdk::Id lo, sdk::Id hi, const std::string& tail,
                        std::chrono::milliseconds timeout);

/// Checks a segment expression the way a send will run it, without reading any row:
/// Invalid "segment: ..." when it is unsafe or does not run.
void checkSegment(Lease& lease, const std::string& segment, std::chrono::milliseconds timeout);

}  // namespace tidings::storage_pg
