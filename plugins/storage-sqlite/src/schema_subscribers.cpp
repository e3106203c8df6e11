#include "schema.hpp"

namespace tidings::storage_sqlite::schema {

// listmonk's table and column names: users' `query` expressions name them
// ("subscribers.attribs->>'city'"), exactly as on PostgreSQL.
//
// Ids use AUTOINCREMENT so that a deleted subscriber's or list's id is never handed out again:
// deliveries, bounces and tracking rows keep subscriber ids, and campaigns keep list ids.
// Timestamps are UTC text (values.hpp) and JSON is text checked with json_valid(). The store
// makes UUIDs itself; the random version-4 default only serves rows inserted by hand (an
// operator's SQL), as gen_random_uuid() does on PostgreSQL.
//
// E-mail uniqueness is case-insensitive through the column's NOCASE collation rather than an
// index on lower(email): the violation then names the column ("subscribers.email"), which the
// store reports as "email: already exists", and equality lookups use the same index.
//
// Counts: subscription_counts holds, per (list_id, status), the number of memberships; list_id 0
// holds subscribers by subscriber status. SQLite has a single writer, so row triggers keep it
// exact inside the writing transaction — no deltas and no compaction as on PostgreSQL.
const char* const kSubscribers = R"SQL(
CREATE TABLE subscribers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    email       TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name        TEXT NOT NULL,
    attribs     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attribs)),
    status      TEXT NOT NULL DEFAULT 'enabled'
                CHECK (status IN ('enabled', 'disabled', 'blocklisted')),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX idx_subscribers_status ON subscribers (status);
CREATE INDEX idx_subscribers_created_at ON subscribers (created_at);
CREATE INDEX idx_subscribers_updated_at ON subscribers (updated_at);

CREATE TABLE lists (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    name        TEXT NOT NULL,
    type        TEXT NOT NULL DEFAULT 'private' CHECK (type IN ('public', 'private', 'temporary')),
    optin       TEXT NOT NULL DEFAULT 'single' CHECK (optin IN ('single', 'double')),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    tags        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX idx_lists_name ON lists (name);
CREATE INDEX idx_lists_created_at ON lists (created_at);

CREATE TABLE subscriber_lists (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list_id       INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    meta          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
    status        TEXT NOT NULL DEFAULT 'unconfirmed'
                  CHECK (status IN ('unconfirmed', 'confirmed', 'unsubscribed')),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (subscriber_id, list_id)
) WITHOUT ROWID;
-- Serves list filters, campaign recipient scans (list, status, id order) and the FK cascade of
-- a list delete.
CREATE INDEX idx_sub_lists_list_status ON subscriber_lists (list_id, status, subscriber_id);

CREATE TABLE subscription_counts (
    list_id INTEGER NOT NULL,
    status  TEXT NOT NULL,
    count   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (list_id, status)
) WITHOUT ROWID;

-- A decrement never creates a row (the row exists since the matching increment); this also keeps
-- a cascade from resurrecting the rows of a list being deleted. The missing row is created with
-- INSERT ... WHERE NOT EXISTS rather than INSERT OR IGNORE: inside a trigger, the conflict policy
-- of the statement firing it (an upsert, say) would replace IGNORE.
CREATE TRIGGER subscribers_count_ins AFTER INSERT ON subscribers BEGIN
    INSERT INTO subscription_counts (list_id, status, count) SELECT 0, NEW.status, 0
        WHERE NOT EXISTS (SELECT 1 FROM subscription_counts WHERE list_id = 0 AND status = NEW.status);
    UPDATE subscription_counts SET count = count + 1 WHERE list_id = 0 AND status = NEW.status;
END;
CREATE TRIGGER subscribers_count_del AFTER DELETE ON subscribers BEGIN
    UPDATE subscription_counts SET count = count - 1 WHERE list_id = 0 AND status = OLD.status;
END;
CREATE TRIGGER subscribers_count_upd AFTER UPDATE OF status ON subscribers
WHEN OLD.status <> NEW.status BEGIN
    UPDATE subscription_counts SET count = count - 1 WHERE list_id = 0 AND status = OLD.status;
    INSERT INTO subscription_counts (list_id, status, count) SELECT 0, NEW.status, 0
        WHERE NOT EXISTS (SELECT 1 FROM subscription_counts WHERE list_id = 0 AND status = NEW.status);
    UPDATE subscription_counts SET count = count + 1 WHERE list_id = 0 AND status = NEW.status;
END;

CREATE TRIGGER subscriber_lists_count_ins AFTER INSERT ON subscriber_lists BEGIN
    INSERT INTO subscription_counts (list_id, status, count) SELECT NEW.list_id, NEW.status, 0
        WHERE NOT EXISTS (SELECT 1 FROM subscription_counts WHERE list_id = NEW.list_id AND status = NEW.status);
    UPDATE subscription_counts SET count = count + 1 WHERE list_id = NEW.list_id AND status = NEW.status;
END;
CREATE TRIGGER subscriber_lists_count_del AFTER DELETE ON subscriber_lists BEGIN
    UPDATE subscription_counts SET count = count - 1 WHERE list_id = OLD.list_id AND status = OLD.status;
END;
CREATE TRIGGER subscriber_lists_count_upd AFTER UPDATE OF status, list_id ON subscriber_lists
WHEN OLD.status <> NEW.status OR OLD.list_id <> NEW.list_id BEGIN
    UPDATE subscription_counts SET count = count - 1 WHERE list_id = OLD.list_id AND status = OLD.status;
    INSERT INTO subscription_counts (list_id, status, count) SELECT NEW.list_id, NEW.status, 0
        WHERE NOT EXISTS (SELECT 1 FROM subscription_counts WHERE list_id = NEW.list_id AND status = NEW.status);
    UPDATE subscription_counts SET count = count + 1 WHERE list_id = NEW.list_id AND status = NEW.status;
END;

CREATE TRIGGER lists_counts_del AFTER DELETE ON lists BEGIN
    DELETE FROM subscription_counts WHERE list_id = OLD.id;
END;
)SQL";

}  // namespace tidings::storage_sqlite::schema
