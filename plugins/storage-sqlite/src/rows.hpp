// Column lists and row readers shared by the stores, so every query that returns a subscriber or
// a list selects the same columns in the same order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/model.hpp>

#include "connection.hpp"

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

/// Columns of `subscribers` (the table name, never aliased) in readSubscriber's order (8 columns).
const std::string& subscriberColumns();
/// Reads the subscriber whose columns start at `first_col`; memberships are not filled in.
sdk::Subscriber readSubscriber(const Statement& st, int first_col = 0);

/// Columns of `lists` in readList's order (10 columns), counts not included.
const std::string& listColumns();
sdk::List readList(const Statement& st, int first_col = 0);

/// Fills `lists` of every subscriber given, ordered by list id, with one query (no N+1).
void loadMemberships(Connection& c, std::vector<sdk::Subscriber>& subscribers);

}  // namespace tidings::storage_sqlite
