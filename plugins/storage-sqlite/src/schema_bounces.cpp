#include "schema.hpp"

namespace tidings::storage_sqlite::schema {

// PostgreSQL's table and column names: users' `query` expressions may read bounces. A
// subscriber's bounces go with them (CASCADE); a deleted campaign leaves its bounces unlinked.
// meta is kept as the provider sent it (validated JSON text), which JSON functions and the ->>
// operator read directly.
const char* const kBounces = R"SQL(
CREATE TABLE bounces (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    campaign_id   INTEGER NULL REFERENCES campaigns (id) ON DELETE SET NULL,
    type          TEXT NOT NULL DEFAULT 'hard' CHECK (type IN ('soft', 'hard', 'complaint')),
    source        TEXT NOT NULL DEFAULT '',
    meta          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX idx_bounces_subscriber ON bounces (subscriber_id, type);
CREATE INDEX idx_bounces_campaign ON bounces (campaign_id);
CREATE INDEX idx_bounces_source ON bounces (source);
CREATE INDEX idx_bounces_created_at ON bounces (created_at);
)SQL";

}  // namespace tidings::storage_sqlite::schema
