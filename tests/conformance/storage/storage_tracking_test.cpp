// Store-independent conformance tests for sdk::TrackingStore (see storage_harness.hpp): link
// registration, clicks and views with and without attribution, analytics and activity.
#include "conformance_support.hpp"

#include <tidings/sdk/v1/campaign.hpp>
#include <tidings/sdk/v1/tracking.hpp>

using namespace tidings::conformance;

namespace {

sdk::Campaign makeTrackedCampaign(sdk::Storage& s, sdk::Id list) {
    sdk::CampaignDraft d;
    d.name = "Tracked";
    d.subject = "Subject line";
    d.from_email = "a@b.c";
    d.list_ids = {list};
    sdk::Campaign c;
    REQUIRE_OK(s.campaigns().create(d, c));
    return c;
}

}  // namespace

TEST_CASE_METHOD(StoreFixture, "tracking: links, clicks, views, analytics and activity", "[tracking]") {
    const auto list = makeList(store, "L");
    const auto ada = makeSub(store, "ada@x.org", {list.id});
    const auto bob = makeSub(store, "bob@x.org", {list.id});
    const auto c = makeTrackedCampaign(store, list.id);

    std::string a1, a2, b;
    REQUIRE_OK(store.tracking().registerLink("https://example.com/a", a1));
    REQUIRE_OK(store.tracking().registerLink("https://example.com/a", a2));
    REQUIRE_OK(store.tracking().registerLink("https://example.com/b", b));
    CHECK(a1.size() == 36);
    CHECK(a1 == a2);
    CHECK(a1 != b);
    CHECK(store.tracking().registerLink("", a2).code() == StatusCode::Invalid);

    std::string url;
    REQUIRE_OK(store.tracking().recordClick(a1, c.uuid, ada.uuid, url));
    CHECK(url == "https://example.com/a");
    REQUIRE_OK(store.tracking().recordClick(a1, c.uuid, ada.uuid, url));
    REQUIRE_OK(store.tracking().recordClick(a1, c.uuid, "", url));          // anonymous
    REQUIRE_OK(store.tracking().recordClick(b, c.uuid, "garbage", url));    // unknown subscriber: anonymous
    REQUIRE_OK(store.tracking().recordClick(b, "garbage", bob.uuid, url));  // unknown campaign: unattributed
    CHECK(store.tracking().recordClick("00000000-0000-0000-0000-000000000000", c.uuid, ada.uuid, url).code() ==
          StatusCode::NotFound);
    CHECK(store.tracking().recordClick("not-a-uuid", c.uuid, ada.uuid, url).code() == StatusCode::NotFound);

    bool recorded = false;
    REQUIRE_OK(store.tracking().recordView(c.uuid, ada.uuid, recorded));
    CHECK(recorded);
    REQUIRE_OK(store.tracking().recordView(c.uuid, ada.uuid, recorded));
    REQUIRE_OK(store.tracking().recordView(c.uuid, bob.uuid, recorded));
    REQUIRE_OK(store.tracking().recordView("not-a-uuid", ada.uuid, recorded));
    CHECK_FALSE(recorded);

    sdk::Campaign counted;
    REQUIRE_OK(store.campaigns().get(c.id, counted));
    CHECK(counted.views == 3);
    CHECK(counted.clicks == 4);

    sdk::AnalyticsQuery q;
    q.campaign_ids = {c.id};
    q.from = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now() - std::chrono::hours(1));
    q.to = q.from + std::chrono::hours(2);
    q.hourly = true;
    std::vector<sdk::AnalyticsPoint> points;
    REQUIRE_OK(store.tracking().analytics(sdk::AnalyticsKind::Views, q, points));
    std::int64_t total = 0;
    for (const auto& p : points) total += p.count;
    CHECK(total == 3);
    q.unique = true;
    REQUIRE_OK(store.tracking().analytics(sdk::AnalyticsKind::Views, q, points));
    total = 0;
    for (const auto& p : points) {
        CHECK(p.campaign_id == c.id);
        total += p.count;
    }
    CHECK(total == 2);
    q.unique = false;
    std::vector<sdk::LinkCount> top;
    REQUIRE_OK(store.tracking().topLinks(q, 10, top));
    REQUIRE(top.size() == 2);
    CHECK(top[0].url == "https://example.com/a");
    CHECK(top[0].count == 3);
    CHECK(top[1].count == 1);
    q.from = q.to;  // an empty period
    REQUIRE_OK(store.tracking().analytics(sdk::AnalyticsKind::Clicks, q, points));
    CHECK(points.empty());

    std::vector<sdk::CampaignViewCount> views;
    std::vector<sdk::LinkClickCount> clicks;
    REQUIRE_OK(store.tracking().subscriberActivity(ada.id, views, clicks));
    REQUIRE(views.size() == 1);
    CHECK(views[0].views == 2);
    CHECK(views[0].subject == "Subject line");
    REQUIRE(clicks.size() == 1);
    CHECK(clicks[0].url == "https://example.com/a");
    CHECK(clicks[0].clicks == 2);
    CHECK(clicks[0].campaign_id == c.id);
}
