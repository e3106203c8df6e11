// Connection settings for one bulk write (an import batch), restored when it ends.
//
// Every statement that runs triggers inside a transaction keeps a statement journal so that it
// can be undone alone. SQLite keeps that journal in memory only up to 64 KiB and then moves it
// to a temporary file, after which each page it records is a write() system call; an import
// batch crosses that at once and then spends most of its time in the kernel. With temporary
// storage in memory the journal never spills. A larger page cache keeps the batch's dirty index
// pages in memory until the commit instead of spilling them to the WAL half-way.
#pragma once

#include <cstdint>

#include "connection.hpp"

namespace tidings::storage_sqlite {

class BulkWriteScope {
public:
    /// Applies the settings; call outside a transaction (temp_store cannot change inside one).
    explicit BulkWriteScope(Connection& c);
    BulkWriteScope(const BulkWriteScope&) = delete;
    BulkWriteScope& operator=(const BulkWriteScope&) = delete;
    /// Restores the connection's own settings (dropping the temporary tables of the batch).
    ~BulkWriteScope();

private:
    Connection& c_;
    std::int64_t temp_store_ = 0;
    std::int64_t cache_size_ = 0;
};

}  // namespace tidings::storage_sqlite
