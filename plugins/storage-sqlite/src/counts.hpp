// Reads of the maintained counts in subscription_counts (schema_subscribers.cpp). Triggers keep
// them exact in the writing transaction, so a read is a primary-key lookup, never a COUNT over
// memberships.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tidings/sdk/v1/model.hpp>

#include "connection.hpp"

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

/// Number of subscribers (any status).
std::int64_t subscriberTotal(Connection& c);

/// Number of memberships of one list, optionally only those in one status.
std::int64_t membershipTotal(Connection& c, sdk::Id list_id, const std::optional<sdk::SubscriptionStatus>& status);

/// SQL selecting a list's counts for the `lists` row in scope, in this order: unconfirmed,
/// confirmed, unsubscribed (3 columns, 0 when absent).
const std::string& listCountColumns();

/// SQL for a list's subscriber_count (unconfirmed + confirmed), for ORDER BY.
const std::string& listSubscriberCountSql();

}  // namespace tidings::storage_sqlite
