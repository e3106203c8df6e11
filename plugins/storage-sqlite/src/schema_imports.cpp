#include "schema.hpp"

namespace tidings::storage_sqlite::schema {

// Only the latest import is kept (begin() replaces it), so the table holds one row in practice.
// AUTOINCREMENT because the id is the run id: a process whose import was failed and replaced
// must not find its old id naming the next one. The partial unique index is what makes "one live
// import at a time" hold across processes; its indexed expression is 1 for every row it covers.
const char* const kImports = R"SQL(
CREATE TABLE imports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    owner          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL
                   CHECK (status IN ('importing', 'stopping', 'stopped', 'finished', 'failed')),
    total          INTEGER NOT NULL DEFAULT 0,
    imported       INTEGER NOT NULL DEFAULT 0,
    stop_requested INTEGER NOT NULL DEFAULT 0,
    started_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE UNIQUE INDEX idx_imports_live ON imports (status IN ('importing', 'stopping'))
    WHERE status IN ('importing', 'stopping');

CREATE TABLE import_logs (
    id        INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    line      TEXT NOT NULL
);
CREATE INDEX idx_import_logs_import ON import_logs (import_id, id);
)SQL";

}  // namespace tidings::storage_sqlite::schema
