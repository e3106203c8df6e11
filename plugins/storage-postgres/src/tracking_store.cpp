#include "tracking_store.hpp"

#include "campaign_rows.hpp"
#include "errors.hpp"
#include "rows.hpp"

namespace tidings::storage_pg {
namespace {

// The events table, its time column and the campaign filter of an analytics kind.
const char* eventTable(sdk::AnalyticsKind kind) {
    switch (kind) {
    case sdk::AnalyticsKind::Views: return "campaign_views";
    case sdk::AnalyticsKind::Clicks: return "link_clicks";
    case sdk::AnalyticsKind::Bounces: return "bounces";
    }
    return "campaign_views";
}

// `alias` qualifies the columns where the events table is joined.
std::string periodFilter(const sdk::AnalyticsQuery& q, Params& p, const std::string& alias = "") {
    const std::string a = alias.empty() ? "" : alias + ".";
    return a + "campaign_id = ANY(" + p.add(bigintArray(q.campaign_ids)) + "::int8[]) AND " + a + "created_at >= " +
           fromMicros(p.add(micros(q.from))) + " AND " + a + "created_at <= " + fromMicros(p.add(micros(q.to)));
}

}  // namespace

sdk::Status TrackingStoreImpl::registerLink(std::string_view url, std::string& uuid) noexcept {
    return guarded([&] {
        if (url.empty()) return sdk::Status::invalid("url: required");
        auto lease = db_.lease();
        Params p;
        p.add(url);
        // The no-op update makes RETURNING yield the existing row on a conflict, so one round
        // trip serves both the first and every later registration.
        Result r = lease->execPrepared(
            "link_register",
            "INSERT INTO links (url) VALUES ($1) ON CONFLICT (url) DO UPDATE SET url = EXCLUDED.url"
            " RETURNING uuid::text",
            p);
        uuid = r.str(0, 0);
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::recordClick(std::string_view link_uuid, std::string_view campaign_uuid,
                                           std::string_view subscriber_uuid, std::string& url) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(uuidParam(link_uuid));
        p.add(uuidParam(campaign_uuid));
        p.add(uuidParam(subscriber_uuid));
        Result r = lease->execPrepared(
            "link_click",
            "WITH l AS (SELECT id, url FROM links WHERE uuid = $1::uuid),"
            " ins AS (INSERT INTO link_clicks (campaign_id, link_id, subscriber_id)"
            "  SELECT (SELECT id FROM campaigns WHERE uuid = $2::uuid), l.id,"
            "  (SELECT id FROM subscribers WHERE uuid = $3::uuid) FROM l RETURNING 1)"
            " SELECT url, (SELECT COUNT(*) FROM ins) FROM l",
            p);
        if (r.rows() == 0) return sdk::Status::notFound("link: not found");
        url = r.str(0, 0);
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::recordView(std::string_view campaign_uuid, std::string_view subscriber_uuid,
                                          bool& recorded) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(uuidParam(campaign_uuid));
        p.add(uuidParam(subscriber_uuid));
        Result r = lease->execPrepared(
            "campaign_view",
            "INSERT INTO campaign_views (campaign_id, subscriber_id)"
            " SELECT c.id, (SELECT id FROM subscribers WHERE uuid = $2::uuid) FROM campaigns c WHERE c.uuid = $1::uuid",
            p);
        recorded = r.affected() == 1;
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::analytics(sdk::AnalyticsKind kind, const sdk::AnalyticsQuery& q,
                                         std::vector<sdk::AnalyticsPoint>& out) noexcept {
    return guarded([&] {
        out.clear();
        if (q.campaign_ids.empty()) return sdk::Status::invalid("id: at least one campaign id is required");
        Params p;
        const std::string unit = q.hourly ? "'hour'" : "'day'";
        const std::string where = periodFilter(q, p);
        const std::string table = eventTable(kind);
        // Unique counting keeps each subscriber's first event per campaign (bounces are always
        // counted as they are: each is a separate delivery failure).
        const bool unique = q.unique && kind != sdk::AnalyticsKind::Bounces;
        const std::string events =
            unique ? "SELECT DISTINCT ON (campaign_id, subscriber_id) campaign_id, created_at FROM " + table +
                         " WHERE " + where + " ORDER BY campaign_id, subscriber_id, created_at"
                   : "SELECT campaign_id, created_at FROM " + table + " WHERE " + where;
        auto lease = db_.lease();
        Result r = lease->exec("SELECT campaign_id, COUNT(*), " + us("date_trunc(" + unit + ", created_at, 'UTC')") +
                                   " FROM (" + events + ") e GROUP BY 1, 3 ORDER BY 1, 3",
                               p);
        for (int i = 0; i < r.rows(); ++i) out.push_back({r.int64(i, 0), r.int64(i, 1), r.timestamp(i, 2)});
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::topLinks(const sdk::AnalyticsQuery& q, std::size_t limit,
                                        std::vector<sdk::LinkCount>& out) noexcept {
    return guarded([&] {
        out.clear();
        if (q.campaign_ids.empty()) return sdk::Status::invalid("id: at least one campaign id is required");
        Params p;
        const std::string where = periodFilter(q, p, "c");
        const std::string counted = q.unique ? "COUNT(DISTINCT c.subscriber_id)" : "COUNT(*)";
        auto lease = db_.lease();
        Result r = lease->exec("SELECT l.url, " + counted + " FROM link_clicks c JOIN links l ON l.id = c.link_id WHERE " +
                                   where + " GROUP BY l.url ORDER BY 2 DESC, l.url LIMIT " + p.add(static_cast<std::int64_t>(limit)) +
                                   "::int8",
                               p);
        for (int i = 0; i < r.rows(); ++i) out.push_back({r.str(i, 0), r.int64(i, 1)});
        return sdk::Status{};
    });
}

sdk::Status TrackingStoreImpl::subscriberActivity(sdk::Id subscriber_id, std::vector<sdk::CampaignViewCount>& views,
                                                  std::vector<sdk::LinkClickCount>& clicks) noexcept {
    return guarded([&] {
        views.clear();
        clicks.clear();
        auto lease = db_.lease();
        Params p;
        p.add(subscriber_id);
        Result v = lease->execPrepared(
            "subscriber_views",
            "SELECT c.id, c.uuid::text, c.name, c.subject, COUNT(*), " + us("MAX(v.created_at)") +
                " FROM campaign_views v JOIN campaigns c ON c.id = v.campaign_id WHERE v.subscriber_id = $1::int8"
                " GROUP BY c.id ORDER BY MAX(v.created_at) DESC",
            p);
        for (int i = 0; i < v.rows(); ++i)
            views.push_back({v.int64(i, 0), v.str(i, 1), v.str(i, 2), v.str(i, 3), v.int64(i, 4), v.timestamp(i, 5)});
        Result c = lease->execPrepared(
            "subscriber_clicks",
            "SELECT l.id, l.url, COALESCE(k.campaign_id, 0), COALESCE(MAX(c.name), ''), COUNT(*), " +
                us("MAX(k.created_at)") +
                " FROM link_clicks k JOIN links l ON l.id = k.link_id LEFT JOIN campaigns c ON c.id = k.campaign_id"
                " WHERE k.subscriber_id = $1::int8 GROUP BY l.id, k.campaign_id ORDER BY MAX(k.created_at) DESC",
            p);
        for (int i = 0; i < c.rows(); ++i)
            clicks.push_back({c.int64(i, 0), c.str(i, 1), c.int64(i, 2), c.str(i, 3), c.int64(i, 4), c.timestamp(i, 5)});
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
