// PostgreSQL harness: creates a uniquely named database on the server named by
// TIDINGS_TEST_PG_URL, loads the built storage-postgres.so the way the kernel does (Boost.DLL
// section aliases), starts it with a FakeHost, and drops the database at exit.
#pragma once

#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>
#include <libpq-fe.h>

#include <tidings/sdk/v1/plugin.hpp>

#include "fake_host.hpp"
#include "storage_harness.hpp"

namespace tidings::conformance {

/// One loaded plugin instance with its own fake host.
class LoadedPostgresPlugin {
public:
    /// Loads and attaches; start() connects. `db_url` becomes the host's db.url.
    explicit LoadedPostgresPlugin(const std::string& db_url);
    ~LoadedPostgresPlugin();
    LoadedPostgresPlugin(const LoadedPostgresPlugin&) = delete;
    LoadedPostgresPlugin& operator=(const LoadedPostgresPlugin&) = delete;

    sdk::Status start() { return plugin_->start(); }
    sdk::Storage& storage() { return *registrar_.storage(); }
    ::tidings::sdk::testing::FakeHost& host() { return host_; }
    ::tidings::sdk::testing::FakeRegistrar& registrar() { return registrar_; }
    const sdk::Manifest& manifest() const { return *manifest_; }

private:
    boost::dll::shared_library library_;
    ::tidings::sdk::testing::FakeHost host_;
    ::tidings::sdk::testing::FakeRegistrar registrar_{host_};
    const sdk::Manifest* manifest_ = nullptr;
    sdk::DestroyFn* destroy_ = nullptr;
    sdk::Plugin* plugin_ = nullptr;
    bool started_ = false;
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
