// Tidings plugin SDK, version 1: link and view tracking, and campaign analytics (storage side).
//
// Reached through Storage::tracking(). The same rules as storage.hpp apply: every method is
// noexcept, thread safe, atomic, and reports failure with a Status. Tracking requests come from
// mail readers and their image proxies, so recording must never fail towards them for unknown
// or stale UUIDs: what cannot be attributed is recorded without the attribution, or not at all,
// and the caller still answers the reader normally.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "status.hpp"

namespace tidings::sdk::v1 {

/// Which events an analytics query counts.
enum class AnalyticsKind : std::uint8_t { Views = 0, Clicks = 1, Bounces = 2 };

/// The campaigns and period an analytics query covers.
struct AnalyticsQuery {
    std::vector<Id> campaign_ids;  ///< At least one.
    Timestamp from{};              ///< Inclusive.
    Timestamp to{};                ///< Inclusive.
    /// Count each subscriber once per campaign (in the bucket of their first event) instead of
    /// every event. Anonymous events (no subscriber) then count once in all.
    bool unique = false;
    /// Bucket by hour instead of by day.
    bool hourly = false;
};

/// One bucket of an analytics series.
struct AnalyticsPoint {
    Id campaign_id = 0;
    std::int64_t count = 0;
    Timestamp timestamp{};  ///< Start of the hour or day (UTC).
};

/// Clicks on one URL.
struct LinkCount {
    std::string url;
    std::int64_t count = 0;
};

/// A subscriber's views of one campaign (GDPR export, activity).
struct CampaignViewCount {
    Id campaign_id = 0;
    std::string campaign_uuid;
    std::string campaign_name;
    std::string subject;
    std::int64_t views = 0;
    Timestamp last_viewed_at{};
};

/// A subscriber's clicks on one link of one campaign.
struct LinkClickCount {
    Id link_id = 0;
    std::string url;
    Id campaign_id = 0;  ///< 0 when the campaign was deleted since.
    std::string campaign_name;
    std::int64_t clicks = 0;
    Timestamp last_clicked_at{};
};

/// Tracked links, clicks and views.
class TrackingStore {
public:
    /// The UUID of a tracked URL, registering it on first use. Every process gets the same UUID
    /// for the same URL. Invalid for an empty URL.
    virtual Status registerLink(std::string_view url, std::string& uuid) noexcept = 0;

    /// Records a click on the link with `link_uuid` and returns its URL. The campaign and the
    /// subscriber are attributed by UUID when they exist (an empty or unknown UUID records the
    /// click without that attribution). NotFound only when the link itself is unknown.
    virtual Status recordClick(std::string_view link_uuid, std::string_view campaign_uuid,
                               std::string_view subscriber_uuid, std::string& url) noexcept = 0;

    /// Records a view of the campaign with `campaign_uuid`, attributed to the subscriber when
    /// that UUID exists. `recorded` is false (and the Status ok) for an unknown campaign.
    virtual Status recordView(std::string_view campaign_uuid, std::string_view subscriber_uuid,
                              bool& recorded) noexcept = 0;

    /// Event counts per campaign and bucket, ordered by campaign then time. Buckets without
    /// events are left out.
    virtual Status analytics(AnalyticsKind kind, const AnalyticsQuery& q,
                             std::vector<AnalyticsPoint>& out) noexcept = 0;

    /// The most clicked URLs of the campaigns in the period, most clicked first.
    virtual Status topLinks(const AnalyticsQuery& q, std::size_t limit, std::vector<LinkCount>& out) noexcept = 0;

    /// A subscriber's views per campaign and clicks per link, most recent first.
    virtual Status subscriberActivity(Id subscriber_id, std::vector<CampaignViewCount>& views,
                                      std::vector<LinkClickCount>& clicks) noexcept = 0;

protected:
    ~TrackingStore() = default;
};

constexpr std::string_view toString(AnalyticsKind k) noexcept {
    switch (k) {
    case AnalyticsKind::Views: return "views";
    case AnalyticsKind::Clicks: return "clicks";
    case AnalyticsKind::Bounces: return "bounces";
    }
    return "views";
}

}  // namespace tidings::sdk::v1
