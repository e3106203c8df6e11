#include "subscriber_store.hpp"

#include <algorithm>
#include <set>

#include "counts.hpp"
#include "errors.hpp"
#include "rows.hpp"
#include "subscriber_filter.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
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

bool looksLikeUuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

std::vector<sdk::Id> unique(const std::vector<sdk::Id>& ids) {
    std::set<sdk::Id> s(ids.begin(), ids.end());
    return {s.begin(), s.end()};
}

std::optional<std::string> opt(const std::optional<std::string>& v) { return v; }
template <typename Enum>
std::optional<std::string> optEnum(const std::optional<Enum>& v) {
    if (!v) return std::nullopt;
    return std::string(sdk::toString(*v));
}

}  // namespace

std::int64_t SubscriberStoreImpl::total(Lease& lease, const sdk::SubscriberFilter& f) {
    const bool plain = f.ids.empty() && f.search.empty() && !hasExpression(f);
    if (plain && f.list_ids.empty()) return subscriberTotal(lease);
    if (plain) {
        const auto lists = unique(f.list_ids);
        // One list: each subscriber has at most one membership in it, so the maintained count
        // is exact. Several lists need de-duplication, so count live.
        if (lists.size() == 1) return membershipTotal(lease, lists.front(), f.subscription_status);
    }
    Params p;
    const std::string sql = "SELECT COUNT(*) FROM subscribers WHERE " + filterCondition(f, p);
    return lease.exec(sql, p).int64(0, 0);
}

sdk::Status SubscriberStoreImpl::query(const sdk::SubscriberQuery& q, sdk::SubscriberPage& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        const std::string where = filterCondition(q.filter, p);
        const std::string dir = q.order == sdk::SortOrder::Desc ? " DESC" : " ASC";
        std::string sql = "SELECT " + subscriberColumns() + " FROM subscribers WHERE " + where +
                          " ORDER BY " + orderColumn(q.order_by) + dir + ", subscribers.id" + dir;
        const std::int64_t page = std::max<std::int64_t>(q.page.page, 1);
        if (q.page.per_page > 0) {
            sql += " LIMIT " + p.add(q.page.per_page) + "::int8";
            sql += " OFFSET " + p.add((page - 1) * q.page.per_page) + "::int8";
        }
        sdk::SubscriberPage result;
        auto read = [&] {
            Result r = lease->exec(sql, p);
            for (int i = 0; i < r.rows(); ++i) result.results.push_back(readSubscriber(r, i));
        };
        if (hasExpression(q.filter)) {
            asUserQuery([&] {
                Transaction tx(*lease, Transaction::Mode::ReadOnly);
                tx.statementTimeout(db_.queryTimeout());
                checkPlanRelations(*lease, sql, p);  // before the sandbox, for its clearer message
                enterQuerySandbox(*lease);
                read();
                Params cp;
                const std::string count_sql = "SELECT COUNT(*) FROM subscribers WHERE " +
                                              filterCondition(q.filter, cp);
                result.total = lease->exec(count_sql, cp).int64(0, 0);
                tx.commit();
            });
        } else {
            read();
            result.total = total(*lease, q.filter);
        }
        loadMemberships(*lease, result.results);
        out = std::move(result);
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::stream(const sdk::SubscriberQuery& q, std::size_t batch_size,
                                        const sdk::BatchSink<sdk::Subscriber>& sink) noexcept {
    return guarded([&] {
        const bool guarded_expr = hasExpression(q.filter);
        const std::int64_t limit = static_cast<std::int64_t>(std::clamp<std::size_t>(batch_size, 1, 100000));
        sdk::Id last = 0;
        bool checked = false;
        for (;;) {
            std::vector<sdk::Subscriber> batch;
            {
                // One lease per batch: a slow sink must not pin a connection.
                auto lease = db_.lease();
                Params p;
                const std::string sql = "SELECT " + subscriberColumns() +
                                        " FROM subscribers WHERE " + filterCondition(q.filter, p) +
                                        " AND subscribers.id > " + p.add(last) +
                                        "::int8 ORDER BY subscribers.id LIMIT " + p.add(limit) + "::int8";
                auto read = [&] {
                    Result r = lease->exec(sql, p);
                    for (int i = 0; i < r.rows(); ++i) batch.push_back(readSubscriber(r, i));
                };
                if (guarded_expr) {
                    asUserQuery([&] {
                        Transaction tx(*lease, Transaction::Mode::ReadOnly);
                        tx.statementTimeout(db_.queryTimeout());
                        if (!checked) checkPlanRelations(*lease, sql, p);
                        enterQuerySandbox(*lease);
                        checked = true;
                        read();
                        tx.commit();
                    });
                } else {
                    read();
                }
                loadMemberships(*lease, batch);
            }
            if (batch.empty()) break;
            last = batch.back().id;
            const bool more = static_cast<std::int64_t>(batch.size()) == limit;
            if (!sink(batch) || !more) break;
        }
        return sdk::Status{};
    });
}

sdk::Status SubscriberStoreImpl::loadOne(Lease& lease, const char* name, const std::string& where,
                                         std::string_view value, sdk::Subscriber& out) {
    Params p;
    p.add(value);
    Result r = lease.execPrepared(name, "SELECT " + subscriberColumns() + " FROM subscribers WHERE " + where, p);
    if (r.rows() == 0) return sdk::Status::notFound("subscriber: not found");
    std::vector<sdk::Subscriber> one{readSubscriber(r, 0)};
    loadMemberships(lease, one);
    out = std::move(one.front());
    return {};
}

sdk::Status SubscriberStoreImpl::get(sdk::Id id, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        return loadOne(*lease, "subscriber_by_id", "subscribers.id = $1::int8", std::to_string(id), out);
    });
}

sdk::Status SubscriberStoreImpl::getByUuid(std::string_view uuid, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        if (!looksLikeUuid(uuid)) return sdk::Status::notFound("subscriber: not found");
        auto lease = db_.lease();
        return loadOne(*lease, "subscriber_by_uuid", "subscribers.uuid = $1::uuid", uuid, out);
    });
}

sdk::Status SubscriberStoreImpl::getByEmail(std::string_view email, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        // LOWER() on both sides matches the unique index on LOWER(email).
        return loadOne(*lease, "subscriber_by_email", "LOWER(subscribers.email) = LOWER($1)", email, out);
    });
}

sdk::Status SubscriberStoreImpl::create(const sdk::SubscriberDraft& draft,
                                        const std::vector<sdk::Id>& list_ids,
                                        sdk::SubscriptionStatus status, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        if (!draft.email || draft.email->empty()) return sdk::Status::invalid("email: required");
        auto lease = db_.lease();
        Transaction tx(*lease);
        Params p;
        p.add(*draft.email);
        p.add(draft.name.value_or(""));
        p.add(opt(draft.attribs_json));
        p.add(optEnum(draft.status));
        Result r = lease->execPrepared(
            "subscriber_insert",
            "INSERT INTO subscribers (email, name, attribs, status)"
            " VALUES ($1, $2, COALESCE($3::jsonb, '{}'), COALESCE($4, 'enabled')) RETURNING id",
            p);
        const sdk::Id id = r.int64(0, 0);
        if (!list_ids.empty()) {
            // A blocklisted subscriber never holds an active subscription.
            Params lp;
            lp.add(id);
            lp.add(bigintArray(unique(list_ids)));
            lp.add(std::string(sdk::toString(status)));
            lease->execPrepared(
                "subscriber_insert_lists",
                "INSERT INTO subscriber_lists (subscriber_id, list_id, status)"
                " SELECT s.id, l, CASE WHEN s.status = 'blocklisted' THEN 'unsubscribed' ELSE $3 END"
                " FROM subscribers s, unnest($2::int8[]) AS l WHERE s.id = $1::int8"
                " ON CONFLICT DO NOTHING",
                lp);
        }
        tx.commit();
        return loadOne(*lease, "subscriber_by_id", "subscribers.id = $1::int8", std::to_string(id), out);
    });
}

sdk::Status SubscriberStoreImpl::update(sdk::Id id, const sdk::SubscriberDraft& draft,
                                        const std::optional<std::vector<sdk::Id>>& list_ids,
                                        sdk::SubscriptionStatus status, sdk::Subscriber& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Transaction tx(*lease);
        Params p;
        p.add(id);
        p.add(opt(draft.email));
        p.add(opt(draft.name));
        p.add(opt(draft.attribs_json));
        p.add(optEnum(draft.status));
        Result r = lease->execPrepared(
            "subscriber_update",
            "UPDATE subscribers SET email = COALESCE($2, email), name = COALESCE($3, name),"
            " attribs = COALESCE($4::jsonb, attribs), status = COALESCE($5, status), updated_at = NOW()"
            " WHERE id = $1::int8 RETURNING status",
            p);
        if (r.rows() == 0) return sdk::Status::notFound("subscriber: not found");
        const bool blocklisted = r.text(0, 0) == "blocklisted";
        if (list_ids) {
            Params lp;
            lp.add(id);
            lp.add(bigintArray(unique(*list_ids)));
            lp.add(std::string(sdk::toString(status)));
            lease->execPrepared("subscriber_drop_other_lists",
                                "DELETE FROM subscriber_lists WHERE subscriber_id = $1::int8"
                                " AND NOT (list_id = ANY($2::int8[]))",
                                [&] { Params d; d.add(id); d.add(bigintArray(unique(*list_ids))); return d; }());
            lease->execPrepared("subscriber_add_lists",
                                "INSERT INTO subscriber_lists (subscriber_id, list_id, status)"
                                " SELECT $1::int8, l, $3 FROM unnest($2::int8[]) AS l"
                                " ON CONFLICT DO NOTHING",
                                lp);
        }
        if (blocklisted) {
            Params bp;
            bp.add(id);
            lease->execPrepared("subscriber_unsubscribe_all",
                                "UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = NOW()"
                                " WHERE subscriber_id = $1::int8 AND status <> 'unsubscribed'",
                                bp);
        }
        tx.commit();
        return loadOne(*lease, "subscriber_by_id", "subscribers.id = $1::int8", std::to_string(id), out);
    });
}

}  // namespace tidings::storage_pg
