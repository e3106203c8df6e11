// PostgreSQL harness: creates a uniquely named database on the server named by
// TIDINGS_TEST_PG_URL, loads the built storage-postgres.so, starts it with a FakeHost, and drops
// the database at exit.
#pragma once

#include <memory>
#include <string>

#include <libpq-fe.h>

#include "loaded_plugin.hpp"
#include "storage_harness.hpp"

namespace tidings::conformance {

/// storage-postgres loaded for `db_url`, with the suite's pool and timeout settings.
class LoadedPostgresPlugin : public LoadedStoragePlugin {
public:
    explicit LoadedPostgresPlugin(const std::string& db_url);
};

/// A libpq connection owned RAII-style, for set-up and for peeking at tables in tests.
using PgConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
PgConnPtr connectPg(const std::string& conninfo);
/// Runs SQL and returns the first column of the first row ("" when none); throws on error.
std::string queryValue(PGconn* conn, const std::string& sql);

class PostgresHarness final : public StorageHarness {
public:
    PostgresHarness();
    ~PostgresHarness() override;

    sdk::Storage& storage() override { return plugin_->storage(); }
    void reset() override;
    void settleCounts() override;

    /// conninfo of the per-run test database.
    const std::string& databaseUrl() const { return db_url_; }
    PGconn* connection() { return conn_.get(); }

private:
    std::string admin_url_;
    std::string db_name_;
    std::string db_url_;
    std::unique_ptr<LoadedPostgresPlugin> plugin_;
    PgConnPtr conn_{nullptr, &PQfinish};
};

/// The harness as its concrete type, for PostgreSQL-only tests.
PostgresHarness& postgresHarness();

}  // namespace tidings::conformance
