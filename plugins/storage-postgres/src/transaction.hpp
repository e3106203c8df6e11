// RAII transaction on a leased connection: rolls back unless commit() was reached, so every
// store method applies all of its change or none of it, whatever throws in between.
#pragma once

#include <chrono>
#include <string>

#include "connection_pool.hpp"

namespace tidings::storage_pg {

class Transaction {
public:
    enum class Mode { ReadWrite, ReadOnly };

    explicit Transaction(Lease& lease, Mode mode = Mode::ReadWrite) : lease_(lease) {
        lease_.command(mode == Mode::ReadOnly ? "BEGIN READ ONLY" : "BEGIN");
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    ~Transaction() {
        if (done_) return;
        try {
            lease_.command("ROLLBACK");
        } catch (...) {
            // The lease sees the connection still in a transaction and discards it.
        }
    }

    /// Limits every statement until the end of this transaction.
    void statementTimeout(std::chrono::milliseconds limit) {
        Params p;
        p.add(std::to_string(limit.count()));
        lease_.exec("SELECT set_config('statement_timeout', $1, true)", p);
    }

    void commit() {
        lease_.command("COMMIT");
        done_ = true;
    }

private:
    Lease& lease_;
    bool done_ = false;
};

}  // namespace tidings::storage_pg
