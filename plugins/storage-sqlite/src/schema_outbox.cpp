#include "schema.hpp"

namespace tidings::storage_sqlite::schema {

// The outbox (sdk::OutboxStore): durable outbound jobs such as webhook deliveries. A claim is a
// short BEGIN IMMEDIATE transaction on the writer, which SQLite serialises across processes, so
// the lease columns alone keep two claimers apart. Partial indexes keep claims on open rows and
// pruning on final ones.
const char* const kOutbox = R"SQL(
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    channel         TEXT NOT NULL,
    destination     TEXT NOT NULL DEFAULT '',
    event           TEXT NOT NULL DEFAULT '',
    payload         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_code       INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    lease_token     TEXT NULL,
    leased_until    TEXT NULL,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX idx_outbox_due ON outbox (channel, next_attempt_at, id) WHERE status IN ('pending', 'failed');
CREATE INDEX idx_outbox_final ON outbox (channel, updated_at) WHERE status IN ('succeeded', 'dead');
CREATE INDEX idx_outbox_channel ON outbox (channel, id);
)SQL";

}  // namespace tidings::storage_sqlite::schema
