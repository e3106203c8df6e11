#include "schema.hpp"

namespace tidings::storage_sqlite::schema {

// Templates, campaigns and the send engine's state, with PostgreSQL's table and column names so
// listmonk-style segment expressions read the same on both stores.
//
// A campaign's run is a recipient range (subscriber ids up to max_subscriber_id, fixed when it
// starts) cut into leased batches at last_subscriber_id; campaign_deliveries is the
// per-recipient ledger that makes a crash re-send only what was in flight. Batches are deleted
// when completed, so that table only ever holds the batches in flight.
//
// Conventions of this store: timestamps are UTC text ('YYYY-MM-DD HH:MM:SS.ffffff'), JSON is
// text checked with json_valid(), tags are a JSON array of strings. Ids that a stale holder may
// still present later (batches) or that links refer to (campaigns, templates) use AUTOINCREMENT
// so a deleted row's id is never handed out again.
const char* const kCampaigns = R"SQL(
CREATE TABLE templates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL DEFAULT 'campaign' CHECK (type IN ('campaign', 'campaign_visual', 'tx')),
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    body_source TEXT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
-- At most one default template.
CREATE UNIQUE INDEX idx_templates_default ON templates (is_default) WHERE is_default = 1;

CREATE TABLE campaigns (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid                TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    name                TEXT NOT NULL,
    subject             TEXT NOT NULL,
    from_email          TEXT NOT NULL,
    body                TEXT NOT NULL DEFAULT '',
    body_source         TEXT NULL,
    altbody             TEXT NULL,
    content_type        TEXT NOT NULL DEFAULT 'richtext'
                        CHECK (content_type IN ('richtext', 'html', 'markdown', 'plain', 'visual')),
    send_at             TEXT NULL,
    headers             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(headers)),
    attribs             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attribs)),
    status              TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'cancelled', 'finished')),
    tags                TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    type                TEXT NOT NULL DEFAULT 'regular' CHECK (type IN ('regular', 'optin')),
    messenger           TEXT NOT NULL,
    template_id         INTEGER NULL REFERENCES templates (id) ON DELETE SET NULL,
    segment             TEXT NOT NULL DEFAULT '',
    to_send             INTEGER NOT NULL DEFAULT 0,
    sent                INTEGER NOT NULL DEFAULT 0,
    failed              INTEGER NOT NULL DEFAULT 0,
    max_subscriber_id   INTEGER NOT NULL DEFAULT 0,
    last_subscriber_id  INTEGER NOT NULL DEFAULT 0,
    archive             INTEGER NOT NULL DEFAULT 0 CHECK (archive IN (0, 1)),
    archive_slug        TEXT NULL UNIQUE,
    archive_template_id INTEGER NULL REFERENCES templates (id) ON DELETE SET NULL,
    archive_meta        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(archive_meta)),
    started_at          TEXT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX idx_campaigns_status ON campaigns (status);
CREATE INDEX idx_campaigns_name ON campaigns (name);
CREATE INDEX idx_campaigns_created_at ON campaigns (created_at);
CREATE INDEX idx_campaigns_updated_at ON campaigns (updated_at);
-- Template deletes (ON DELETE SET NULL) look campaigns up by template.
CREATE INDEX idx_campaigns_template ON campaigns (template_id) WHERE template_id IS NOT NULL;
CREATE INDEX idx_campaigns_archive_template ON campaigns (archive_template_id)
    WHERE archive_template_id IS NOT NULL;
CREATE INDEX idx_campaigns_due ON campaigns (send_at) WHERE status = 'scheduled';

-- list_name keeps the list's name readable in the campaign after the list is deleted
-- (list_id becomes NULL) and follows renames while the list exists.
CREATE TABLE campaign_lists (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    list_id     INTEGER NULL REFERENCES lists (id) ON DELETE SET NULL,
    list_name   TEXT NOT NULL,
    UNIQUE (campaign_id, list_id)
);
CREATE INDEX idx_campaign_lists_list ON campaign_lists (list_id);

CREATE TRIGGER lists_renamed AFTER UPDATE OF name ON lists
    FOR EACH ROW WHEN OLD.name IS NOT NEW.name
BEGIN
    UPDATE campaign_lists SET list_name = NEW.name WHERE list_id = NEW.id;
END;

CREATE TABLE campaign_batches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    first_id     INTEGER NOT NULL,
    last_id      INTEGER NOT NULL,
    leased_until TEXT NOT NULL
);
CREATE INDEX idx_campaign_batches_campaign ON campaign_batches (campaign_id, leased_until);

-- No foreign key to subscribers: the ledger outlives a deleted subscriber's row.
CREATE TABLE campaign_deliveries (
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    error         TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (campaign_id, subscriber_id)
) WITHOUT ROWID;
CREATE INDEX idx_campaign_deliveries_failed ON campaign_deliveries (campaign_id, subscriber_id)
    WHERE status = 'failed';
)SQL";

// The ledger's third outcome (SDK 1.2): a message that went out in full whose acceptance the
// relay never confirmed. SQLite cannot change a CHECK constraint in place, so the table is
// rebuilt under its name (nothing refers to it: no view, trigger or foreign key).
const char* const kDeliveryUnconfirmed = R"SQL(
CREATE TABLE campaign_deliveries_v8 (
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'unconfirmed')),
    error         TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (campaign_id, subscriber_id)
) WITHOUT ROWID;
INSERT INTO campaign_deliveries_v8 (campaign_id, subscriber_id, status, error, attempts, updated_at)
    SELECT campaign_id, subscriber_id, status, error, attempts, updated_at FROM campaign_deliveries;
DROP TABLE campaign_deliveries;
ALTER TABLE campaign_deliveries_v8 RENAME TO campaign_deliveries;
CREATE INDEX idx_campaign_deliveries_failed ON campaign_deliveries (campaign_id, subscriber_id)
    WHERE status = 'failed';
)SQL";

}  // namespace tidings::storage_sqlite::schema
