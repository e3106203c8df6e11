#include "database.hpp"

#include "counts.hpp"
#include "errors.hpp"

namespace tidings::storage_pg {

void Database::open(const PoolOptions& options, std::chrono::milliseconds compact_interval) {
    close();
    options_ = options;
    pool_ = ConnectionPool::open(options);
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    compactor_ = std::thread([this, compact_interval] { compactorLoop(compact_interval); });
}

void Database::close() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (compactor_.joinable()) compactor_.join();
    pool_.reset();
}

std::unique_ptr<Lease> Database::lease() {
    if (!pool_) throw PgError("storage is not started", "", "", true);
    return pool_->acquire();
}

ConnectionPool& Database::pool() {
    if (!pool_) throw PgError("storage is not started", "", "", true);
    return *pool_;
}

std::string Database::describe() const {
    return pool_ ? pool_->serverVersion() : std::string("postgresql (not connected)");
}

void Database::requestCompaction() noexcept {
    {
        std::lock_guard lock(mutex_);
        compaction_requested_ = true;
    }
    wake_.notify_all();
}

void Database::compactorLoop(std::chrono::milliseconds interval) noexcept {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, interval, [this] { return stopping_ || compaction_requested_; });
        if (stopping_) break;
        compaction_requested_ = false;
        lock.unlock();
        try {
            auto l = lease();
            compactCounts(*l);
            l->execPrepared("state_purge", "DELETE FROM kv_state WHERE expires_at <= NOW()");
        } catch (...) {
            // Deltas simply stay pending; readers still add them, so counts remain exact.
        }
        lock.lock();
    }
}

}  // namespace tidings::storage_pg
