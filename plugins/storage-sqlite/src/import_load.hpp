// Bulk loading of one import batch into the subscriber tables.
//
// PostgreSQL stages a batch with COPY and upserts it with a few set-based statements, because
// every statement costs a round trip there. SQLite runs in-process: per-row statements cost a
// couple of microseconds each, so the batch is applied row by row with statements prepared once
// per connection and reused, inside the caller's single write transaction (all or nothing).
#pragma once

#include <cstdint>
#include <vector>

#include <tidings/sdk/v1/import.hpp>

#include "connection.hpp"

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

/// Writes `rows` as `options` say, inside the caller's write transaction: subscribers upserted by
/// e-mail (the last row of an e-mail wins), memberships added or, in blocklist mode, unsubscribed.
/// Returns the number of distinct e-mails applied. Throws StatusError(Invalid) for an unknown
/// list id, SqliteError for database failures.
std::int64_t loadImportRows(Connection& c, const std::vector<sdk::ImportRecord>& rows,
                            const sdk::BulkLoadOptions& options);

}  // namespace tidings::storage_sqlite
