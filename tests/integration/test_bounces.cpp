// Bounce records through the kernel's own routes: listmonk's generic POST /webhooks/bounce, the
// admin API (/api/bounces, /api/subscribers/:id/bounces, blocklisting) and the bounce actions
// of `bounce.actions` at their thresholds.
#include <cctype>

#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "bounce_fixtures.hpp"

using namespace tidings::test;

namespace {

TidingsServer& server() {
    static TidingsServer instance;
    return instance;
}

HttpResult bounce(const std::string& body) { return server().post("/webhooks/bounce", body, server().admin()); }

std::string payload(const std::string& email, const std::string& type, const std::string& extra = "",
                    const std::string& source = "api-test") {
    return R"({"email": ")" + email + R"(", "type": ")" + type + R"(", "source": ")" + source + R"(")" +
           (extra.empty() ? "" : ", " + extra) + "}";
}

void setActions(const std::string& actions) {
    enableBounces(server(), R"("bounce.actions": )" + actions);
}

std::int64_t makeList() {
    auto r = server().post("/api/lists", R"({"name": ")" + unique("bounce-list-") + R"(", "type": "private", "optin": "single"})",
                           server().admin());
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

std::int64_t makeListSubscriber(const std::string& email, std::int64_t list) {
    auto r = server().post("/api/subscribers",
                           R"({"email": ")" + email + R"(", "name": "Listed", "status": "enabled", "preconfirm_subscriptions": true, "lists": [)" +
                               std::to_string(list) + "]}",
                           server().admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

std::string subscriptionStatus(std::int64_t subscriber, std::int64_t list) {
    return server().sql("SELECT status FROM subscriber_lists WHERE subscriber_id = " + std::to_string(subscriber) +
                        " AND list_id = " + std::to_string(list));
}

}  // namespace

TEST_CASE("generic webhook: switches, authentication and validation", "[bounce][webhook]") {
    const std::string email = unique("gen-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);

    // Webhooks off (the default): the route is not there.
    CHECK(bounce(payload(email, "soft")).status == 404);
    // Webhooks on but bounce processing off: 503, as listmonk answers.
    REQUIRE(server().put("/api/settings", R"({"bounce.enabled": false, "bounce.webhooks_enabled": true})", server().admin())
                .status == 200);
    CHECK(bounce(payload(email, "soft")).status == 503);
    enableBounces(server());

    CHECK(server().post("/webhooks/bounce", payload(email, "soft"), Credentials::none()).status == 401);
    CHECK(server().post("/webhooks/bounce", payload(email, "soft"), Credentials::basic("admin", "wrong")).status == 401);
    for (const std::string& bad : {payload(email, "bouncy"), payload(email, ""), std::string(R"({"type": "soft"})"),
                                   std::string("{nope"), payload("not-an-address", "soft"),
                                   payload(email, "soft", R"("created_at": "tomorrow")")}) {
        INFO(bad);
        auto r = bounce(bad);
        CHECK(r.status == 400);
        CHECK_FALSE(r.message().empty());
    }
    CHECK(subscriberBounces(server(), id)->size() == 0);
    // An unknown address is accepted and ignored, as listmonk does.
    const std::string nobody_source = unique("nobody-");
    CHECK(bounce(payload(unique("nobody-") + "@bounce.test", "soft", "", nobody_source)).status == 200);
    CHECK(bounceTotal(server(), "source=" + nobody_source) == 0);
}

TEST_CASE("generic webhook: a malformed subscriber_uuid or campaign_uuid is a 400 naming the field", "[bounce][webhook]") {
    enableBounces(server());
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string email = unique("gen-uuid-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string uuid =
        server().get("/api/subscribers/" + std::to_string(id), server().admin()).data()->getValue<std::string>("uuid");

    struct Case {
        std::string body;
        std::string field;
    };
    for (const auto& c : std::vector<Case>{
             {R"({"subscriber_uuid": "not-a-uuid", "type": "soft"})", "subscriber_uuid"},
             {R"({"subscriber_uuid": ")" + uuid + R"(0", "type": "soft"})", "subscriber_uuid"},
             {R"({"subscriber_uuid": ")" + uuid.substr(0, 35) + R"(g", "type": "soft"})", "subscriber_uuid"},
             {payload(email, "soft", R"("campaign_uuid": "campaign-1")"), "campaign_uuid"},
             {R"({"subscriber_uuid": ")" + uuid + R"(", "campaign_uuid": ")" + campaign_uuid +
                  R"(-", "type": "hard"})", "campaign_uuid"},
         }) {
        INFO(c.body);
        auto r = bounce(c.body);
        CHECK(r.status == 400);
        CHECK_THAT(r.message(), Catch::Contains(c.field));
    }
    CHECK(subscriberBounces(server(), id)->size() == 0);
    CHECK(subscriberStatus(server(), id) == "enabled");

    // The same UUIDs well formed, in capitals as some systems write them, are recorded.
    std::string upper_campaign = campaign_uuid;
    for (auto& ch : upper_campaign) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    auto ok = bounce(R"({"subscriber_uuid": ")" + uuid + R"(", "campaign_uuid": ")" + upper_campaign +
                     R"(", "type": "soft"})");
    INFO(ok.body);
    CHECK(ok.status == 200);
    const auto list = subscriberBounces(server(), id);
    REQUIRE(list->size() == 1);
    REQUIRE(list->getObject(0)->getObject("campaign"));
    CHECK(list->getObject(0)->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
}

TEST_CASE("generic webhook: records by e-mail or subscriber UUID, with campaign, meta and time", "[bounce][webhook]") {
    enableBounces(server());
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string email = unique("Gen-Rec-") + "@Bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string uuid =
        server().get("/api/subscribers/" + std::to_string(id), server().admin()).data()->getValue<std::string>("uuid");

    auto r = bounce(payload(email, "soft",
                            R"("campaign_uuid": ")" + campaign_uuid +
                                R"(", "meta": {"diagnostic": "452 mailbox full"}, "created_at": "2024-02-03T04:05:06Z")"));
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(bounce(R"({"subscriber_uuid": ")" + uuid + R"(", "type": "complaint", "source": "helpdesk"})").status == 200);

    const auto list = subscriberBounces(server(), id);
    REQUIRE(list->size() == 2);
    Poco::JSON::Object::Ptr soft, complaint;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto b = list->getObject(i);
        (b->getValue<std::string>("type") == "soft" ? soft : complaint) = b;
    }
    REQUIRE(soft);
    REQUIRE(complaint);
    CHECK(soft->getValue<std::string>("source") == "api-test");
    CHECK(soft->getValue<std::string>("created_at").rfind("2024-02-03T04:05:06", 0) == 0);
    CHECK(soft->getObject("meta")->getValue<std::string>("diagnostic") == "452 mailbox full");
    REQUIRE(soft->getObject("campaign"));
    CHECK(soft->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    CHECK(soft->getValue<std::int64_t>("subscriber_id") == id);
    CHECK(complaint->getValue<std::string>("source") == "helpdesk");
    CHECK(complaint->isNull("campaign"));
}

TEST_CASE("admin API: list, filter, read and delete bounces, and blocklist the bounced", "[bounce][api]") {
    setActions(R"({"soft": {"count": 100, "action": "none"}, "hard": {"count": 100, "action": "none"},)"
               R"( "complaint": {"count": 100, "action": "none"}})");
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string a = unique("api-a-") + "@bounce.test";
    const std::string b = unique("api-b-") + "@bounce.test";
    const std::string clean = unique("api-clean-") + "@bounce.test";
    const auto a_id = makeSubscriber(server(), a);
    const auto b_id = makeSubscriber(server(), b);
    const auto clean_id = makeSubscriber(server(), clean);
    // A source of its own keeps the counts independent of other tests sharing the server.
    const std::string src = unique("admin-");
    const std::string only = "source=" + src;
    REQUIRE(bounce(payload(a, "soft", R"("campaign_uuid": ")" + campaign_uuid + R"(")", src)).status == 200);
    REQUIRE(bounce(payload(a, "hard", "", src)).status == 200);
    REQUIRE(bounce(payload(b, "complaint", "", src)).status == 200);

    CHECK(bounceTotal(server(), only) == 3);
    CHECK(bounceTotal(server(), only + "&type=soft") == 1);
    CHECK(bounceTotal(server(), only + "&type=complaint") == 1);
    CHECK(bounceTotal(server(), "campaign_id=" + std::to_string(campaign_id)) == 1);
    CHECK(server().get("/api/bounces?type=weird", server().admin()).status == 400);
    CHECK(server().get("/api/bounces?order_by=password", server().admin()).status == 400);
    CHECK(server().get("/api/bounces", Credentials::none()).status == 401);

    auto page = server().get("/api/bounces?per_page=2&page=1&order_by=email&order=asc&" + only, server().admin());
    REQUIRE(page.status == 200);
    CHECK(page.data()->getArray("results")->size() == 2);
    CHECK(page.data()->getValue<std::int64_t>("total") == 3);

    const auto a_bounces = subscriberBounces(server(), a_id);
    REQUIRE(a_bounces->size() == 2);
    const auto first_id = a_bounces->getObject(0)->getValue<std::int64_t>("id");
    auto one = server().get("/api/bounces/" + std::to_string(first_id), server().admin());
    REQUIRE(one.status == 200);
    CHECK(one.data()->getValue<std::string>("email") == a);
    CHECK(server().get("/api/bounces/999999999", server().admin()).status == 404);

    // Blocklisting everyone who bounced leaves the others alone.
    REQUIRE(server().put("/api/bounces/blocklist", "", server().admin()).status == 200);
    CHECK(subscriberStatus(server(), a_id) == "blocklisted");
    CHECK(subscriberStatus(server(), b_id) == "blocklisted");
    CHECK(subscriberStatus(server(), clean_id) == "enabled");

    CHECK(server().del("/api/bounces/" + std::to_string(first_id), server().admin()).status == 200);
    CHECK(server().del("/api/bounces/" + std::to_string(first_id), server().admin()).status == 404);
    CHECK(subscriberBounces(server(), a_id)->size() == 1);
    CHECK(server().del("/api/bounces", server().admin()).status == 400);

    REQUIRE(server().del("/api/subscribers/" + std::to_string(a_id) + "/bounces", server().admin()).status == 200);
    CHECK(subscriberBounces(server(), a_id)->size() == 0);
    CHECK(bounceTotal(server(), only) == 1);

    REQUIRE(bounce(payload(b, "soft", "", src)).status == 200);
    const auto b_bounces = subscriberBounces(server(), b_id);
    REQUIRE(b_bounces->size() == 2);
    const std::string ids = "id=" + std::to_string(b_bounces->getObject(0)->getValue<std::int64_t>("id")) +
                            "&id=" + std::to_string(b_bounces->getObject(1)->getValue<std::int64_t>("id"));
    REQUIRE(server().del("/api/bounces?" + ids, server().admin()).status == 200);
    CHECK(bounceTotal(server(), only) == 0);

    REQUIRE(bounce(payload(b, "soft")).status == 200);
    REQUIRE(server().del("/api/bounces?all=true", server().admin()).status == 200);
    CHECK(bounceTotal(server()) == 0);
}

TEST_CASE("bounce actions happen exactly at their thresholds", "[bounce][actions]") {
    setActions(R"({"soft": {"count": 3, "action": "unsubscribe"}, "hard": {"count": 2, "action": "delete"},)"
               R"( "complaint": {"count": 1, "action": "blocklist"}})");
    const auto list = makeList();

    SECTION("soft: unsubscribe from every list at the third") {
        const std::string email = unique("act-soft-") + "@bounce.test";
        const auto id = makeListSubscriber(email, list);
        REQUIRE(subscriptionStatus(id, list) == "confirmed");
        REQUIRE(bounce(payload(email, "soft")).status == 200);
        REQUIRE(bounce(payload(email, "soft")).status == 200);
        CHECK(subscriptionStatus(id, list) == "confirmed");
        REQUIRE(bounce(payload(email, "soft")).status == 200);
        CHECK(subscriptionStatus(id, list) == "unsubscribed");
        CHECK(subscriberStatus(server(), id) == "enabled");
    }
    SECTION("hard: delete the subscriber at the second") {
        const std::string email = unique("act-hard-") + "@bounce.test";
        const auto id = makeListSubscriber(email, list);
        REQUIRE(bounce(payload(email, "hard")).status == 200);
        CHECK(subscriberStatus(server(), id) == "enabled");
        REQUIRE(bounce(payload(email, "hard")).status == 200);
        CHECK(subscriberStatus(server(), id) == "");
    }
    SECTION("complaint: blocklist at the first") {
        const std::string email = unique("act-spam-") + "@bounce.test";
        const auto id = makeListSubscriber(email, list);
        REQUIRE(bounce(payload(email, "complaint")).status == 200);
        CHECK(subscriberStatus(server(), id) == "blocklisted");
        CHECK(subscriptionStatus(id, list) == "unsubscribed");
    }
    SECTION("none: the bounce is recorded and nothing else happens") {
        setActions(R"({"soft": {"count": 1, "action": "none"}, "hard": {"count": 1, "action": "none"},)"
                   R"( "complaint": {"count": 1, "action": "none"}})");
        const std::string email = unique("act-none-") + "@bounce.test";
        const auto id = makeListSubscriber(email, list);
        for (const char* type : {"soft", "hard", "complaint"}) REQUIRE(bounce(payload(email, type)).status == 200);
        CHECK(subscriberStatus(server(), id) == "enabled");
        CHECK(subscriptionStatus(id, list) == "confirmed");
        CHECK(subscriberBounces(server(), id)->size() == 3);
    }
}
