#include "outbox_store.hpp"

#include <algorithm>

#include "errors.hpp"
#include "rows.hpp"

namespace tidings::storage_pg {
namespace {

const std::string& jobColumns() {
    static const std::string sql = "id, uuid::text, channel, destination, event, payload, status, attempts, last_code,"
                                   " last_error, " +
                                   us("created_at") + ", " + us("updated_at") + ", " + us("next_attempt_at");
    return sql;
}

sdk::OutboxJob readJob(const Result& r, int i) {
    sdk::OutboxJob j;
    j.id = r.int64(i, 0);
    j.uuid = r.str(i, 1);
    j.channel = r.str(i, 2);
    j.destination = r.str(i, 3);
    j.event = r.str(i, 4);
    j.payload = r.str(i, 5);
    j.status = enumFrom<sdk::OutboxStatus>(r.text(i, 6));
    j.attempts = static_cast<std::int32_t>(r.int64(i, 7));
    j.last_code = static_cast<std::int32_t>(r.int64(i, 8));
    j.last_error = r.str(i, 9);
    j.created_at = r.timestamp(i, 10);
    j.updated_at = r.timestamp(i, 11);
    j.next_attempt_at = r.timestamp(i, 12);
    return j;
}

// A mark that updated nothing: either the job is gone or someone else holds it now.
sdk::Status lostLease(Lease& lease, sdk::Id id) {
    Params p;
    p.add(id);
    Result r = lease.execPrepared("outbox_exists", "SELECT 1 FROM outbox WHERE id = $1::int8", p);
    if (r.rows() == 0) return sdk::Status::notFound("outbox job " + std::to_string(id) + " not found");
    return sdk::Status::conflict("outbox job " + std::to_string(id) + " is not leased to this claimer");
}

}  // namespace

sdk::Status OutboxStoreImpl::enqueue(const sdk::OutboxDraft& draft, sdk::OutboxJob& out) noexcept {
    return guarded([&] {
        if (draft.channel.empty()) return sdk::Status::invalid("channel: required");
        auto lease = db_.lease();
        Params p;
        p.add(draft.channel);
        p.add(draft.destination);
        p.add(draft.event);
        p.add(draft.payload);
        p.add(static_cast<std::int64_t>(std::max<std::int64_t>(0, draft.delay.count())));
        Result r = lease->execPrepared(
            "outbox_enqueue",
            "INSERT INTO outbox (channel, destination, event, payload, next_attempt_at)"
            " VALUES ($1, $2, $3, $4, NOW() + make_interval(secs => $5::int8 / 1000.0)) RETURNING " +
                jobColumns(),
            p);
        out = readJob(r, 0);
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::claimDue(std::string_view channel, std::string_view token, std::size_t limit,
                                      std::chrono::milliseconds lease_for,
                                      std::vector<sdk::OutboxClaim>& out) noexcept {
    return guarded([&] {
        out.clear();
        if (limit == 0) return sdk::Status{};
        if (token.empty()) return sdk::Status::invalid("token: required");
        auto lease = db_.lease();
        Params p;
        p.add(channel);
        p.add(token);
        p.add(static_cast<std::int64_t>(limit));
        p.add(static_cast<std::int64_t>(std::max<std::int64_t>(1, lease_for.count())));
        // SKIP LOCKED: a concurrent claimer passes over rows another transaction is taking, and
        // the lease keeps them out of later claims until it lapses.
        Result r = lease->execPrepared(
            "outbox_claim",
            "WITH due AS (SELECT id AS due_id FROM outbox WHERE channel = $1 AND status IN ('pending', 'failed')"
            " AND next_attempt_at <= NOW() AND (leased_until IS NULL OR leased_until <= NOW())"
            " ORDER BY next_attempt_at, id LIMIT $3::int8 FOR UPDATE SKIP LOCKED)"
            " UPDATE outbox o SET attempts = o.attempts + 1, lease_token = $2,"
            " leased_until = NOW() + make_interval(secs => $4::int8 / 1000.0), updated_at = NOW()"
            " FROM due WHERE o.id = due.due_id RETURNING " +
                jobColumns(),
            p);
        for (int i = 0; i < r.rows(); ++i) out.push_back({readJob(r, i), std::string(token)});
        std::sort(out.begin(), out.end(), [](const sdk::OutboxClaim& a, const sdk::OutboxClaim& b) {
            return a.job.next_attempt_at != b.job.next_attempt_at ? a.job.next_attempt_at < b.job.next_attempt_at
                                                                  : a.job.id < b.job.id;
        });
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::markSucceeded(sdk::Id id, std::string_view token, std::int32_t code) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        p.add(token);
        p.add(static_cast<std::int64_t>(code));
        Result r = lease->execPrepared(
            "outbox_succeeded",
            "UPDATE outbox SET status = 'succeeded', last_code = $3::int, last_error = '', lease_token = NULL,"
            " leased_until = NULL, updated_at = NOW()"
            " WHERE id = $1::int8 AND lease_token = $2 AND status IN ('pending', 'failed') RETURNING 1",
            p);
        if (r.rows() == 0) return lostLease(*lease, id);
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::markFailed(sdk::Id id, std::string_view token, std::int32_t code,
                                        std::string_view error,
                                        std::optional<std::chrono::milliseconds> retry_after) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        p.add(token);
        p.add(static_cast<std::int64_t>(code));
        p.add(error);
        p.add(retry_after ? std::optional<std::string>(std::to_string(std::max<std::int64_t>(0, retry_after->count())))
                          : std::nullopt);
        Result r = lease->execPrepared(
            "outbox_failed",
            "UPDATE outbox SET status = CASE WHEN $5::int8 IS NULL THEN 'dead' ELSE 'failed' END,"
            " next_attempt_at = CASE WHEN $5::int8 IS NULL THEN next_attempt_at"
            " ELSE NOW() + make_interval(secs => $5::int8 / 1000.0) END,"
            " last_code = $3::int, last_error = $4, lease_token = NULL, leased_until = NULL, updated_at = NOW()"
            " WHERE id = $1::int8 AND lease_token = $2 AND status IN ('pending', 'failed') RETURNING 1",
            p);
        if (r.rows() == 0) return lostLease(*lease, id);
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::list(const sdk::OutboxQuery& q, sdk::OutboxPage& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        std::string where = " WHERE channel = " + p.add(q.channel);
        if (q.status) where += " AND status = " + p.add(std::string(sdk::toString(*q.status)));
        if (!q.event.empty()) where += " AND event = " + p.add(q.event);
        out.results.clear();
        out.total = lease->exec("SELECT COUNT(*) FROM outbox" + where, p).int64(0, 0);
        std::string sql = "SELECT " + jobColumns() + " FROM outbox" + where + " ORDER BY id DESC";
        if (q.per_page > 0) {
            const std::int64_t page = std::max<std::int64_t>(1, q.page);
            sql += " LIMIT " + std::to_string(q.per_page) + " OFFSET " + std::to_string((page - 1) * q.per_page);
        }
        Result r = lease->exec(sql, p);
        for (int i = 0; i < r.rows(); ++i) out.results.push_back(readJob(r, i));
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::get(sdk::Id id, sdk::OutboxJob& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        Result r = lease->execPrepared("outbox_get", "SELECT " + jobColumns() + " FROM outbox WHERE id = $1::int8", p);
        if (r.rows() == 0) return sdk::Status::notFound("outbox job " + std::to_string(id) + " not found");
        out = readJob(r, 0);
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::prune(std::string_view channel, std::chrono::seconds older_than,
                                   std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(channel);
        p.add(static_cast<std::int64_t>(std::max<std::int64_t>(0, older_than.count())));
        Result r = lease->execPrepared(
            "outbox_prune",
            "DELETE FROM outbox WHERE channel = $1 AND status IN ('succeeded', 'dead')"
            " AND updated_at < NOW() - make_interval(secs => $2::int8)",
            p);
        affected = r.affected();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
