// Bulk writes selected by a SubscriberFilter: delete, blocklist, change memberships.
//
// A filter with a user expression is first resolved to ids under the read-only guard (see
// subscriber_filter.hpp); the write then targets those ids only, so user SQL never executes in a
// transaction that can write.

#include <set>

#include "errors.hpp"
#include "subscriber_filter.hpp"
#include "subscriber_store.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {

std::optional<sdk::SubscriberFilter> SubscriberStoreImpl::writableFilter(Lease& lease,
                                                                        const sdk::SubscriberFilter& f) {
    if (!hasExpression(f)) return f;
    sdk::SubscriberFilter resolved;
    resolved.ids = resolveGuardedIds(lease, f, db_.queryTimeout());
    // An empty id list would mean "everyone" to filterCondition: report "nobody" explicitly.
    if (resolved.ids.empty()) return std::nullopt;
    return resolved;
}

sdk::Status SubscriberStoreImpl::remove(const sdk::SubscriberFilter& filter, std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        const auto target = writableFilter(*lease, filter);
        affected = 0;
        if (!target) return sdk::Status{};
        Params p;
        const std::string sql = "DELETE FROM subscribers WHERE " + filterCondition(*target, p);
        affected = lease->exec(sql, p).affected();
        if (affected > 1) db_.requestCompaction();
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::blocklist(const sdk::SubscriberFilter& filter, std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        const auto target = writableFilter(*lease, filter);
        affected = 0;
        if (!target) return sdk::Status{};
        Params p;
        // One statement: the memberships updated are exactly those of the rows blocklisted,
        // whatever the filter says about status.
        const std::string sql =
            "WITH s AS (UPDATE subscribers SET status = 'blocklisted', updated_at = NOW() WHERE " +
            filterCondition(*target, p) +
            " RETURNING subscribers.id),"
            " u AS (UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = NOW()"
            "       WHERE subscriber_id IN (SELECT id FROM s) AND status <> 'unsubscribed' RETURNING 1)"
            " SELECT COUNT(*) FROM s";
        affected = lease->exec(sql, p).int64(0, 0);
        if (affected > 1) db_.requestCompaction();
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::changeSubscriptions(const sdk::SubscriberFilter& filter,
                                                     const sdk::SubscriptionChange& change,
                                                     std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        const std::set<sdk::Id> unique_lists(change.list_ids.begin(), change.list_ids.end());
        // Confirm with no lists means "every list"; other actions with no lists do nothing.
        const bool all_lists = unique_lists.empty();
        if (all_lists && change.action != sdk::SubscriptionAction::Confirm) return sdk::Status{};
        const std::string lists = bigintArray({unique_lists.begin(), unique_lists.end()});

        auto lease = db_.lease();
        const auto target = writableFilter(*lease, filter);
        Transaction tx(*lease);
        if (!all_lists) {
            Params lp;
            lp.add(lists);
            Result r = lease->execPrepared("lists_existing",
                                           "SELECT COUNT(*) FROM lists WHERE id = ANY($1::int8[])", lp);
            if (r.int64(0, 0) != static_cast<std::int64_t>(unique_lists.size()))
                return sdk::Status::invalid("lists: unknown list id");
        }
        if (!target) return sdk::Status{};

        Params p;
        const std::string where = filterCondition(*target, p);
        const std::string list_param = all_lists ? std::string() : p.add(lists) + "::int8[]";
        std::string sql;
        switch (change.action) {
        case sdk::SubscriptionAction::Add: {
            const std::string status = p.add(std::string(sdk::toString(change.status)));
            sql = "INSERT INTO subscriber_lists (subscriber_id, list_id, status)"
                  " SELECT subscribers.id, l.id,"
                  "  CASE WHEN subscribers.status = 'blocklisted' THEN 'unsubscribed' ELSE " + status + " END"
                  " FROM subscribers CROSS JOIN unnest(" + list_param + ") AS l(id) WHERE " + where +
                  (change.overwrite_status
                       ? " ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = EXCLUDED.status,"
                         " updated_at = NOW() WHERE subscriber_lists.status <> EXCLUDED.status"
                       : " ON CONFLICT DO NOTHING");
            break;
        }
        case sdk::SubscriptionAction::Remove:
            sql = "DELETE FROM subscriber_lists WHERE list_id = ANY(" + list_param +
                  ") AND subscriber_id IN (SELECT subscribers.id FROM subscribers WHERE " + where + ")";
            break;
        case sdk::SubscriptionAction::Unsubscribe:
            sql = "UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = NOW()"
                  " WHERE list_id = ANY(" + list_param + ") AND status <> 'unsubscribed'"
                  " AND subscriber_id IN (SELECT subscribers.id FROM subscribers WHERE " + where + ")";
            break;
        case sdk::SubscriptionAction::Confirm: {
            const std::string meta = p.add(change.meta_json.empty() ? std::string("{}") : change.meta_json);
            sql = "UPDATE subscriber_lists SET status = 'confirmed', meta = meta || " + meta +
                  "::jsonb, updated_at = NOW() WHERE status = 'unconfirmed'" +
                  (all_lists ? std::string() : " AND list_id = ANY(" + list_param + ")") +
                  " AND subscriber_id IN (SELECT subscribers.id FROM subscribers WHERE " + where + ")";
            break;
        }
        }
        affected = lease->exec(sql, p).affected();
        tx.commit();
        if (affected > 1) db_.requestCompaction();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
