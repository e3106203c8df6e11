// Translates a SubscriberFilter into a WHERE clause over `subscribers` (never aliased: users'
// expressions say `subscribers.email`), and guards the user-supplied `sql_expression`.
//
// The guard, in order of defence:
//   1. the expression is only ever spliced into a single SELECT sent with the extended protocol,
//      which refuses multiple statements ("1=1; DROP TABLE ..." fails to prepare);
//   2. it is wrapped as "(\n<expr>\n)" so a trailing "--" comment cannot swallow the rest of our
//      statement, and an unbalanced parenthesis is a syntax error;
//   3. the statement runs in a READ ONLY transaction with a statement timeout;
//   4. before running, EXPLAIN (FORMAT JSON) lists every relation the plan touches, and any
//      relation outside the subscriber/list/campaign/tracking tables is refused.
// Errors raised while the expression runs become Invalid "query: <reason>".
#pragma once

#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

#include "connection_pool.hpp"

namespace tidings::storage_pg {

/// The filter's expression, trimmed and without trailing semicolons (listmonk accepts "x = 1;").
std::string normalisedExpression(const sdk::SubscriberFilter& filter);

/// True when the filter has a user expression that needs the guarded path.
inline bool hasExpression(const sdk::SubscriberFilter& f) { return !normalisedExpression(f).empty(); }

/// The WHERE condition for `filter`, appending its values to `params`; "TRUE" when empty.
std::string filterCondition(const sdk::SubscriberFilter& filter, Params& params);

/// Refuses (StatusError Invalid) a statement whose plan reads a relation outside the allowlist.
/// Must run inside the READ ONLY transaction that will run the statement.
/// Switches the current (read-only) transaction to the restricted query role, when it exists.
void enterQuerySandbox(Lease& lease);

void checkPlanRelations(Lease& lease, const std::string& select_sql, const Params& params);

/// Runs `body` mapping database errors to the user-expression flavour (Invalid "query: ...").
template <typename Body>
auto asUserQuery(Body&& body) -> decltype(body());

/// Resolves the ids of every subscriber matching a filter with an expression: guarded, in a
/// READ ONLY transaction. Bulk writes then act on exactly these ids in a separate write
/// transaction, so the expression itself never runs where writes are possible.
std::vector<sdk::Id> resolveGuardedIds(Lease& lease, const sdk::SubscriberFilter& filter,
                                       std::chrono::milliseconds timeout);

}  // namespace tidings::storage_pg

#include "errors.hpp"

namespace tidings::storage_pg {
template <typename Body>
auto asUserQuery(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const PgError& e) {
        throw StatusError(toStatus(e, /*user_sql=*/true));
    }
}
}  // namespace tidings::storage_pg
