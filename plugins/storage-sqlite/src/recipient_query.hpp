// Who a campaign goes to, as SQL: the one place that decides which subscribers are recipients,
// shared by counting them when a run starts and by cutting batches while it runs.
//
// A recipient is a subscriber who is not blocklisted, has a subscription to one of the
// campaign's lists that may receive mail (confirmed; or unconfirmed on a single opt-in list —
// for opt-in campaigns, unconfirmed on a double opt-in list), and matches the campaign's
// segment. A campaign without lists is sent to its segment alone; one with neither, to nobody.
//
// Every function here only reads. Callers run them on a reader lease: a segment is a user's SQL
// and must never run where writes are possible. It runs under QuerySandbox, compiled uncached,
// and its errors become Invalid "segment: ...".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tidings/sdk/v1/campaign.hpp>

#include "connection.hpp"

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

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
bool loadScope(Connection& conn, sdk::Id campaign_id, RecipientScope& out);

/// The number of recipients with an id in (0, hi].
std::int64_t countRecipients(Connection& reader, const RecipientScope& scope, sdk::Id hi);

/// The recipients with an id in (lo, hi], ordered by id, at most `limit` of them (0: all),
/// without memberships.
std::vector<sdk::Subscriber> selectRecipients(Connection& reader, const RecipientScope& scope, sdk::Id lo,
                                              sdk::Id hi, std::size_t limit);

/// Checks a segment the way a send will run it, without reading any row: Invalid
/// "segment: ..." when it is unsafe or does not compile.
void checkSegment(Connection& reader, const std::string& segment);

}  // namespace tidings::storage_sqlite
