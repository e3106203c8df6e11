// Bulk writes selected by a SubscriberFilter: delete, blocklist, change memberships.
//
// A filter with a user expression is first resolved to ids on a reader under the guard (see
// subscriber_filter.hpp); the write then targets those ids only, so user SQL never runs on the
// connection that can write.

#include "errors.hpp"
#include "json_array.hpp"
#include "rows.hpp"
#include "subscriber_filter.hpp"
#include "subscriber_memberships.hpp"
#include "subscriber_store.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {

std::optional<sdk::SubscriberFilter> SubscriberStoreImpl::writableFilter(const sdk::SubscriberFilter& f) {
    if (!hasExpression(f)) return f;
    sdk::SubscriberFilter resolved;
    resolved.ids = resolveGuardedIds(db_, f);
    // An empty id list would mean "everyone" to filterCondition: report "nobody" explicitly.
    if (resolved.ids.empty()) return std::nullopt;
    return resolved;
}

sdk::Status SubscriberStoreImpl::remove(const sdk::SubscriberFilter& filter, std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        const auto target = writableFilter(filter);
        if (!target) return sdk::Status{};
        QueryParams p;
        const std::string sql = "DELETE FROM subscribers WHERE " + filterCondition(*target, p);
        auto lease = db_.writer();
        Transaction tx(*lease);
        auto st = lease->prepare(sql);
        p.bindTo(st);
        const std::int64_t n = st.run();
        tx.commit();
        affected = n;
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::blocklist(const sdk::SubscriberFilter& filter, std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        const auto target = writableFilter(filter);
        if (!target) return sdk::Status{};
        QueryParams p;
        const std::string where = filterCondition(*target, p);
        const std::string now = p.add(nowText());
        auto lease = db_.writer();
        Transaction tx(*lease);
        std::int64_t n = 0;
        {
            auto st = lease->prepare("UPDATE subscribers SET status = 'blocklisted', updated_at = " + now + " WHERE " + where);
            p.bindTo(st);
            n = st.run();
        }
        // The filter reads neither column changed above, so it still selects the same subscribers.
        auto st = lease->prepare("UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = " + now +
                                 " WHERE status <> 'unsubscribed' AND subscriber_id IN"
                                 " (SELECT subscribers.id FROM subscribers WHERE " + where + ")");
        p.bindTo(st);
        st.run();
        tx.commit();
        affected = n;
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::changeSubscriptions(const sdk::SubscriberFilter& filter,
                                                     const sdk::SubscriptionChange& change,
                                                     std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        const auto lists = uniqueIds(change.list_ids);
        // Confirm with no lists means "every list"; other actions with no lists do nothing.
        const bool all_lists = lists.empty();
        if (all_lists && change.action != sdk::SubscriptionAction::Confirm) return sdk::Status{};

        const auto target = writableFilter(filter);
        auto lease = db_.writer();
        Transaction tx(*lease);
        requireLists(*lease, lists);
        if (!target) return sdk::Status{};

        QueryParams p;
        const std::string where = filterCondition(*target, p);
        const std::string now = p.add(nowText());
        const std::string lists_param = all_lists ? std::string() : p.add(idsJson(lists));
        const std::string in_lists = "list_id IN (SELECT value FROM json_each(" + lists_param + "))";
        const std::string of_selected = "subscriber_id IN (SELECT subscribers.id FROM subscribers WHERE " + where + ")";
        std::string sql;
        switch (change.action) {
            case sdk::SubscriptionAction::Add: {
                const std::string status = p.add(std::string(sdk::toString(change.status)));
                sql = "INSERT INTO subscriber_lists (subscriber_id, list_id, status, created_at, updated_at)"
                      " SELECT subscribers.id, l.value,"
                      " CASE WHEN subscribers.status = 'blocklisted' THEN 'unsubscribed' ELSE " + status + " END, " +
                      now + ", " + now + " FROM subscribers CROSS JOIN json_each(" + lists_param +
                      ") l WHERE " + where +
                      (change.overwrite_status
                           ? " ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = excluded.status,"
                             " updated_at = excluded.updated_at WHERE subscriber_lists.status <> excluded.status"
                           : " ON CONFLICT (subscriber_id, list_id) DO NOTHING");
                break;
            }
            case sdk::SubscriptionAction::Remove:
                sql = "DELETE FROM subscriber_lists WHERE " + in_lists + " AND " + of_selected;
                break;
            case sdk::SubscriptionAction::Unsubscribe:
                sql = "UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = " + now + " WHERE " + in_lists +
                      " AND status <> 'unsubscribed' AND " + of_selected;
                break;
            case sdk::SubscriptionAction::Confirm: {
                const std::string meta = p.add(change.meta_json.empty() ? std::string("{}") : change.meta_json);
                sql = "UPDATE subscriber_lists SET status = 'confirmed', meta = json_patch(meta, " + meta +
                      "), updated_at = " + now + " WHERE status = 'unconfirmed'" +
                      (all_lists ? std::string() : " AND " + in_lists) + " AND " + of_selected;
                break;
            }
        }
        auto st = lease->prepare(sql);
        p.bindTo(st);
        const std::int64_t n = st.run();
        tx.commit();
        affected = n;
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
