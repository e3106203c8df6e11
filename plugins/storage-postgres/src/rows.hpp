// Column lists and row readers shared by the stores, so every query that returns a subscriber,
// list, user or role selects the same columns in the same order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/model.hpp>

#include "connection_pool.hpp"

namespace tidings::storage_pg {

/// Columns of `subscribers` in readSubscriber's order (8 columns).
const std::string& subscriberColumns();
sdk::Subscriber readSubscriber(const Result& r, int row);

/// Columns of `lists` in readList's order (10 columns), counts not included.
const std::string& listColumns();
sdk::List readList(const Result& r, int row, int first_col = 0);

/// Columns of `users u JOIN roles r` in readUser's order (16 columns: 11 user, 5 role).
const std::string& userColumns();
sdk::User readUser(const Result& r, int row);
/// Columns of `roles` in readRole's order (5 columns).
const std::string& roleColumns();
sdk::Role readRole(const Result& r, int row, int first_col = 0);

/// Fills `lists` of every subscriber given with one query (no N+1), ordered by list id.
void loadMemberships(Lease& lease, std::vector<sdk::Subscriber>& subscribers);

/// A UUID parameter for comparisons against uuid columns (`col = $n::uuid`, which uses the
/// index): the lower-cased UUID when `text` is well-formed, else nullopt (SQL NULL matches
/// nothing), so mangled UUIDs from links or forms are simply not found.
std::optional<std::string> uuidParam(std::string_view text);

/// Throws StatusError(Internal) for a status text the schema should have rejected.
template <typename Enum>
Enum enumFrom(std::string_view text);

}  // namespace tidings::storage_pg
