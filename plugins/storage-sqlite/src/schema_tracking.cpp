#include "schema.hpp"

namespace tidings::storage_sqlite::schema {

// Tracked links, clicks and views under listmonk's table names (users' `query` expressions and
// segments may read them). Views and clicks outlive a deleted subscriber, unattributed; the
// subscriber_id indexes keep that SET NULL from scanning the tables on every subscriber delete.
const char* const kTracking = R"SQL(
CREATE TABLE links (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    url        TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE TABLE link_clicks (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    link_id       INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE,
    subscriber_id INTEGER NULL REFERENCES subscribers (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX idx_link_clicks_campaign ON link_clicks (campaign_id, created_at);
CREATE INDEX idx_link_clicks_link ON link_clicks (link_id);
CREATE INDEX idx_link_clicks_subscriber ON link_clicks (subscriber_id);

CREATE TABLE campaign_views (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    subscriber_id INTEGER NULL REFERENCES subscribers (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX idx_campaign_views_campaign ON campaign_views (campaign_id, created_at);
CREATE INDEX idx_campaign_views_subscriber ON campaign_views (subscriber_id);
)SQL";

}  // namespace tidings::storage_sqlite::schema
