// Database: what every sub-store shares — the connection pool (opened in start(), closed in
// stop()), the query time limit, and the background count compactor.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "connection_pool.hpp"

namespace tidings::storage_pg {

class Database {
public:
    Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database() { close(); }

    /// Opens the pool and starts the compactor; throws PgError when the database is unreachable.
    void open(const PoolOptions& options, std::chrono::milliseconds compact_interval);
    /// Stops the compactor and closes every connection. Idempotent.
    void close() noexcept;

    /// Borrows a connection; throws PgError (Unavailable) before open() or when none is free.
    std::unique_ptr<Lease> lease();

    /// The pool itself (migrations); throws PgError (Unavailable) before open().
    ConnectionPool& pool();

    std::chrono::milliseconds queryTimeout() const noexcept { return options_.query_timeout; }
    std::string describe() const;

    /// Asks the compactor to fold count deltas soon (after bulk changes), without waiting.
    void requestCompaction() noexcept;

private:
    void compactorLoop(std::chrono::milliseconds interval) noexcept;

    PoolOptions options_;
    std::unique_ptr<ConnectionPool> pool_;
    std::thread compactor_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool compaction_requested_ = false;
};

}  // namespace tidings::storage_pg
