// Reads of the maintained counts (see migrations.cpp): base rows in subscription_counts plus
// pending rows in count_deltas, summed in one statement so a concurrent compaction (which moves
// deltas into the base in one transaction) never makes a reader see a number twice or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include <tidings/sdk/v1/model.hpp>

#include "connection_pool.hpp"

namespace tidings::storage_pg {

/// Counts by subscription status for each list id given (lists without any count are absent).
std::unordered_map<sdk::Id, sdk::SubscriptionCounts> listCounts(Lease& lease,
                                                                const std::vector<sdk::Id>& ids);

/// Number of subscribers (any status).
std::int64_t subscriberTotal(Lease& lease);

/// Number of memberships of one list, optionally only in one status.
std::int64_t membershipTotal(Lease& lease, sdk::Id list_id,
                             const std::optional<sdk::SubscriptionStatus>& status);

/// Folds pending deltas into the base counts; returns how many delta rows were consumed.
std::int64_t compactCounts(Lease& lease);

/// SQL (a CTE body) yielding (list_id, unconfirmed, confirmed, unsubscribed) for every list.
const char* listCountsCte() noexcept;

}  // namespace tidings::storage_pg
