// Helpers shared by the subscriber write paths: list-id validation and reading one subscriber
// back with its memberships.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/model.hpp>

#include "connection.hpp"

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

/// The ids sorted, without duplicates.
std::vector<sdk::Id> uniqueIds(const std::vector<sdk::Id>& ids);

/// Throws StatusError(Invalid "lists: unknown list id") unless every id (unique) names a list.
void requireLists(Connection& c, const std::vector<sdk::Id>& unique_ids);

/// The subscriber with this id and its memberships, if any.
std::optional<sdk::Subscriber> loadSubscriber(Connection& c, sdk::Id id);

/// The subscriber with this id; StatusError(NotFound) when it is gone.
sdk::Subscriber requireSubscriber(Connection& c, sdk::Id id);

}  // namespace tidings::storage_sqlite
