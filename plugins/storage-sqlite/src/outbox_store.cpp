#include "outbox_store.hpp"

#include <algorithm>

#include "errors.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

constexpr const char* kColumns =
    "id, uuid, channel, destination, event, payload, status, attempts, last_code, last_error, created_at,"
    " updated_at, next_attempt_at";

sdk::OutboxJob readJob(const Statement& st) {
    sdk::OutboxJob j;
    j.id = st.int64(0);
    j.uuid = st.text(1);
    j.channel = st.text(2);
    j.destination = st.text(3);
    j.event = st.text(4);
    j.payload = st.text(5);
    j.status = enumFrom<sdk::OutboxStatus>(st.text(6));
    j.attempts = static_cast<std::int32_t>(st.int64(7));
    j.last_code = static_cast<std::int32_t>(st.int64(8));
    j.last_error = st.text(9);
    j.created_at = parseTimestamp(st.text(10));
    j.updated_at = parseTimestamp(st.text(11));
    j.next_attempt_at = parseTimestamp(st.text(12));
    return j;
}

sdk::Timestamp now() { return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()); }

std::string after(std::chrono::milliseconds delay) {
    return formatTimestamp(now() + std::chrono::duration_cast<std::chrono::microseconds>(delay));
}

sdk::Status readOne(Connection& c, sdk::Id id, sdk::OutboxJob& out) {
    auto st = c.prepare(std::string("SELECT ") + kColumns + " FROM outbox WHERE id = ?");
    st.bindAll(id);
    if (!st.step()) return sdk::Status::notFound("outbox job " + std::to_string(id) + " not found");
    out = readJob(st);
    return {};
}

// A mark that updated nothing: either the job is gone or someone else holds it now.
sdk::Status lostLease(Connection& c, sdk::Id id) {
    auto st = c.prepare("SELECT 1 FROM outbox WHERE id = ?");
    st.bindAll(id);
    if (!st.step()) return sdk::Status::notFound("outbox job " + std::to_string(id) + " not found");
    return sdk::Status::conflict("outbox job " + std::to_string(id) + " is not leased to this claimer");
}

}  // namespace

sdk::Status OutboxStoreImpl::enqueue(const sdk::OutboxDraft& draft, sdk::OutboxJob& out) noexcept {
    return guarded([&] {
        if (draft.channel.empty()) return sdk::Status::invalid("channel: required");
        auto lease = db_.writer();
        const std::string at = nowText();
        lease->prepare("INSERT INTO outbox (uuid, channel, destination, event, payload, next_attempt_at, created_at,"
                       " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bindAll(newUuid(), draft.channel, draft.destination, draft.event, draft.payload,
                     after(std::max(draft.delay, std::chrono::milliseconds(0))), at, at)
            .run();
        return readOne(*lease, lease->lastInsertId(), out);
    });
}

sdk::Status OutboxStoreImpl::claimDue(std::string_view channel, std::string_view token, std::size_t limit,
                                      std::chrono::milliseconds lease_for,
                                      std::vector<sdk::OutboxClaim>& out) noexcept {
    return guarded([&] {
        out.clear();
        if (limit == 0) return sdk::Status{};
        if (token.empty()) return sdk::Status::invalid("token: required");
        constexpr const char* kDue =
            "SELECT id FROM outbox WHERE channel = ? AND status IN ('pending', 'failed') AND next_attempt_at <= ?"
            " AND (leased_until IS NULL OR leased_until <= ?) ORDER BY next_attempt_at, id LIMIT ?";
        // Senders poll about once a second in every process; looking on a reader first keeps
        // the usual empty poll from taking the database's write lock.
        {
            auto reader = db_.reader();
            const std::string at = nowText();
            auto st = reader->prepare(kDue);
            st.bindAll(channel, at, at, std::int64_t{1});
            if (!st.step()) return sdk::Status{};
        }
        auto lease = db_.writer();
        Transaction tx(*lease);
        const std::string at = nowText();
        std::vector<sdk::Id> ids;
        {
            auto st = lease->prepare(kDue);
            st.bindAll(channel, at, at, static_cast<std::int64_t>(limit));
            while (st.step()) ids.push_back(st.int64(0));
        }
        const std::string until = after(std::max(lease_for, std::chrono::milliseconds(1)));
        for (sdk::Id id : ids) {
            lease->prepare("UPDATE outbox SET attempts = attempts + 1, lease_token = ?, leased_until = ?, updated_at = ?"
                           " WHERE id = ?")
                .bindAll(token, until, at, id)
                .run();
            sdk::OutboxClaim claim;
            if (auto s = readOne(*lease, id, claim.job); !s.ok()) return s;
            claim.token = std::string(token);
            out.push_back(std::move(claim));
        }
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::markSucceeded(sdk::Id id, std::string_view token, std::int32_t code) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        const auto changed =
            lease->prepare("UPDATE outbox SET status = 'succeeded', last_code = ?, last_error = '', lease_token = NULL,"
                           " leased_until = NULL, updated_at = ?"
                           " WHERE id = ? AND lease_token = ? AND status IN ('pending', 'failed')")
                .bindAll(static_cast<std::int64_t>(code), nowText(), id, token)
                .run();
        if (changed == 0) return lostLease(*lease, id);
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::markFailed(sdk::Id id, std::string_view token, std::int32_t code,
                                        std::string_view error,
                                        std::optional<std::chrono::milliseconds> retry_after) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        const std::string at = nowText();
        std::int64_t changed = 0;
        if (retry_after) {
            changed = lease->prepare("UPDATE outbox SET status = 'failed', next_attempt_at = ?, last_code = ?,"
                                     " last_error = ?, lease_token = NULL, leased_until = NULL, updated_at = ?"
                                     " WHERE id = ? AND lease_token = ? AND status IN ('pending', 'failed')")
                          .bindAll(after(std::max(*retry_after, std::chrono::milliseconds(0))),
                                   static_cast<std::int64_t>(code), error, at, id, token)
                          .run();
        } else {
            changed = lease->prepare("UPDATE outbox SET status = 'dead', last_code = ?, last_error = ?,"
                                     " lease_token = NULL, leased_until = NULL, updated_at = ?"
                                     " WHERE id = ? AND lease_token = ? AND status IN ('pending', 'failed')")
                          .bindAll(static_cast<std::int64_t>(code), error, at, id, token)
                          .run();
        }
        if (changed == 0) return lostLease(*lease, id);
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::list(const sdk::OutboxQuery& q, sdk::OutboxPage& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        Transaction tx(*lease, Transaction::Mode::Read);
        // NULL filters match everything, so one cached statement serves every combination.
        const std::optional<std::string> status =
            q.status ? std::optional<std::string>(std::string(sdk::toString(*q.status))) : std::nullopt;
        const std::optional<std::string> event = q.event.empty() ? std::nullopt : std::optional<std::string>(q.event);
        constexpr const char* kWhere = " FROM outbox WHERE channel = ? AND (?2 IS NULL OR status = ?2)"
                                       " AND (?3 IS NULL OR event = ?3)";
        {
            auto st = lease->prepare(std::string("SELECT COUNT(*)") + kWhere);
            st.bindAll(q.channel, status, event);
            out.total = st.step() ? st.int64(0) : 0;
        }
        const std::int64_t per_page = q.per_page > 0 ? q.per_page : -1;  // LIMIT -1: no limit
        const std::int64_t offset = q.per_page > 0 ? (std::max<std::int64_t>(1, q.page) - 1) * q.per_page : 0;
        auto st = lease->prepare(std::string("SELECT ") + kColumns + kWhere + " ORDER BY id DESC LIMIT ?4 OFFSET ?5");
        st.bindAll(q.channel, status, event, per_page, offset);
        out.results.clear();
        while (st.step()) out.results.push_back(readJob(st));
        return sdk::Status{};
    });
}

sdk::Status OutboxStoreImpl::get(sdk::Id id, sdk::OutboxJob& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        return readOne(*lease, id, out);
    });
}

sdk::Status OutboxStoreImpl::prune(std::string_view channel, std::chrono::seconds older_than,
                                   std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        affected = lease->prepare("DELETE FROM outbox WHERE channel = ? AND status IN ('succeeded', 'dead')"
                                  " AND updated_at < ?")
                       .bindAll(channel, after(-std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::max(older_than, std::chrono::seconds(0)))))
                       .run();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
