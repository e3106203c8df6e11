// The guard around users' `query` expressions (listmonk's subscriber queries and campaign
// segments), which are SQL spliced into a statement of ours. In order of defence:
//   1. they only ever run on a read-only connection, so no statement can write;
//   2. the statement is compiled as exactly one statement (chaining "x; DROP ..." fails);
//   3. while it is compiled, an authorizer allows reading only the subscriber, list, campaign,
//      bounce and tracking tables, calling only allowlisted side-effect-free functions, and
//      denies every other action (PRAGMA, ATTACH, writes, other tables such as users or
//      settings, load_extension, printf);
//   4. the lease's deadline interrupts it when it runs past the query time limit (a progress
//      handler, between VM steps), and read connections cap every value's size
//      (SQLITE_LIMIT_LENGTH), so no single function call can run for long or take gigabytes.
// Errors raised while compiling or running it become Invalid "query: <reason>".
#pragma once

#include <string>
#include <string_view>

#include <tidings/sdk/v1/storage.hpp>

#include "connection.hpp"
#include "errors.hpp"

namespace tidings::storage_sqlite {

/// While alive, statements compiled on the connection may only read the allowlisted tables.
class QuerySandbox {
public:
    explicit QuerySandbox(Connection& connection);
    QuerySandbox(const QuerySandbox&) = delete;
    QuerySandbox& operator=(const QuerySandbox&) = delete;
    ~QuerySandbox();

    /// Why the authorizer refused a statement compiled under this sandbox, naming the first
    /// table or function it refused ("query: table 'users' is not allowed", clearer than
    /// SQLite's "not authorized"), or "" when it refused nothing; `field` is "query" or "segment".
    std::string refusal(std::string_view field) const;

private:
    friend int sandboxAuthorize(void*, int, const char*, const char*, const char*, const char*);
    Connection& connection_;
    std::string denied_table_;
    std::string denied_function_;
};

/// The filter's expression, trimmed and without trailing semicolons (listmonk accepts "x = 1;").
std::string normalisedExpression(std::string_view expression);

/// Runs `body` mapping database errors to the user-expression flavour (Invalid "query: ...").
template <typename Body>
auto asUserQuery(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const SqliteError& e) {
        throw StatusError(toStatus(e, /*user_sql=*/true));
    }
}

}  // namespace tidings::storage_sqlite
