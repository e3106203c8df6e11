// Database: the connections every sub-store shares. One writer connection, held by one thread at
// a time, and a pool of read-only connections that run beside it (WAL). Writes are serialised in
// the process by the writer's mutex and across processes by SQLite's own lock (busy timeout).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <tidings/sdk/v1/status.hpp>

#include "connection.hpp"

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

struct DatabaseOptions {
    std::string path;                              ///< The database file.
    int max_readers = 8;                           ///< Read-only connections kept open.
    std::chrono::milliseconds query_timeout{5000};  ///< Longest a lease's statements may run.
    std::chrono::milliseconds acquire_timeout{5000};  ///< Longest to wait for a connection.
};

class Database;

/// A borrowed connection, returned when the lease goes away. Its statements are interrupted once
/// the query time limit has passed since the lease was taken (re-arm with rearm() for long jobs
/// that work in batches).
class Lease {
public:
    Lease(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    Connection& operator*() noexcept { return *connection_; }
    Connection* operator->() noexcept { return connection_; }
    /// Starts the query time limit again (one batch of a long-running job).
    void rearm();
    /// Lifts the time limit (streaming to a client that paces the reads).
    void unlimited() noexcept { connection_->clearDeadline(); }

private:
    friend class Database;
    Lease(Database& db, Connection* connection, bool writer);

    Database* db_;
    Connection* connection_;
    bool writer_;
};

class Database {
public:
    Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database() { close(); }

    /// Creates the file (and its directory) when missing and opens the writer. Throws SqliteError.
    void open(const DatabaseOptions& options);
    /// Closes every connection. Idempotent; leases must have been returned.
    void close() noexcept;

    /// The writer connection, exclusively. Throws SqliteError (busy) after acquire_timeout.
    Lease writer();
    /// A read-only connection. Throws SqliteError (busy) after acquire_timeout.
    Lease reader();

    std::chrono::milliseconds queryTimeout() const noexcept { return options_.query_timeout; }
    const std::string& path() const noexcept { return options_.path; }
    std::string describe() const;

private:
    friend class Lease;
    void giveBack(Connection* connection, bool writer) noexcept;
    std::unique_ptr<Connection> openConnection(bool read_only) const;

    DatabaseOptions options_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::unique_ptr<Connection> writer_;
    bool writer_busy_ = false;
    std::vector<std::unique_ptr<Connection>> readers_;  ///< Every reader, idle or lent.
    std::vector<Connection*> idle_readers_;
    bool open_ = false;
};

}  // namespace tidings::storage_sqlite
