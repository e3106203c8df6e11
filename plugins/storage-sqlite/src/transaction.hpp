// RAII transaction: rolls back unless commit() was reached, so every store method applies all of
// its change or none of it, whatever throws in between.
#pragma once

#include "connection.hpp"

namespace tidings::storage_sqlite {

class Transaction {
public:
    /// Write takes the database's write lock at once (BEGIN IMMEDIATE), so a transaction never
    /// fails half-way for a lock another process holds; Read pins one snapshot for several reads.
    enum class Mode { Write, Read };

    explicit Transaction(Connection& connection, Mode mode = Mode::Write) : connection_(connection) {
        connection_.exec(mode == Mode::Write ? "BEGIN IMMEDIATE" : "BEGIN");
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    ~Transaction() {
        if (done_ || !connection_.inTransaction()) return;
        try {
            connection_.exec("ROLLBACK");
        } catch (...) {
            // The lease rolls back again when it returns the connection.
        }
    }

    void commit() {
        connection_.exec("COMMIT");
        done_ = true;
    }

private:
    Connection& connection_;
    bool done_ = false;
};

}  // namespace tidings::storage_sqlite
