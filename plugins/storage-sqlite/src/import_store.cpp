#include "import_store.hpp"

#include <utility>

#include "bulk_write_scope.hpp"
#include "errors.hpp"
#include "import_load.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

// A live import is running or stopping; at most one exists (idx_imports_live).
const std::string kLive = "status IN ('importing', 'stopping')";

constexpr const char* kStateColumns = "id, name, status, total, imported, stop_requested, started_at, updated_at";

sdk::ImportState readState(const Statement& st) {
    sdk::ImportState s;
    s.run_id = st.int64(0);
    s.name = st.text(1);
    s.status = sdk::parseImportStatus(st.text(2)).value_or(sdk::ImportStatus::Failed);
    s.total = st.int64(3);
    s.imported = st.int64(4);
    s.stop_requested = st.boolean(5);
    s.started_at = parseTimestamp(st.text(6));
    s.updated_at = parseTimestamp(st.text(7));
    return s;
}

bool isLive(const sdk::ImportState& s) {
    return s.status == sdk::ImportStatus::Importing || s.status == sdk::ImportStatus::Stopping;
}

/// The heartbeat older than which a live import counts as dead.
sdk::Timestamp staleBefore(std::chrono::seconds stale_after) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()) - stale_after;
}

/// Records live imports whose heartbeat is older than `stale_after` as failed: their process is
/// gone, and leaving them "importing" would block every later import forever.
void failStale(Connection& c, std::chrono::seconds stale_after) {
    c.prepare("UPDATE imports SET status = 'failed', updated_at = ? WHERE " + kLive + " AND updated_at < ?")
        .bindAll(nowText(), formatTimestamp(staleBefore(stale_after)))
        .run();
}

sdk::ImportState latest(Connection& c) {
    auto st = c.prepare(std::string("SELECT ") + kStateColumns + " FROM imports ORDER BY id DESC LIMIT 1");
    return st.step() ? readState(st) : sdk::ImportState{};
}

sdk::Status notLive() { return sdk::Status::notFound("import: this import is no longer running"); }

}  // namespace

sdk::Status ImportStoreImpl::begin(const sdk::ImportStart& start, sdk::ImportState& out) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        Transaction tx(*lease);
        failStale(*lease, start.stale_after);
        {
            // The write lock is held, so this check cannot race; the unique index backs it up.
            auto live = lease->prepare("SELECT 1 FROM imports WHERE " + kLive);
            if (live.step()) return sdk::Status::conflict("import: an import is already running");
        }
        // Only the latest import is kept; its log goes with it (ON DELETE CASCADE).
        lease->prepare("DELETE FROM imports").run();
        const std::string now = nowText();
        auto st = lease->prepare(std::string("INSERT INTO imports (name, owner, status, total, started_at, updated_at)"
                                             " VALUES (?1, ?2, 'importing', ?3, ?4, ?4) RETURNING ") +
                                 kStateColumns);
        st.bindAll(start.name, start.owner, start.total, now);
        if (!st.step()) return sdk::Status::internal("storage-sqlite: the new import was not returned");
        sdk::ImportState state = readState(st);
        st.run();  // RETURNING statements finish their work only when stepped to the end
        tx.commit();
        out = std::move(state);
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::current(std::chrono::seconds stale_after, sdk::ImportState& out) noexcept {
    return guarded([&] {
        // Progress is polled while a batch holds the writer: read, and write only to fail an
        // import found dead.
        {
            auto lease = db_.reader();
            out = latest(*lease);
        }
        if (!isLive(out) || out.updated_at >= staleBefore(stale_after)) return sdk::Status{};
        auto lease = db_.writer();
        Transaction tx(*lease);
        failStale(*lease, stale_after);
        out = latest(*lease);
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::loadBatch(sdk::Id run_id, const std::vector<sdk::ImportRecord>& rows,
                                       const sdk::BulkLoadOptions& options, sdk::BatchOutcome& out) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        // The work is bounded by the batch size; the limit meant for interactive queries would
        // only turn a slow disk into a failed import.
        lease.unlimited();
        BulkWriteScope bulk(*lease);
        Transaction tx(*lease);
        {
            auto live = lease->prepare("SELECT 1 FROM imports WHERE id = ? AND " + kLive);
            live.bindAll(run_id);
            if (!live.step()) return notLive();
        }
        const std::int64_t applied = rows.empty() ? 0 : loadImportRows(*lease, rows, options);
        // Counting in the same transaction as the rows is what makes `imported` exact after a
        // crash.
        auto st = lease->prepare("UPDATE imports SET imported = imported + ?, updated_at = ?"
                                 " WHERE id = ? AND " + kLive + " RETURNING stop_requested");
        st.bindAll(applied, nowText(), run_id);
        if (!st.step()) return notLive();
        const bool stop = st.boolean(0);
        st.run();
        tx.commit();
        out.applied = applied;
        out.stop_requested = stop;
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::heartbeat(sdk::Id run_id, std::int64_t total, bool& stop_requested) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        auto st = lease->prepare("UPDATE imports SET updated_at = ?1, total = CASE WHEN ?2 > 0 THEN ?2 ELSE total END"
                                 " WHERE id = ?3 AND " + kLive + " RETURNING stop_requested");
        st.bindAll(nowText(), total, run_id);
        if (!st.step()) return notLive();
        stop_requested = st.boolean(0);
        st.run();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::finish(sdk::Id run_id, sdk::ImportStatus status, std::int64_t total) noexcept {
    return guarded([&] {
        if (status != sdk::ImportStatus::Stopped && status != sdk::ImportStatus::Finished &&
            status != sdk::ImportStatus::Failed)
            return sdk::Status::invalid("status: an import ends stopped, finished or failed");
        auto lease = db_.writer();
        const auto changed =
            lease->prepare("UPDATE imports SET status = ?1, updated_at = ?2,"
                           " total = CASE WHEN ?3 >= 0 THEN ?3 ELSE total END WHERE id = ?4 AND " + kLive)
                .bindAll(sdk::toString(status), nowText(), total, run_id)
                .run();
        return changed == 0 ? notLive() : sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::requestStop(sdk::ImportState& out) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        // The heartbeat (updated_at) is left alone: a stop request must not make a dead import
        // look alive.
        auto st = lease->prepare(std::string("UPDATE imports SET status = 'stopping', stop_requested = 1 WHERE ")
                                 + kLive + " RETURNING " + kStateColumns);
        if (!st.step()) return sdk::Status::notFound("import: no import is running");
        sdk::ImportState state = readState(st);
        st.run();
        out = std::move(state);
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::clear() noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        Transaction tx(*lease);
        {
            auto live = lease->prepare("SELECT 1 FROM imports WHERE " + kLive);
            if (live.step()) return sdk::Status::conflict("import: an import is running; stop it first");
        }
        lease->prepare("DELETE FROM imports").run();
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::abandon(std::string_view owner, std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        affected = lease->prepare("UPDATE imports SET status = 'failed', updated_at = ? WHERE owner = ? AND " + kLive)
                       .bindAll(nowText(), owner)
                       .run();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::appendLog(sdk::Id run_id, const std::vector<std::string>& lines) noexcept {
    return guarded([&] {
        if (lines.empty()) return sdk::Status{};
        auto lease = db_.writer();
        Transaction tx(*lease);
        {
            auto exists = lease->prepare("SELECT 1 FROM imports WHERE id = ? AND id = (SELECT MAX(id) FROM imports)");
            exists.bindAll(run_id);
            if (!exists.step()) return sdk::Status::notFound("import: this import is not the current one");
        }
        // Ascending ids keep the lines in the order given.
        for (const auto& line : lines)
            lease->prepare("INSERT INTO import_logs (import_id, line) VALUES (?, ?)").bindAll(run_id, line).run();
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status ImportStoreImpl::log(std::string& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare(
            "SELECT line FROM import_logs WHERE import_id = (SELECT MAX(id) FROM imports) ORDER BY id");
        std::string text;
        for (bool first = true; st.step(); first = false) {
            if (!first) text += '\n';
            text += st.text(0);
        }
        out = std::move(text);
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
