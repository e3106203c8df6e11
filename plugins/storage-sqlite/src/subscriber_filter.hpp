// Translates a SubscriberFilter into a WHERE condition over `subscribers` (never aliased: users'
// expressions say `subscribers.email`), and runs statements holding a user's `sql_expression`
// under the guard described in sandbox.hpp and subscriber_expression.hpp:
//   - only on a read-only connection, compiled with prepareOnce under the QuerySandbox;
//   - wrapped as "(\n<expr>\n)" after the containment check, so it cannot escape its parentheses;
//   - interrupted by the lease's deadline;
//   - failures become Invalid "query: <reason>".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

#include "connection.hpp"
#include "database.hpp"
#include "query_params.hpp"

namespace tidings::storage_sqlite {

/// True when the filter carries a user expression, which needs the guarded path.
bool hasExpression(const sdk::SubscriberFilter& filter);

/// True when nothing narrows the filter (it selects every subscriber).
bool isEmptyFilter(const sdk::SubscriberFilter& filter);

/// The WHERE condition for `filter`, its values appended to `params`; "1" when empty. Throws
/// StatusError(Invalid) for an expression refused by the containment check.
std::string filterCondition(const sdk::SubscriberFilter& filter, QueryParams& params);

/// Runs one SELECT that holds a user expression on `reader` (a read-only lease): compiled under
/// the sandbox, every row handed to `row`. Errors become Invalid "query: ..." (StatusError).
void runUserSelect(Connection& reader, const std::string& sql, const QueryParams& params,
                   const std::function<void(const Statement&)>& row);

/// The ids (ascending) of every subscriber matching a filter with an expression, resolved on a
/// reader. Bulk writes then act on exactly these ids on the writer, so the expression itself
/// never runs where writes are possible.
std::vector<sdk::Id> resolveGuardedIds(Database& db, const sdk::SubscriberFilter& filter);

}  // namespace tidings::storage_sqlite
