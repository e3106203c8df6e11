#include "migrations.hpp"

#include <array>

#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

// Arbitrary constant shared by every Tidings process: the advisory lock key for migrations.
constexpr const char* kMigrationLockKey = "7243651001";

// Version 1: listmonk's column names (users' `query` expressions refer to them), text statuses
// with CHECK constraints instead of enum types (simpler to evolve), and maintained counts.
constexpr const char* kV1 = R"SQL(
CREATE TABLE subscribers (
    id          BIGSERIAL PRIMARY KEY,
    uuid        UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    email       TEXT NOT NULL CONSTRAINT subscribers_email_key UNIQUE,
    name        TEXT NOT NULL,
    attribs     JSONB NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'enabled'
                CHECK (status IN ('enabled', 'disabled', 'blocklisted')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX idx_subscribers_email_lower ON subscribers (LOWER(email));
CREATE INDEX idx_subscribers_status ON subscribers (status);
CREATE INDEX idx_subscribers_created_at ON subscribers (created_at);
CREATE INDEX idx_subscribers_updated_at ON subscribers (updated_at);

CREATE TABLE lists (
    id          BIGSERIAL PRIMARY KEY,
    uuid        UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    name        TEXT NOT NULL,
    type        TEXT NOT NULL DEFAULT 'private' CHECK (type IN ('public', 'private', 'temporary')),
    optin       TEXT NOT NULL DEFAULT 'single' CHECK (optin IN ('single', 'double')),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    tags        TEXT[] NOT NULL DEFAULT '{}',
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_lists_name ON lists (name);
CREATE INDEX idx_lists_created_at ON lists (created_at);

CREATE TABLE subscriber_lists (
    subscriber_id BIGINT NOT NULL
        CONSTRAINT subscriber_lists_subscriber_id_fkey REFERENCES subscribers (id) ON DELETE CASCADE,
    list_id       BIGINT NOT NULL
        CONSTRAINT subscriber_lists_list_id_fkey REFERENCES lists (id) ON DELETE CASCADE,
    meta          JSONB NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL DEFAULT 'unconfirmed'
                  CHECK (status IN ('unconfirmed', 'confirmed', 'unsubscribed')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (subscriber_id, list_id)
);
-- Serves list filters, campaign recipient scans (list, status, id order) and count rebuilds.
CREATE INDEX idx_sub_lists_list_status ON subscriber_lists (list_id, status, subscriber_id);

CREATE TABLE roles (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL CONSTRAINT roles_name_key UNIQUE,
    permissions TEXT[] NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    username        TEXT NOT NULL CONSTRAINT users_username_key UNIQUE,
    email           TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    name            TEXT NOT NULL DEFAULT '',
    type            TEXT NOT NULL DEFAULT 'user' CHECK (type IN ('user', 'api')),
    status          TEXT NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
    password_login  BOOLEAN NOT NULL DEFAULT FALSE,
    credential_hash TEXT NOT NULL DEFAULT '',
    role_id         BIGINT NOT NULL
        CONSTRAINT users_role_id_fkey REFERENCES roles (id) ON DELETE RESTRICT,
    loggedin_at     TIMESTAMPTZ NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
-- Every Bearer request looks an API user up by token digest.
CREATE INDEX idx_users_api_credential ON users (credential_hash) WHERE type = 'api';

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      JSONB NOT NULL DEFAULT '{}',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
-- One row; bumped by every settings write so other processes can poll one integer.
CREATE TABLE settings_revision (
    id       INT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    revision BIGINT NOT NULL DEFAULT 0
);
INSERT INTO settings_revision (id, revision) VALUES (1, 0);

-- Maintained counts. list_id 0 holds subscribers by subscriber status; other rows hold
-- memberships by subscription status. Writers never touch subscription_counts: triggers append
-- to count_deltas (insert-only, so concurrent writers never wait on a hot counter row) and
-- tidings_compact_counts() folds deltas into the base rows. Readers add both.
CREATE TABLE subscription_counts (
    list_id BIGINT NOT NULL,
    status  TEXT NOT NULL,
    count   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (list_id, status)
);
CREATE TABLE count_deltas (
    list_id BIGINT NOT NULL,
    status  TEXT NOT NULL,
    delta   BIGINT NOT NULL
);
CREATE INDEX idx_count_deltas_list ON count_deltas (list_id);

-- Statement-level triggers with transition tables: a bulk statement adds one delta row per
-- (list, status) it touched, not one per row.
CREATE FUNCTION tidings_subscribers_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO count_deltas (list_id, status, delta)
            SELECT 0, status, COUNT(*) FROM new_rows GROUP BY status;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO count_deltas (list_id, status, delta)
            SELECT 0, status, -COUNT(*) FROM old_rows GROUP BY status;
    ELSE
        INSERT INTO count_deltas (list_id, status, delta)
            SELECT 0, status, SUM(d) FROM (
                SELECT status, -1 AS d FROM old_rows UNION ALL SELECT status, 1 FROM new_rows
            ) x GROUP BY status HAVING SUM(d) <> 0;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER subscribers_count_ins AFTER INSERT ON subscribers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_subscribers_counted();
CREATE TRIGGER subscribers_count_del AFTER DELETE ON subscribers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_subscribers_counted();
CREATE TRIGGER subscribers_count_upd AFTER UPDATE ON subscribers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tidings_subscribers_counted();

CREATE FUNCTION tidings_subscriptions_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO count_deltas (list_id, status, delta)
            SELECT list_id, status, COUNT(*) FROM new_rows GROUP BY list_id, status;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO count_deltas (list_id, status, delta)
            SELECT list_id, status, -COUNT(*) FROM old_rows GROUP BY list_id, status;
    ELSE
        INSERT INTO count_deltas (list_id, status, delta)
            SELECT list_id, status, SUM(d) FROM (
                SELECT list_id, status, -1 AS d FROM old_rows
                UNION ALL SELECT list_id, status, 1 FROM new_rows
            ) x GROUP BY list_id, status HAVING SUM(d) <> 0;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER subscriber_lists_count_ins AFTER INSERT ON subscriber_lists
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_subscriptions_counted();
CREATE TRIGGER subscriber_lists_count_del AFTER DELETE ON subscriber_lists
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tidings_subscriptions_counted();
CREATE TRIGGER subscriber_lists_count_upd AFTER UPDATE ON subscriber_lists
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tidings_subscriptions_counted();

-- Folds pending deltas into the base counts; returns how many delta rows it consumed. Only one
-- compactor runs at a time (others return 0 at once), which also rules out upsert deadlocks.
-- Deltas of deleted lists are dropped instead of resurrecting their rows.
CREATE FUNCTION tidings_compact_counts() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    consumed BIGINT;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7243651002) THEN
        RETURN 0;
    END IF;
    WITH d AS (
        DELETE FROM count_deltas RETURNING list_id, status, delta
    ), agg AS (
        SELECT list_id, status, SUM(delta) AS total, COUNT(*) AS n FROM d GROUP BY list_id, status
    ), up AS (
        INSERT INTO subscription_counts AS c (list_id, status, count)
            SELECT list_id, status, total FROM agg
            WHERE list_id = 0 OR EXISTS (SELECT 1 FROM lists WHERE lists.id = agg.list_id)
            ORDER BY list_id, status
        ON CONFLICT (list_id, status) DO UPDATE SET count = c.count + EXCLUDED.count
        RETURNING 1
    )
    SELECT COALESCE(SUM(n), 0) INTO consumed FROM agg;
    RETURN consumed;
END $$;
)SQL";

// Version 2: shared key/value state (StateStore) for signing keys, replay caches and leases.
constexpr const char* kV2 = R"SQL(
CREATE TABLE kv_state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    expires_at TIMESTAMPTZ NULL
);
CREATE INDEX idx_kv_state_expires ON kv_state (expires_at) WHERE expires_at IS NOT NULL;
)SQL";

// Version 3: a role that can only read the tables listmonk's `query` expressions may use. A user
// expression runs under it (SET LOCAL ROLE), so functions that run SQL of their own, such as
// query_to_xml('select * from users', ...), hit "permission denied" instead of reading other
// tables. Creating a role needs CREATEROLE; without it the sandbox is skipped (the EXPLAIN
// allowlist and the read-only transaction still apply) and the migration says so. Roles are
// shared by every database of the cluster, hence the tolerance of a concurrent creation.
// Tables that later versions add to the allowlist are granted in their own migrations.
constexpr const char* kV3 = R"SQL(
DO $$
BEGIN
    BEGIN
        CREATE ROLE tidings_query_reader NOLOGIN;
    EXCEPTION
        WHEN duplicate_object OR unique_violation THEN NULL;
        WHEN insufficient_privilege THEN
            RAISE NOTICE 'tidings: no CREATEROLE privilege; query expressions run without the restricted role';
            RETURN;
    END;
    GRANT SELECT ON subscribers, lists, subscriber_lists TO tidings_query_reader;
    EXECUTE format('GRANT tidings_query_reader TO %I', current_user);
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'tidings: cannot grant tidings_query_reader; query expressions run without it';
END
$$;
)SQL";

// Version 4: templates, campaigns and the send engine's state. A campaign's run is a recipient
// range (subscriber ids up to max_subscriber_id, fixed when it starts) cut into leased batches
// at last_subscriber_id; campaign_deliveries is the per-recipient ledger that makes a crash
// re-send only what was in flight. Batches are deleted when completed, so the table only ever
// holds the batches in flight.
constexpr const char* kV4 = R"SQL(
CREATE TABLE templates (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL DEFAULT 'campaign' CHECK (type IN ('campaign', 'campaign_visual', 'tx')),
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    body_source TEXT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX idx_templates_default ON templates (is_default) WHERE is_default;

CREATE TABLE campaigns (
    id                  BIGSERIAL PRIMARY KEY,
    uuid                UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    name                TEXT NOT NULL,
    subject             TEXT NOT NULL,
    from_email          TEXT NOT NULL,
    body                TEXT NOT NULL DEFAULT '',
    body_source         TEXT NULL,
    altbody             TEXT NULL,
    content_type        TEXT NOT NULL DEFAULT 'richtext'
                        CHECK (content_type IN ('richtext', 'html', 'markdown', 'plain', 'visual')),
    send_at             TIMESTAMPTZ NULL,
    headers             JSONB NOT NULL DEFAULT '[]',
    attribs             JSONB NOT NULL DEFAULT '{}',
    status              TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'cancelled', 'finished')),
    tags                TEXT[] NOT NULL DEFAULT '{}',
    type                TEXT NOT NULL DEFAULT 'regular' CHECK (type IN ('regular', 'optin')),
    messenger           TEXT NOT NULL,
    template_id         BIGINT NULL REFERENCES templates (id) ON DELETE SET NULL,
    segment             TEXT NOT NULL DEFAULT '',
    to_send             BIGINT NOT NULL DEFAULT 0,
    sent                BIGINT NOT NULL DEFAULT 0,
    failed              BIGINT NOT NULL DEFAULT 0,
    max_subscriber_id   BIGINT NOT NULL DEFAULT 0,
    last_subscriber_id  BIGINT NOT NULL DEFAULT 0,
    archive             BOOLEAN NOT NULL DEFAULT FALSE,
    archive_slug        TEXT NULL CONSTRAINT campaigns_archive_slug_key UNIQUE,
    archive_template_id BIGINT NULL REFERENCES templates (id) ON DELETE SET NULL,
    archive_meta        JSONB NOT NULL DEFAULT '{}',
    started_at          TIMESTAMPTZ NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_campaigns_status ON campaigns (status);
CREATE INDEX idx_campaigns_name ON campaigns (name);
CREATE INDEX idx_campaigns_created_at ON campaigns (created_at);
CREATE INDEX idx_campaigns_updated_at ON campaigns (updated_at);
CREATE INDEX idx_campaigns_due ON campaigns (send_at) WHERE status = 'scheduled';

-- list_name keeps the list's name readable in the campaign after the list is deleted.
CREATE TABLE campaign_lists (
    id          BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    list_id     BIGINT NULL REFERENCES lists (id) ON DELETE SET NULL,
    list_name   TEXT NOT NULL,
    UNIQUE (campaign_id, list_id)
);
CREATE INDEX idx_campaign_lists_list ON campaign_lists (list_id);

CREATE FUNCTION tidings_list_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE campaign_lists SET list_name = NEW.name WHERE list_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER lists_renamed AFTER UPDATE OF name ON lists
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION tidings_list_renamed();

CREATE TABLE campaign_batches (
    id           BIGSERIAL PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    first_id     BIGINT NOT NULL,
    last_id      BIGINT NOT NULL,
    leased_until TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_campaign_batches_campaign ON campaign_batches (campaign_id, leased_until);

-- No foreign key to subscribers: the ledger outlives a deleted subscriber's row.
CREATE TABLE campaign_deliveries (
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    subscriber_id BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    error         TEXT NOT NULL DEFAULT '',
    attempts      INT NOT NULL DEFAULT 1,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (campaign_id, subscriber_id)
);
CREATE INDEX idx_campaign_deliveries_failed ON campaign_deliveries (campaign_id, subscriber_id)
    WHERE status = 'failed';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidings_query_reader') THEN
        GRANT SELECT ON campaigns, campaign_lists TO tidings_query_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'tidings: cannot grant campaign tables to tidings_query_reader';
END
$$;
)SQL";

// Version 5: subscriber imports. Only the latest import is kept (begin() replaces it), so the
// table holds at most one row in practice; the partial unique index is what makes "one live
// import at a time" hold across processes.
constexpr const char* kV5 = R"SQL(
CREATE TABLE imports (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL,
    owner          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL
                   CHECK (status IN ('importing', 'stopping', 'stopped', 'finished', 'failed')),
    total          BIGINT NOT NULL DEFAULT 0,
    imported       BIGINT NOT NULL DEFAULT 0,
    stop_requested BOOLEAN NOT NULL DEFAULT FALSE,
    started_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX idx_imports_live ON imports ((TRUE)) WHERE status IN ('importing', 'stopping');

CREATE TABLE import_logs (
    id        BIGSERIAL PRIMARY KEY,
    import_id BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    line      TEXT NOT NULL
);
CREATE INDEX idx_import_logs_import ON import_logs (import_id, id);
)SQL";

// Version 6: bounce records. A subscriber's bounces go with them (CASCADE); a deleted campaign
// leaves its bounces unlinked.
constexpr const char* kV6 = R"SQL(
CREATE TABLE bounces (
    id            BIGSERIAL PRIMARY KEY,
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    campaign_id   BIGINT NULL REFERENCES campaigns (id) ON DELETE SET NULL,
    type          TEXT NOT NULL DEFAULT 'hard' CHECK (type IN ('soft', 'hard', 'complaint')),
    source        TEXT NOT NULL DEFAULT '',
    meta          JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_bounces_subscriber ON bounces (subscriber_id, type);
CREATE INDEX idx_bounces_campaign ON bounces (campaign_id);
CREATE INDEX idx_bounces_source ON bounces (source);
CREATE INDEX idx_bounces_created_at ON bounces (created_at);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidings_query_reader') THEN
        GRANT SELECT ON bounces TO tidings_query_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'tidings: cannot grant bounces to tidings_query_reader';
END
$$;
)SQL";

// Version 7: tracked links, clicks and views, under listmonk's table names (users' `query`
// expressions and segments may refer to them). Views and clicks outlive a deleted subscriber,
// unattributed.
constexpr const char* kV7 = R"SQL(
CREATE TABLE links (
    id         BIGSERIAL PRIMARY KEY,
    uuid       UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    url        TEXT NOT NULL CONSTRAINT links_url_key UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE link_clicks (
    id            BIGSERIAL PRIMARY KEY,
    campaign_id   BIGINT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    link_id       BIGINT NOT NULL REFERENCES links (id) ON DELETE CASCADE,
    subscriber_id BIGINT NULL REFERENCES subscribers (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_link_clicks_campaign ON link_clicks (campaign_id, created_at);
CREATE INDEX idx_link_clicks_link ON link_clicks (link_id);
CREATE INDEX idx_link_clicks_subscriber ON link_clicks (subscriber_id);

CREATE TABLE campaign_views (
    id            BIGSERIAL PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    subscriber_id BIGINT NULL REFERENCES subscribers (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_campaign_views_campaign ON campaign_views (campaign_id, created_at);
CREATE INDEX idx_campaign_views_subscriber ON campaign_views (subscriber_id);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidings_query_reader') THEN
        GRANT SELECT ON links, link_clicks, campaign_views TO tidings_query_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'tidings: cannot grant tracking tables to tidings_query_reader';
END
$$;
)SQL";

// Version 8: the outbox (sdk::OutboxStore), a durable queue of outbound jobs such as webhook
// deliveries. Claims take due rows with FOR UPDATE SKIP LOCKED and lease them, so processes
// sharing the database split the work without waiting on each other. The partial indexes keep
// claims and pruning on the few open or final rows they touch.
constexpr const char* kV8 = R"SQL(
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    uuid            UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    channel         TEXT NOT NULL,
    destination     TEXT NOT NULL DEFAULT '',
    event           TEXT NOT NULL DEFAULT '',
    payload         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
    attempts        INT NOT NULL DEFAULT 0,
    last_code       INT NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    lease_token     TEXT NULL,
    leased_until    TIMESTAMPTZ NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_outbox_due ON outbox (channel, next_attempt_at, id) WHERE status IN ('pending', 'failed');
CREATE INDEX idx_outbox_final ON outbox (channel, updated_at) WHERE status IN ('succeeded', 'dead');
CREATE INDEX idx_outbox_channel ON outbox (channel, id);
)SQL";

// Version 9: the ledger's third outcome (SDK 1.2), for a message that went out in full whose
// acceptance the relay never confirmed. A CHECK change, so no table rewrite.
constexpr const char* kV9 = R"SQL(
ALTER TABLE campaign_deliveries DROP CONSTRAINT campaign_deliveries_status_check,
    ADD CONSTRAINT campaign_deliveries_status_check CHECK (status IN ('sent', 'failed', 'unconfirmed'));
)SQL";

struct Migration {
    int version;
    const char* sql;
};

constexpr std::array kMigrations{Migration{1, kV1}, Migration{2, kV2}, Migration{3, kV3},
                              Migration{4, kV4}, Migration{5, kV5}, Migration{6, kV6},
                              Migration{7, kV7}, Migration{8, kV8}, Migration{9, kV9}};

}  // namespace

int latestSchemaVersion() noexcept { return kMigrations.back().version; }

void migrate(ConnectionPool& pool, sdk::MigrationReport& report) {
    auto lease = pool.acquire();
    Transaction tx(*lease);
    // Migrations may legitimately outlast the per-query limit (index builds on big tables), and
    // a second process waits here for the first to finish.
    tx.statementTimeout(std::chrono::minutes(30));
    lease->exec(std::string("SELECT pg_advisory_xact_lock(") + kMigrationLockKey + ")");
    lease->script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())");
    Result r = lease->exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    const int from = static_cast<int>(r.int64(0, 0));
    for (const auto& m : kMigrations) {
        if (m.version <= from) continue;
        lease->script(m.sql);
        Params p;
        p.add(std::int64_t{m.version});
        lease->exec("INSERT INTO schema_migrations (version) VALUES ($1::int)", p);
    }
    tx.commit();
    report.from_version = from;
    report.to_version = std::max(from, latestSchemaVersion());
}

}  // namespace tidings::storage_pg
