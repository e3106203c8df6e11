// Schema migrations: numbered versions applied in order inside one write transaction each,
// recorded in schema_migrations. Several processes starting at once serialise on SQLite's write
// lock (BEGIN IMMEDIATE); the later ones find the work done.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

/// The newest version this build knows.
int latestSchemaVersion() noexcept;

/// Brings the schema to latestSchemaVersion(). Throws SqliteError.
void migrate(Database& db, sdk::MigrationReport& report);

}  // namespace tidings::storage_sqlite
