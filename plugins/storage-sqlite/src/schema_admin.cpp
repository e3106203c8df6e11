#include "schema.hpp"

namespace tidings::storage_sqlite::schema {

// Users and roles of the admin API, runtime settings and small shared state. Arrays
// (permissions) are JSON array texts; settings values are JSON texts, checked by json_valid.
const char* const kAdmin = R"SQL(
CREATE TABLE roles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    permissions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(permissions)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL DEFAULT '',
    type            TEXT NOT NULL DEFAULT 'user' CHECK (type IN ('user', 'api')),
    status          TEXT NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
    password_login  INTEGER NOT NULL DEFAULT 0,
    credential_hash TEXT NOT NULL DEFAULT '',
    role_id         INTEGER NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
    loggedin_at     TEXT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
-- Every Bearer request looks an API user up by token digest.
CREATE INDEX idx_users_api_credential ON users (credential_hash) WHERE type = 'api';

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(value)),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
-- One row, bumped by every settings write so other processes can poll one integer.
CREATE TABLE settings_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL DEFAULT 0
);
INSERT INTO settings_revision (id, revision) VALUES (1, 0);

CREATE TABLE kv_state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    expires_at TEXT NULL
);
CREATE INDEX idx_kv_state_expires ON kv_state (expires_at) WHERE expires_at IS NOT NULL;
)SQL";

}  // namespace tidings::storage_sqlite::schema
