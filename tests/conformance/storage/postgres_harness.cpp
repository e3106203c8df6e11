#include "postgres_harness.hpp"

#include <chrono>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <thread>

#include <unistd.h>

namespace tidings::conformance {
namespace {

// Replaces dbname in a URL or conninfo and returns key=value conninfo.
std::string withDatabase(const std::string& url, const std::string& db) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
        std::string msg = err ? err : "malformed";
        PQfreemem(err);
        throw std::runtime_error("TIDINGS_TEST_PG_URL is malformed: " + msg);
    }
    std::string out;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (std::string_view(o->keyword) == "dbname" || !o->val || !*o->val) continue;
        out += std::string(o->keyword) + "=" + o->val + " ";
    }
    PQconninfoFree(opts);
    return out + "dbname=" + db;
}

std::string uniqueName() {
    std::random_device rd;
    std::mt19937_64 gen(rd());
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
    return "tidings_test_" + std::to_string(::getpid()) + "_" + buf;
}

}  // namespace

PgConnPtr connectPg(const std::string& conninfo) {
    PgConnPtr conn(PQconnectdb(conninfo.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK)
        throw std::runtime_error(std::string("cannot connect to test PostgreSQL: ") + PQerrorMessage(conn.get()));
    return conn;
}

std::string queryValue(PGconn* conn, const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn, sql.c_str()), &PQclear);
    const auto st = PQresultStatus(r.get());
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        throw std::runtime_error("SQL failed: " + sql + ": " + PQresultErrorMessage(r.get()));
    if (st == PGRES_TUPLES_OK && PQntuples(r.get()) > 0) return PQgetvalue(r.get(), 0, 0);
    return {};
}

// ---- LoadedPostgresPlugin ---------------------------------------------------------------------

LoadedPostgresPlugin::LoadedPostgresPlugin(const std::string& db_url)
    : LoadedStoragePlugin("storage-postgres",
                          {{"db.url", db_url},
                           {"db.max_conns", "8"},
                           {"db.query_timeout", "2s"},
                           // Compaction only when asked: tests see counts with pending deltas, then settle them.
                           {"db.count_compact_interval", "3600s"}}) {}

// ---- PostgresHarness --------------------------------------------------------------------------

PostgresHarness::PostgresHarness() {
    const char* env = std::getenv("TIDINGS_TEST_PG_URL");
    if (!env || !*env)
        throw std::runtime_error(
            "TIDINGS_TEST_PG_URL is not set. The storage conformance tests need a PostgreSQL server: "
            "set it to a superuser maintenance database, e.g. "
            "TIDINGS_TEST_PG_URL=postgresql://postgres@127.0.0.1:55432/postgres");
    admin_url_ = env;
    db_name_ = uniqueName();
    {
        auto admin = connectPg(admin_url_);
        queryValue(admin.get(), "CREATE DATABASE " + db_name_);
    }
    db_url_ = withDatabase(admin_url_, db_name_);
    plugin_ = std::make_unique<LoadedPostgresPlugin>(db_url_);
    if (auto st = plugin_->start(); !st) throw std::runtime_error("storage-postgres start failed: " + st.message());
    sdk::MigrationReport report;
    if (auto st = plugin_->storage().migrate(report); !st)
        throw std::runtime_error("storage-postgres migrate failed: " + st.message());
    conn_ = connectPg(db_url_);
}

PostgresHarness::~PostgresHarness() {
    conn_.reset();
    plugin_.reset();
    try {
        auto admin = connectPg(admin_url_);
        queryValue(admin.get(), "DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
    } catch (...) {
        // Never throw from a destructor at exit; a leftover database is named tidings_test_*.
    }
}

void PostgresHarness::reset() {
    queryValue(conn_.get(),
               "TRUNCATE subscribers, lists, subscriber_lists, users, roles, settings,"
               " subscription_counts, count_deltas, kv_state, templates, campaigns, campaign_lists,"
               " campaign_batches, campaign_deliveries, imports, import_logs, bounces, links, link_clicks,"
               " campaign_views, outbox RESTART IDENTITY CASCADE");
}

void PostgresHarness::settleCounts() {
    for (int attempt = 0; attempt < 100; ++attempt) {
        queryValue(conn_.get(), "SELECT tidings_compact_counts()");
        if (queryValue(conn_.get(), "SELECT COUNT(*) FROM count_deltas") == "0") return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // another compactor holds the lock
    }
    throw std::runtime_error("count deltas did not settle");
}

StorageHarness& harness() { return postgresHarness(); }

PostgresHarness& postgresHarness() {
    // Constructed on first use (so listing tests needs no database); destroyed at exit, which
    // drops the database.
    static PostgresHarness instance;
    return instance;
}

}  // namespace tidings::conformance
