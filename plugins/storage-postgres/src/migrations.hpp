// Schema migrations: an ordered list of SQL scripts, each applied once and recorded in
// `schema_migrations`. migrate() holds a transaction-scoped advisory lock, so several processes
// starting together apply each script exactly once; DDL is transactional in PostgreSQL, so a
// failed migration leaves the previous version intact.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "connection_pool.hpp"

namespace tidings::storage_pg {

/// The schema version this build knows.
int latestSchemaVersion() noexcept;

/// Brings the schema to latestSchemaVersion(); throws PgError on failure.
void migrate(ConnectionPool& pool, sdk::MigrationReport& report);

}  // namespace tidings::storage_pg
