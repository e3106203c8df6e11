#include "bounce_store.hpp"

#include <algorithm>
#include <utility>

#include "errors.hpp"
#include "json_array.hpp"
#include "subscriber_effects.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

constexpr const char* kBounceSelect =
    "SELECT b.id, b.subscriber_id, s.uuid, s.email, COALESCE(b.campaign_id, 0), COALESCE(c.uuid, ''),"
    " COALESCE(c.name, ''), b.type, b.source, b.meta, b.created_at"
    " FROM bounces b JOIN subscribers s ON s.id = b.subscriber_id LEFT JOIN campaigns c ON c.id = b.campaign_id";

sdk::Bounce readBounce(const Statement& st) {
    sdk::Bounce b;
    b.id = st.int64(0);
    b.subscriber_id = st.int64(1);
    b.subscriber_uuid = st.text(2);
    b.email = st.text(3);
    b.campaign_id = st.int64(4);
    b.campaign_uuid = st.text(5);
    b.campaign_name = st.text(6);
    b.type = enumFrom<sdk::BounceType>(st.text(7));
    b.source = st.text(8);
    b.meta_json = st.text(9);
    b.created_at = parseTimestamp(st.text(10));
    return b;
}

// The kernel validates order_by; an unknown key falls back to the default rather than reaching SQL.
const char* orderColumn(const std::string& order_by) {
    static constexpr std::pair<std::string_view, const char*> kColumns[] = {
        {"email", "s.email"}, {"campaign_name", "c.name"},         {"source", "b.source"},
        {"type", "b.type"},   {"created_at", "b.created_at"}, {"id", "b.id"},
    };
    for (const auto& [key, column] : kColumns)
        if (key == order_by) return column;
    return "b.created_at";
}

void applyAction(Connection& c, sdk::Id subscriber_id, sdk::BounceAction action, const std::string& now) {
    switch (action) {
    case sdk::BounceAction::None:
        return;
    case sdk::BounceAction::Unsubscribe:
        unsubscribeAll(c, subscriber_id, now);
        return;
    case sdk::BounceAction::Blocklist:
        blocklistSubscriber(c, subscriber_id, now);
        return;
    case sdk::BounceAction::Delete:
        deleteSubscriber(c, subscriber_id);
        return;
    }
}

}  // namespace

sdk::Status BounceStoreImpl::record(const sdk::BounceEvent& event, const sdk::BounceRule& rule,
                                    sdk::BounceOutcome& out) noexcept {
    return guarded([&] {
        out = sdk::BounceOutcome{};
        const std::string meta = event.meta_json.empty() ? std::string("{}") : event.meta_json;
        auto lease = db_.writer();
        // BEGIN IMMEDIATE serialises every writer, so concurrent bounces of one subscriber each
        // count the ones before them and exactly one crosses the threshold.
        Transaction tx(*lease);
        {
            auto valid = lease->prepare("SELECT json_valid(?)");
            valid.bindAll(meta);
            if (!valid.step() || !valid.boolean(0)) return sdk::Status::invalid("meta: invalid JSON");
        }
        const auto subscriber = event.subscriber_uuid.empty() ? subscriberIdByEmail(*lease, event.email)
                                                              : subscriberIdByUuid(*lease, event.subscriber_uuid);
        if (!subscriber) return sdk::Status{};
        out.subscriber_id = *subscriber;

        const std::string now = nowText();
        const std::string type(sdk::toString(event.type));
        lease->prepare("INSERT INTO bounces (subscriber_id, campaign_id, type, source, meta, created_at)"
                       " VALUES (?, (SELECT id FROM campaigns WHERE uuid = ?), ?, ?, ?, ?)")
            .bindAll(out.subscriber_id, uuidParam(event.campaign_uuid), type, event.source, meta,
                     event.created_at ? formatTimestamp(*event.created_at) : now)
            .run();
        out.bounce_id = lease->lastInsertId();
        out.recorded = true;
        {
            auto count = lease->prepare("SELECT COUNT(*) FROM bounces WHERE subscriber_id = ? AND type = ?");
            count.bindAll(out.subscriber_id, type);
            count.step();
            out.count = count.int64(0);
        }
        if (rule.count >= 1 && out.count >= rule.count && rule.action != sdk::BounceAction::None) {
            applyAction(*lease, out.subscriber_id, rule.action, now);
            out.applied = rule.action;
        }
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::query(const sdk::BounceQuery& q, sdk::BouncePage& out) noexcept {
    return guarded([&] {
        // Only which filters are present shapes the SQL, so each shape is prepared once.
        std::string where = " WHERE 1";
        if (q.campaign_id) where += " AND b.campaign_id = ?";
        if (q.subscriber_id) where += " AND b.subscriber_id = ?";
        if (!q.source.empty()) where += " AND b.source = ?";
        if (q.type) where += " AND b.type = ?";
        const auto bindFilters = [&](Statement& st) {
            int i = 0;
            if (q.campaign_id) st.bind(++i, *q.campaign_id);
            if (q.subscriber_id) st.bind(++i, *q.subscriber_id);
            if (!q.source.empty()) st.bind(++i, q.source);
            if (q.type) st.bind(++i, sdk::toString(*q.type));
            return i;
        };

        auto lease = db_.reader();
        // One snapshot for the count and the page, so they agree.
        Transaction tx(*lease, Transaction::Mode::Read);
        sdk::BouncePage page;
        {
            auto count = lease->prepare("SELECT COUNT(*) FROM bounces b" + where);
            bindFilters(count);
            count.step();
            page.total = count.int64(0);
        }
        const std::string dir = q.order == sdk::SortOrder::Desc ? " DESC" : " ASC";
        std::string sql = std::string(kBounceSelect) + where + " ORDER BY " + orderColumn(q.order_by) + dir +
                          " NULLS LAST, b.id" + dir;
        if (q.per_page > 0) sql += " LIMIT ? OFFSET ?";
        auto st = lease->prepare(sql);
        int next = bindFilters(st);
        if (q.per_page > 0) {
            st.bind(++next, q.per_page);
            st.bind(++next, (std::max<std::int64_t>(q.page, 1) - 1) * q.per_page);
        }
        while (st.step()) page.results.push_back(readBounce(st));
        out = std::move(page);
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::get(sdk::Id id, sdk::Bounce& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare(std::string(kBounceSelect) + " WHERE b.id = ?");
        st.bindAll(id);
        if (!st.step()) return sdk::Status::notFound("bounce: not found");
        out = readBounce(st);
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::remove(const std::vector<sdk::Id>& ids, std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        if (ids.empty()) return sdk::Status{};
        auto lease = db_.writer();
        affected = lease->prepare("DELETE FROM bounces WHERE id IN (SELECT value FROM json_each(?))")
                       .bindAll(idsJson(ids))
                       .run();
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::removeAll(std::optional<sdk::Id> subscriber_id, std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        affected = subscriber_id
                       ? lease->prepare("DELETE FROM bounces WHERE subscriber_id = ?").bindAll(*subscriber_id).run()
                       : lease->prepare("DELETE FROM bounces").run();
        return sdk::Status{};
    });
}

sdk::Status BounceStoreImpl::blocklistBounced(std::int64_t& affected) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        Transaction tx(*lease);
        const std::string now = nowText();
        affected = lease->prepare("UPDATE subscribers SET status = 'blocklisted', updated_at = ?"
                                  " WHERE status <> 'blocklisted' AND id IN (SELECT subscriber_id FROM bounces)")
                       .bindAll(now)
                       .run();
        lease->prepare("UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = ?"
                       " WHERE status <> 'unsubscribed' AND subscriber_id IN (SELECT subscriber_id FROM bounces)")
            .bindAll(now)
            .run();
        tx.commit();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
