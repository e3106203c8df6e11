#include "subscriber_store.hpp"

#include <algorithm>

#include "counts.hpp"
#include "errors.hpp"
#include "json_array.hpp"
#include "rows.hpp"
#include "subscriber_filter.hpp"
#include "subscriber_memberships.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

// order_by is validated by the kernel; mapping it through a fixed table means an unexpected
// value can still never reach the SQL text.
std::string orderColumn(const std::string& order_by) {
    static const std::pair<std::string_view, std::string_view> kColumns[] = {
        {"id", "subscribers.id"},         {"email", "subscribers.email"},
        {"name", "subscribers.name"},     {"status", "subscribers.status"},
        {"created_at", "subscribers.created_at"}, {"updated_at", "subscribers.updated_at"},
    };
    for (const auto& [key, column] : kColumns)
        if (key == order_by) return std::string(column);
    return "subscribers.id";
}

template <typename Enum>
std::optional<std::string> optEnum(const std::optional<Enum>& v) {
    if (!v) return std::nullopt;
    return std::string(sdk::toString(*v));
}

// Runs a SELECT whose rows are subscribers: guarded when the filter holds a user expression,
// otherwise as a cached statement (the SQL comes from a bounded set of shapes).
void selectSubscribers(Connection& c, bool user_sql, const std::string& sql, const QueryParams& p,
                       std::vector<sdk::Subscriber>& out) {
    if (user_sql) {
        runUserSelect(c, sql, p, [&](const Statement& st) { out.push_back(readSubscriber(st)); });
        return;
    }
    auto st = c.prepare(sql);
    p.bindTo(st);
    while (st.step()) out.push_back(readSubscriber(st));
}

std::int64_t countMatches(Connection& c, const sdk::SubscriberFilter& f) {
    const bool plain = f.ids.empty() && f.search.empty() && !hasExpression(f);
    if (plain && f.list_ids.empty()) return subscriberTotal(c);
    // One list: a subscriber has at most one membership in it, so the maintained count is exact.
    // Several lists need de-duplication, so they are counted live.
    if (plain && uniqueIds(f.list_ids).size() == 1) return membershipTotal(c, f.list_ids.front(), f.subscription_status);
    QueryParams p;
    const std::string sql = "SELECT COUNT(*) FROM subscribers WHERE " + filterCondition(f, p);
    std::int64_t total = 0;
    if (hasExpression(f)) {
        runUserSelect(c, sql, p, [&](const Statement& st) { total = st.int64(0); });
        return total;
    }
    auto st = c.prepare(sql);
    p.bindTo(st);
    return st.step() ? st.int64(0) : 0;
}

}  // namespace

sdk::Status SubscriberStoreImpl::query(const sdk::SubscriberQuery& q, sdk::SubscriberPage& out) noexcept {
    return guarded([&] {
        QueryParams p;
        const std::string dir = q.order == sdk::SortOrder::Desc ? " DESC" : " ASC";
        std::string sql = "SELECT " + subscriberColumns() + " FROM subscribers WHERE " + filterCondition(q.filter, p) +
                          " ORDER BY " + orderColumn(q.order_by) + dir + ", subscribers.id" + dir;
        if (q.page.per_page > 0) {
            const std::int64_t page = std::max<std::int64_t>(q.page.page, 1);
            sql += " LIMIT " + p.add(q.page.per_page) + " OFFSET " + p.add((page - 1) * q.page.per_page);
        }
        auto lease = db_.reader();
        // One snapshot for the page, its total and the memberships.
        Transaction tx(*lease, Transaction::Mode::Read);
        sdk::SubscriberPage result;
        selectSubscribers(*lease, hasExpression(q.filter), sql, p, result.results);
        result.total = countMatches(*lease, q.filter);
        loadMemberships(*lease, result.results);
        tx.commit();
        out = std::move(result);
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::stream(const sdk::SubscriberQuery& q, std::size_t batch_size,
                                        const sdk::BatchSink<sdk::Subscriber>& sink) noexcept {
    return guarded([&] {
        const bool user_sql = hasExpression(q.filter);
        const auto limit = static_cast<std::int64_t>(std::clamp<std::size_t>(batch_size, 1, 100000));
        sdk::Id last = 0;
        for (;;) {
            std::vector<sdk::Subscriber> batch;
            {
                // One lease (and one time limit) per batch: a slow sink must not pin a connection.
                QueryParams p;
                const std::string sql = "SELECT " + subscriberColumns() + " FROM subscribers WHERE " +
                                        filterCondition(q.filter, p) + " AND subscribers.id > " + p.add(last) +
                                        " ORDER BY subscribers.id LIMIT " + p.add(limit);
                auto lease = db_.reader();
                Transaction tx(*lease, Transaction::Mode::Read);
                selectSubscribers(*lease, user_sql, sql, p, batch);
                loadMemberships(*lease, batch);
                tx.commit();
            }
            if (batch.empty()) break;
            last = batch.back().id;
            const bool more = static_cast<std::int64_t>(batch.size()) == limit;
            if (!sink(batch) || !more) break;
        }
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::get(sdk::Id id, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        Transaction tx(*lease, Transaction::Mode::Read);
        out = requireSubscriber(*lease, id);
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::getByUuid(std::string_view uuid, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        const auto key = uuidParam(uuid);
        if (!key) return sdk::Status::notFound("subscriber: not found");
        auto lease = db_.reader();
        Transaction tx(*lease, Transaction::Mode::Read);
        auto st = lease->prepare("SELECT id FROM subscribers WHERE uuid = ?1");
        st.bindAll(*key);
        if (!st.step()) return sdk::Status::notFound("subscriber: not found");
        out = requireSubscriber(*lease, st.int64(0));
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::getByEmail(std::string_view email, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        Transaction tx(*lease, Transaction::Mode::Read);
        // The column's NOCASE collation makes this case-insensitive and lets it use the unique index.
        auto st = lease->prepare("SELECT id FROM subscribers WHERE email = ?1");
        st.bindAll(email);
        if (!st.step()) return sdk::Status::notFound("subscriber: not found");
        out = requireSubscriber(*lease, st.int64(0));
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::create(const sdk::SubscriberDraft& draft, const std::vector<sdk::Id>& list_ids,
                                        sdk::SubscriptionStatus status, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        if (!draft.email || draft.email->empty()) return sdk::Status::invalid("email: required");
        const auto lists = uniqueIds(list_ids);
        const std::string now = nowText();
        auto lease = db_.writer();
        Transaction tx(*lease);
        requireLists(*lease, lists);
        lease->prepare("INSERT INTO subscribers (uuid, email, name, attribs, status, created_at, updated_at)"
                       " VALUES (?1, ?2, ?3, COALESCE(?4, '{}'), COALESCE(?5, 'enabled'), ?6, ?6)")
            .bindAll(newUuid(), *draft.email, draft.name.value_or(""), draft.attribs_json, optEnum(draft.status), now)
            .run();
        const sdk::Id id = lease->lastInsertId();
        if (!lists.empty()) {
            // A blocklisted subscriber never holds an active subscription.
            lease->prepare("INSERT INTO subscriber_lists (subscriber_id, list_id, status, created_at, updated_at)"
                           " SELECT s.id, l.value, CASE WHEN s.status = 'blocklisted' THEN 'unsubscribed' ELSE ?3 END,"
                           " ?4, ?4 FROM subscribers s, json_each(?2) l WHERE s.id = ?1")
                .bindAll(id, idsJson(lists), std::string(sdk::toString(status)), now)
                .run();
        }
        auto stored = requireSubscriber(*lease, id);
        tx.commit();
        out = std::move(stored);
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::update(sdk::Id id, const sdk::SubscriberDraft& draft,
                                        const std::optional<std::vector<sdk::Id>>& list_ids,
                                        sdk::SubscriptionStatus status, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        const std::string now = nowText();
        auto lease = db_.writer();
        Transaction tx(*lease);
        bool blocklisted = false;
        {
            auto st = lease->prepare(
                "UPDATE subscribers SET email = COALESCE(?2, email), name = COALESCE(?3, name),"
                " attribs = COALESCE(?4, attribs), status = COALESCE(?5, status), updated_at = ?6"
                " WHERE id = ?1 RETURNING status");
            st.bindAll(id, draft.email, draft.name, draft.attribs_json, optEnum(draft.status), now);
            if (!st.step()) return sdk::Status::notFound("subscriber: not found");
            blocklisted = st.text(0) == "blocklisted";
        }
        if (list_ids) {
            const auto lists = uniqueIds(*list_ids);
            requireLists(*lease, lists);
            const std::string ids = idsJson(lists);
            lease->prepare("DELETE FROM subscriber_lists WHERE subscriber_id = ?1"
                           " AND list_id NOT IN (SELECT value FROM json_each(?2))")
                .bindAll(id, ids)
                .run();
            // Kept memberships keep their status; new ones get `status`.
            lease->prepare("INSERT INTO subscriber_lists (subscriber_id, list_id, status, created_at, updated_at)"
                           " SELECT ?1, value, ?3, ?4, ?4 FROM json_each(?2) WHERE true"
                           " ON CONFLICT (subscriber_id, list_id) DO NOTHING")
                .bindAll(id, ids, std::string(sdk::toString(status)), now)
                .run();
        }
        if (blocklisted) {
            lease->prepare("UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = ?2"
                           " WHERE subscriber_id = ?1 AND status <> 'unsubscribed'")
                .bindAll(id, now)
                .run();
        }
        auto stored = requireSubscriber(*lease, id);
        tx.commit();
        out = std::move(stored);
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
