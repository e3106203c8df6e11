#include "import_store.hpp"

#include "errors.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

constexpr const char* kLive = "status IN ('importing', 'stopping')";

std::string stateColumns() {
    return "id, name, status, total, imported, stop_requested, " + us("started_at") + ", " + us("updated_at");
}

sdk::ImportState readState(const Result& r, int row) {
    sdk::ImportState s;
    s.run_id = r.int64(row, 0);
    s.name = r.str(row, 1);
    s.status = sdk::parseImportStatus(r.text(row, 2)).value_or(sdk::ImportStatus::Failed);
    s.total = r.int64(row, 3);
    s.imported = r.int64(row, 4);
    s.stop_requested = r.boolean(row, 5);
    s.started_at = r.timestamp(row, 6);
    s.updated_at = r.timestamp(row, 7);
    return s;
}

/// Records live imports whose heartbeat is older than `stale_after` as failed: their process is
/// gone, and leaving them "importing" would block every later import forever.
void failStale(Lease& lease, std::chrono::seconds stale_after) {
    Params p;
    p.add(static_cast<std::int64_t>(stale_after.count()));
    lease.execPrepared("import_fail_stale",
                       std::string("UPDATE imports SET status = 'failed', updated_at = NOW() WHERE ") + kLive +
                           " AND updated_at < NOW() - make_interval(secs => $1::int8)",
                       p);
}

sdk::ImportState latest(Lease& lease) {
    Result r = lease.execPrepared("import_latest",
                                  "SELECT " + stateColumns() + " FROM imports ORDER BY id DESC LIMIT 1");
    return r.rows() == 0 ? sdk::ImportState{} : readState(r, 0);
}

sdk::Status notLive() { return sdk::Status::notFound("import: this import is no longer running"); }

}  // namespace

sdk::Status ImportStoreImpl::begin(const sdk::ImportStart& start, sdk::ImportState& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Transaction tx(*lease);
        failStale(*lease, start.stale_after);
        // Only the latest import is kept; its log goes with it (ON DELETE CASCADE).
        lease->exec(std::string("DELETE FROM imports WHERE NOT (") + kLive + ")");
        Params p;
        p.add(start.name);
        p.add(start.owner);
        p.add(start.total);
        try {
            Result r = lease->exec("INSERT INTO imports (name, owner, status, total) VALUES ($1, $2, 'importing', $3::int8)"
                                   " RETURNING " + stateColumns(),
                                   p);
            out = readState(r, 0);
        } catch (const PgError& e) {
            // The partial unique index admits one live import: a concurrent or running one wins.
            if (e.sqlstate() == "23505") return sdk::Status::conflict("import: an import is already running");
            throw;
        }
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::current(std::chrono::seconds stale_after, sdk::ImportState& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        failStale(*lease, stale_after);
        out = latest(*lease);
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::loadBatch(sdk::Id run_id, const std::vector<sdk::ImportRecord>& rows,
                                       const sdk::BulkLoadOptions& options, sdk::BatchOutcome& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Transaction tx(*lease);
        // A batch is far bigger than what the per-query limit is tuned for.
        tx.statementTimeout(std::chrono::minutes(10));
        Params idp;
        idp.add(run_id);
        Result live = lease->execPrepared(
            "import_is_live", std::string("SELECT 1 FROM imports WHERE id = $1::int8 AND ") + kLive, idp);
        if (live.rows() == 0) return notLive();

        out.applied = rows.empty() ? 0 : loadImportRows(*lease, rows, options);

        // Counting in the same transaction as the rows is what makes `imported` exact after a
        // crash. The row is only locked from here to the commit.
        Params up;
        up.add(run_id);
        up.add(out.applied);
        Result r = lease->execPrepared(
            "import_count",
            std::string("UPDATE imports SET imported = imported + $2::int8, updated_at = NOW()"
                        " WHERE id = $1::int8 AND ") + kLive + " RETURNING stop_requested",
            up);
        if (r.rows() == 0) return notLive();  // failed as stale meanwhile: roll the batch back
        out.stop_requested = r.boolean(0, 0);
        tx.commit();
        if (out.applied > 0) db_.requestCompaction();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::heartbeat(sdk::Id run_id, std::int64_t total, bool& stop_requested) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(run_id);
        p.add(total);
        Result r = lease->execPrepared(
            "import_heartbeat",
            std::string("UPDATE imports SET updated_at = NOW(),"
                        " total = CASE WHEN $2::int8 > 0 THEN $2::int8 ELSE total END"
                        " WHERE id = $1::int8 AND ") + kLive + " RETURNING stop_requested",
            p);
        if (r.rows() == 0) return notLive();
        stop_requested = r.boolean(0, 0);
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::finish(sdk::Id run_id, sdk::ImportStatus status, std::int64_t total) noexcept {
    return guarded([&] {
        if (status != sdk::ImportStatus::Stopped && status != sdk::ImportStatus::Finished &&
            status != sdk::ImportStatus::Failed)
            return sdk::Status::invalid("status: an import ends stopped, finished or failed");
        auto lease = db_.lease();
        Params p;
        p.add(run_id);
        p.add(std::string(sdk::toString(status)));
        p.add(total);
        Result r = lease->execPrepared(
            "import_finish",
            std::string("UPDATE imports SET status = $2, updated_at = NOW(),"
                        " total = CASE WHEN $3::int8 >= 0 THEN $3::int8 ELSE total END"
                        " WHERE id = $1::int8 AND ") + kLive + " RETURNING 1",
            p);
        if (r.rows() == 0) return notLive();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::requestStop(sdk::ImportState& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        // The heartbeat (updated_at) is left alone: a stop request must not make a dead import
        // look alive.
        Result r = lease->exec(std::string("UPDATE imports SET status = 'stopping', stop_requested = TRUE WHERE ") +
                               kLive + " RETURNING " + stateColumns());
        if (r.rows() == 0) return sdk::Status::notFound("import: no import is running");
        out = readState(r, 0);
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::clear() noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Transaction tx(*lease);
        Result r = lease->exec(std::string("SELECT 1 FROM imports WHERE ") + kLive + " FOR UPDATE");
        if (r.rows() > 0) return sdk::Status::conflict("import: an import is running; stop it first");
        lease->exec("DELETE FROM imports");
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::abandon(std::string_view owner, std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(owner);
        affected = lease->exec(std::string("UPDATE imports SET status = 'failed', updated_at = NOW()"
                                           " WHERE owner = $1 AND ") + kLive,
                               p)
                       .affected();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::appendLog(sdk::Id run_id, const std::vector<std::string>& lines) noexcept {
    return guarded([&] {
        if (lines.empty()) return sdk::Status{};
        auto lease = db_.lease();
        Params p;
        p.add(run_id);
        p.add(textArrayLiteral(lines));
        // Ordered by position so that the serial ids keep the lines in the order given.
        Result r = lease->execPrepared(
            "import_log_append",
            "INSERT INTO import_logs (import_id, line)"
            " SELECT i.id, l.line FROM imports i, unnest($2::text[]) WITH ORDINALITY AS l(line, n)"
            " WHERE i.id = $1::int8 ORDER BY l.n",
            p);
        if (r.affected() == 0) return sdk::Status::notFound("import: this import is not the current one");
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::log(std::string& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Result r = lease->execPrepared(
            "import_log",
            "SELECT COALESCE(string_agg(line, E'\\n' ORDER BY id), '') FROM import_logs"
            " WHERE import_id = (SELECT MAX(id) FROM imports)");
        out = r.str(0, 0);
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
