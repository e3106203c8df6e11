#include "bounce_store.hpp"

#include <algorithm>

#include "campaign_rows.hpp"
#include "errors.hpp"
#include "rows.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

const std::string& bounceSelect() {
    static const std::string sql =
        "SELECT b.id, b.subscriber_id, s.uuid::text, s.email, COALESCE(b.campaign_id, 0),"
        " COALESCE(c.uuid::text, ''), COALESCE(c.name, ''), b.type, b.source, b.meta::text, " +
        us("b.created_at") +
        " FROM bounces b JOIN subscribers s ON s.id = b.subscriber_id"
        " LEFT JOIN campaigns c ON c.id = b.campaign_id";
    return sql;
}

sdk::Bounce readBounce(const Result& r, int i) {
    sdk::Bounce b;
    b.id = r.int64(i, 0);
    b.subscriber_id = r.int64(i, 1);
    b.subscriber_uuid = r.str(i, 2);
    b.email = r.str(i, 3);
    b.campaign_id = r.int64(i, 4);
    b.campaign_uuid = r.str(i, 5);
    b.campaign_name = r.str(i, 6);
    b.type = enumFrom<sdk::BounceType>(r.text(i, 7));
    b.source = r.str(i, 8);
    b.meta_json = r.str(i, 9);
    b.created_at = r.timestamp(i, 10);
    return b;
}

std::string orderColumn(const std::string& order_by) {
    static const std::pair<std::string_view, std::string_view> kColumns[] = {
        {"email", "s.email"},     {"campaign_name", "c.name"}, {"source", "b.source"},
        {"type", "b.type"},       {"created_at", "b.created_at"}, {"id", "b.id"},
    };
    for (const auto& [key, column] : kColumns)
        if (key == order_by) return std::string(column);
    return "b.created_at";
}

// Unsubscribes every subscription of a subscriber (the unsubscribe and blocklist actions).
void unsubscribeAll(Lease& lease, const Params& by_id) {
    lease.execPrepared("bounce_unsubscribe_all",
                       "UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = NOW()"
                       " WHERE subscriber_id = $1::int8 AND status <> 'unsubscribed'",
                       by_id);
}

void applyAction(Lease& lease, sdk::Id subscriber_id, sdk::BounceAction action) {
    Params p;
    p.add(subscriber_id);
    switch (action) {
    case sdk::BounceAction::None:
        return;
    case sdk::BounceAction::Unsubscribe:
        unsubscribeAll(lease, p);
        return;
    case sdk::BounceAction::Blocklist:
        lease.execPrepared("bounce_blocklist",
                           "UPDATE subscribers SET status = 'blocklisted', updated_at = NOW()"
                           " WHERE id = $1::int8 AND status <> 'blocklisted'",
                           p);
        unsubscribeAll(lease, p);
        return;
    case sdk::BounceAction::Delete:
        lease.execPrepared("bounce_delete_subscriber", "DELETE FROM subscribers WHERE id = $1::int8", p);
        return;
    }
}

}  // namespace

sdk::Status BounceStoreImpl::record(const sdk::BounceEvent& event, const sdk::BounceRule& rule,
                                    sdk::BounceOutcome& out) noexcept {
    return guarded([&] {
        out = sdk::BounceOutcome{};
        auto lease = db_.lease();
        Transaction tx(*lease);
        // The row lock serialises bounces of one subscriber, so each sees the count before it
        // and exactly one of them crosses the threshold.
        Params who;
        Result s;
        if (!event.subscriber_uuid.empty()) {
            who.add(uuidParam(event.subscriber_uuid));
            s = lease->execPrepared("bounce_subscriber_by_uuid", "SELECT id FROM subscribers WHERE uuid = $1::uuid FOR UPDATE", who);
        } else {
            who.add(event.email);
            s = lease->execPrepared("bounce_subscriber_by_email",
                                    "SELECT id FROM subscribers WHERE LOWER(email) = LOWER($1) FOR UPDATE", who);
        }
        if (s.rows() == 0) return sdk::Status{};
        out.subscriber_id = s.int64(0, 0);

        Params p;
        p.add(out.subscriber_id);
        p.add(uuidParam(event.campaign_uuid));
        p.add(std::string(sdk::toString(event.type)));
        p.add(event.source);
        p.add(event.meta_json.empty() ? std::string("{}") : event.meta_json);
        p.add(event.created_at ? std::optional<std::string>(micros(*event.created_at)) : std::nullopt);
        Result b;
        try {
            b = lease->execPrepared(
                "bounce_insert",
                "WITH ins AS (INSERT INTO bounces (subscriber_id, campaign_id, type, source, meta, created_at)"
                "  VALUES ($1::int8, (SELECT id FROM campaigns WHERE uuid = $2::uuid), $3, $4, $5::jsonb,"
                "  COALESCE(" + fromMicros("$6") + ", NOW())) RETURNING id)"
                " SELECT (SELECT id FROM ins),"
                "  (SELECT COUNT(*) + 1 FROM bounces WHERE subscriber_id = $1::int8 AND type = $3)",
                p);
        } catch (const PgError& e) {
            if (e.sqlstate() == "22P02") return sdk::Status::invalid("meta: invalid JSON");
            throw;
        }
        out.recorded = true;
        out.bounce_id = b.int64(0, 0);
        out.count = b.int64(0, 1);
        if (rule.count >= 1 && out.count >= rule.count && rule.action != sdk::BounceAction::None) {
            applyAction(*lease, out.subscriber_id, rule.action);
            out.applied = rule.action;
        }
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::query(const sdk::BounceQuery& q, sdk::BouncePage& out) noexcept {
    return guarded([&] {
        Params p;
        std::string where = " WHERE TRUE";
        if (q.campaign_id) where += " AND b.campaign_id = " + p.add(*q.campaign_id) + "::int8";
        if (q.subscriber_id) where += " AND b.subscriber_id = " + p.add(*q.subscriber_id) + "::int8";
        if (!q.source.empty()) where += " AND b.source = " + p.add(q.source);
        if (q.type) where += " AND b.type = " + p.add(std::string(sdk::toString(*q.type)));
        auto lease = db_.lease();
        sdk::BouncePage page;
        page.total = lease->exec("SELECT COUNT(*) FROM bounces b" + where, p).int64(0, 0);
        const std::string dir = q.order == sdk::SortOrder::Desc ? " DESC" : " ASC";
        std::string sql = bounceSelect() + where + " ORDER BY " + orderColumn(q.order_by) + dir + " NULLS LAST, b.id" + dir;
        if (q.per_page > 0)
            sql += " LIMIT " + p.add(q.per_page) + "::int8 OFFSET " +
                   p.add((std::max<std::int64_t>(q.page, 1) - 1) * q.per_page) + "::int8";
        Result r = lease->exec(sql, p);
        for (int i = 0; i < r.rows(); ++i) page.results.push_back(readBounce(r, i));
        out = std::move(page);
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::get(sdk::Id id, sdk::Bounce& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        Result r = lease->execPrepared("bounce_by_id", bounceSelect() + " WHERE b.id = $1::int8", p);
        if (r.rows() == 0) return sdk::Status::notFound("bounce: not found");
        out = readBounce(r, 0);
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::remove(const std::vector<sdk::Id>& ids, std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        if (ids.empty()) return sdk::Status{};
        auto lease = db_.lease();
        Params p;
        p.add(bigintArray(ids));
        affected = lease->exec("DELETE FROM bounces WHERE id = ANY($1::int8[])", p).affected();
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::removeAll(std::optional<sdk::Id> subscriber_id, std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        std::string sql = "DELETE FROM bounces";
        if (subscriber_id) sql += " WHERE subscriber_id = " + p.add(*subscriber_id) + "::int8";
        affected = lease->exec(sql, p).affected();
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::blocklistBounced(std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Transaction tx(*lease);
        affected = lease->exec(
                            "UPDATE subscribers SET status = 'blocklisted', updated_at = NOW()"
                            " WHERE status <> 'blocklisted' AND id IN (SELECT subscriber_id FROM bounces)")
                       .affected();
        lease->exec(
            "UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = NOW()"
            " WHERE status <> 'unsubscribed' AND subscriber_id IN (SELECT subscriber_id FROM bounces)");
        tx.commit();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
