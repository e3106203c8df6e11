// The plugin's connection pool: a Poco::Data::SessionPool of PostgreSQL sessions, bounded by a
// semaphore so callers wait (up to a limit) for a free connection instead of failing at once
// (Poco's pool throws SessionPoolExhaustedException immediately), plus a Lease that exposes the
// session's raw PGconn for libpq calls.
//
// Why libpq under Poco: Poco::Data 1.11 binds neither arrays nor jsonb, cannot run EXPLAIN output
// through its extractor cleanly, and gives no access to SQLSTATE/constraint names, all of which
// the store needs. The pool, reconnect and idle handling still come from Poco.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <libpq-fe.h>

#include "pg_result.hpp"

namespace tidings::storage_pg {

/// Turns a postgresql:// URL (or a key=value conninfo) into the key=value form Poco's connector
/// requires, adding a connect timeout. Throws PgError for a malformed URL.
std::string toConninfo(const std::string& url, int connect_timeout_seconds);

/// The URL with any password replaced by "***", for log and error messages.
std::string redactUrl(const std::string& url);


struct PoolOptions {
    std::string url;  ///< As configured; never logged unredacted.
    int max_conns = 25;
    std::chrono::milliseconds query_timeout{5000};
    std::chrono::milliseconds acquire_timeout{5000};
    int connect_timeout_seconds = 5;
    /// Told why a connection failed or broke (driver text, URL redacted), so the reason reaches
    /// the operator's log while callers only see "database unavailable". Called on the thread
    /// that saw the failure; a repeat of the same reason at most once a second.
    std::function<void(const std::string&)> on_connection_failure;
};

class ConnectionPool;

/// Exclusive use of one pooled connection; returns it to the pool on destruction. A lease whose
/// connection broke closes the session so the pool does not hand it out again.
class Lease {
public:
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease(Lease&&) = delete;
    ~Lease();

    /// Runs one parameterised statement; throws PgError on failure.
    Result exec(std::string_view sql, const Params& params = {});
    /// Like exec, but prepares `sql` once per connection under `name` and reuses the plan.
    Result execPrepared(const char* name, std::string_view sql, const Params& params = {});
    /// Runs a parameterless command (BEGIN, SET LOCAL ...).
    void command(std::string_view sql) { exec(sql); }
    /// Runs trusted, constant SQL that may hold several statements (migrations only: the simple
    /// protocol allows chaining, so user input must never reach it).
    void script(std::string_view sql);
    /// Runs `copy_sql` (a COPY ... FROM STDIN) and streams `data` to it in the statement's
    /// format; throws PgError on failure, leaving the connection ready for the next statement.
    void copyIn(std::string_view copy_sql, std::string_view data);

    PGconn* raw() const noexcept { return conn_; }

private:
    friend class ConnectionPool;
    struct ConnState {
        int backend_pid = 0;
        std::unordered_set<std::string> prepared;
    };
    Lease(ConnectionPool& pool, Poco::Data::Session session, PGconn* conn, ConnState& state);
    Result check(PGresult* r);

    ConnectionPool& pool_;
    Poco::Data::Session session_;
    PGconn* conn_;
    ConnState& state_;
    bool broken_ = false;
};

/// Thread-safe pool. Construct with open(); every query borrows a Lease with acquire().
class ConnectionPool {
public:
    /// Creates the pool and checks that the database answers; throws PgError (connection lost)
    /// with a redacted message when it does not.
    static std::unique_ptr<ConnectionPool> open(const PoolOptions& options);
    ~ConnectionPool();

    /// Borrows a connection, waiting up to the acquire timeout; throws PgError (Unavailable).
    std::unique_ptr<Lease> acquire();

    const PoolOptions& options() const noexcept { return options_; }
    /// "postgresql 15.4", captured at open.
    const std::string& serverVersion() const noexcept { return server_version_; }

private:
    friend class Lease;
    explicit ConnectionPool(const PoolOptions& options);
    void release() noexcept { slots_.release(); }
    void reportFailure(const std::string& why) noexcept;
    /// Takes a session from Poco's pool whose backend is still there: an idle connection whose
    /// server ended it (restart, pg_terminate_backend) has an error or EOF waiting on its socket,
    /// and is dropped for a new one instead of failing the caller's first statement.
    Poco::Data::Session liveSession();

    PoolOptions options_;
    std::string conninfo_;
    std::unique_ptr<Poco::Data::SessionPool> pool_;
    std::counting_semaphore<1024> slots_;
    std::mutex state_mutex_;
    std::unordered_map<PGconn*, Lease::ConnState> states_;
    std::string server_version_;
    std::mutex report_mutex_;
    std::string last_report_;
    std::chrono::steady_clock::time_point last_report_at_{};
    int unreported_ = 0;
};

}  // namespace tidings::storage_pg
