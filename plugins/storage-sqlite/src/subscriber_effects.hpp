// Changes to subscribers that bounces and imports apply as consequences, inside the caller's
// write transaction: finding the subscriber a bounce names, unsubscribing, blocklisting and
// deleting. The list counts follow through the subscriber tables' own triggers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <tidings/sdk/v1/model.hpp>

#include "connection.hpp"

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

/// The id of the subscriber with this e-mail, compared case-insensitively.
std::optional<sdk::Id> subscriberIdByEmail(Connection& c, std::string_view email);
/// The id of the subscriber with this UUID; nullopt for a malformed one.
std::optional<sdk::Id> subscriberIdByUuid(Connection& c, std::string_view uuid);

/// Every subscription of the subscriber that is not unsubscribed yet becomes unsubscribed.
void unsubscribeAll(Connection& c, sdk::Id subscriber_id, const std::string& now);
/// Blocklists the subscriber and unsubscribes every subscription.
void blocklistSubscriber(Connection& c, sdk::Id subscriber_id, const std::string& now);
/// Deletes the subscriber; memberships and bounces go with it (ON DELETE CASCADE).
void deleteSubscriber(Connection& c, sdk::Id subscriber_id);

}  // namespace tidings::storage_sqlite
