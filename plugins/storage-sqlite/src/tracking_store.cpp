#include "tracking_store.hpp"

#include "errors.hpp"
#include "json_array.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

const char* eventTable(sdk::AnalyticsKind kind) {
    switch (kind) {
    case sdk::AnalyticsKind::Views: return "campaign_views";
    case sdk::AnalyticsKind::Clicks: return "link_clicks";
    case sdk::AnalyticsKind::Bounces: return "bounces";
    }
    return "campaign_views";
}

// Stored timestamps are fixed-width UTC text, so the start of their hour or day is a prefix.
std::string bucketSql(bool hourly) {
    return hourly ? "substr(created_at, 1, 13) || ':00:00'" : "substr(created_at, 1, 10) || ' 00:00:00'";
}

// Parameters 1 to 3: the campaign ids (a JSON array), then the period's bounds.
std::string periodFilter(const std::string& alias = "") {
    const std::string a = alias.empty() ? "" : alias + ".";
    return a + "campaign_id IN (SELECT value FROM json_each(?1)) AND " + a + "created_at >= ?2 AND " + a +
           "created_at <= ?3";
}

void bindPeriod(Statement& st, const sdk::AnalyticsQuery& q) {
    st.bindAll(idsJson(q.campaign_ids), formatTimestamp(q.from), formatTimestamp(q.to));
}

}  // namespace

sdk::Status TrackingStoreImpl::registerLink(std::string_view url, std::string& uuid) noexcept {
    return guarded([&] {
        if (url.empty()) return sdk::Status::invalid("url: required");
        // Every campaign send asks again for the same few links: answer those from a reader and
        // take the write lock only for a URL seen for the first time.
        {
            auto lease = db_.reader();
            auto st = lease->prepare("SELECT uuid FROM links WHERE url = ?");
            st.bindAll(url);
            if (st.step()) {
                uuid = st.text(0);
                return sdk::Status{};
            }
        }
        auto lease = db_.writer();
        // Another process may have registered it since the read: the first one's UUID stays.
        lease->prepare("INSERT INTO links (uuid, url, created_at) VALUES (?, ?, ?) ON CONFLICT (url) DO NOTHING")
            .bindAll(newUuid(), url, nowText())
            .run();
        auto st = lease->prepare("SELECT uuid FROM links WHERE url = ?");
        st.bindAll(url);
        if (!st.step()) return sdk::Status::internal("storage-sqlite: link vanished after registration");
        uuid = st.text(0);
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::recordClick(std::string_view link_uuid, std::string_view campaign_uuid,
                                           std::string_view subscriber_uuid, std::string& url) noexcept {
    return guarded([&] {
        const auto link = uuidParam(link_uuid);
        if (!link) return sdk::Status::notFound("link: not found");
        auto lease = db_.writer();
        sdk::Id link_id = 0;
        {
            auto st = lease->prepare("SELECT id, url FROM links WHERE uuid = ?");
            st.bindAll(*link);
            if (!st.step()) return sdk::Status::notFound("link: not found");
            link_id = st.int64(0);
            url = st.text(1);
        }
        // Unknown or malformed campaign and subscriber UUIDs bind NULL: the click is kept,
        // unattributed (links are never deleted, so no transaction is needed around the two).
        lease->prepare("INSERT INTO link_clicks (campaign_id, link_id, subscriber_id, created_at)"
                       " VALUES ((SELECT id FROM campaigns WHERE uuid = ?), ?, (SELECT id FROM subscribers WHERE uuid = ?), ?)")
            .bindAll(uuidParam(campaign_uuid), link_id, uuidParam(subscriber_uuid), nowText())
            .run();
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::recordView(std::string_view campaign_uuid, std::string_view subscriber_uuid,
                                          bool& recorded) noexcept {
    return guarded([&] {
        recorded = false;
        const auto campaign = uuidParam(campaign_uuid);
        if (!campaign) return sdk::Status{};
        auto lease = db_.writer();
        recorded = lease->prepare("INSERT INTO campaign_views (campaign_id, subscriber_id, created_at)"
                                  " SELECT c.id, (SELECT id FROM subscribers WHERE uuid = ?), ?"
                                  " FROM campaigns c WHERE c.uuid = ?")
                       .bindAll(uuidParam(subscriber_uuid), nowText(), *campaign)
                       .run() == 1;
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::analytics(sdk::AnalyticsKind kind, const sdk::AnalyticsQuery& q,
                                         std::vector<sdk::AnalyticsPoint>& out) noexcept {
    return guarded([&] {
        out.clear();
        if (q.campaign_ids.empty()) return sdk::Status::invalid("id: at least one campaign id is required");
        const std::string table = eventTable(kind);
        // Unique counting keeps each subscriber's first event per campaign (anonymous events
        // group together as one); bounces are always counted as they are, each being a separate
        // delivery failure.
        const bool unique = q.unique && kind != sdk::AnalyticsKind::Bounces;
        const std::string events =
            unique ? "SELECT campaign_id, MIN(created_at) AS created_at FROM " + table + " WHERE " + periodFilter() +
                         " GROUP BY campaign_id, subscriber_id"
                   : "SELECT campaign_id, created_at FROM " + table + " WHERE " + periodFilter();
        auto lease = db_.reader();
        auto st = lease->prepare("SELECT campaign_id, COUNT(*), " + bucketSql(q.hourly) + " AS bucket FROM (" + events +
                                 ") GROUP BY campaign_id, bucket ORDER BY campaign_id, bucket");
        bindPeriod(st, q);
        while (st.step()) out.push_back({st.int64(0), st.int64(1), parseTimestamp(st.text(2))});
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::topLinks(const sdk::AnalyticsQuery& q, std::size_t limit,
                                        std::vector<sdk::LinkCount>& out) noexcept {
    return guarded([&] {
        out.clear();
        if (q.campaign_ids.empty()) return sdk::Status::invalid("id: at least one campaign id is required");
        const std::string counted = q.unique ? "COUNT(DISTINCT k.subscriber_id)" : "COUNT(*)";
        auto lease = db_.reader();
        auto st = lease->prepare("SELECT l.url, " + counted + " FROM link_clicks k JOIN links l ON l.id = k.link_id WHERE " +
                                 periodFilter("k") + " GROUP BY l.url ORDER BY 2 DESC, l.url LIMIT ?4");
        bindPeriod(st, q);
        st.bind(4, static_cast<std::int64_t>(limit));
        while (st.step()) out.push_back({st.text(0), st.int64(1)});
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::subscriberActivity(sdk::Id subscriber_id, std::vector<sdk::CampaignViewCount>& views,
                                                  std::vector<sdk::LinkClickCount>& clicks) noexcept {
    return guarded([&] {
        views.clear();
        clicks.clear();
        auto lease = db_.reader();
        Transaction tx(*lease, Transaction::Mode::Read);
        {
            auto v = lease->prepare(
                "SELECT c.id, c.uuid, c.name, c.subject, COUNT(*), MAX(v.created_at) AS last"
                " FROM campaign_views v JOIN campaigns c ON c.id = v.campaign_id WHERE v.subscriber_id = ?"
                " GROUP BY c.id ORDER BY last DESC");
            v.bindAll(subscriber_id);
            while (v.step())
                views.push_back({v.int64(0), v.text(1), v.text(2), v.text(3), v.int64(4), parseTimestamp(v.text(5))});
        }
        auto c = lease->prepare(
            "SELECT l.id, l.url, COALESCE(k.campaign_id, 0), COALESCE(MAX(c.name), ''), COUNT(*), MAX(k.created_at) AS last"
            " FROM link_clicks k JOIN links l ON l.id = k.link_id LEFT JOIN campaigns c ON c.id = k.campaign_id"
            " WHERE k.subscriber_id = ? GROUP BY l.id, k.campaign_id ORDER BY last DESC");
        c.bindAll(subscriber_id);
        while (c.step())
            clicks.push_back({c.int64(0), c.text(1), c.int64(2), c.text(3), c.int64(4), parseTimestamp(c.text(5))});
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
