// bounce-postmark end to end: Postmark's bounce and spam-complaint webhook bodies (shapes from
// Postmark's webhook documentation) posted to the real server with HTTP Basic credentials, and
// every way a request can be refused.
#include <catch2/catch.hpp>

#include <atomic>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "bounce_fixtures.hpp"

using namespace tidings::test;

namespace {

TidingsServer& server() {
    static TidingsServer instance(bouncePluginEnv());
    return instance;
}

std::string nextId() {
    static std::atomic<std::int64_t> id{4323372036854775000};
    return std::to_string(++id);
}

std::string bounceRecord(const std::string& email, const std::string& type, const std::string& campaign = "",
                         const std::string& record_type = "Bounce") {
    return R"({"RecordType": ")" + record_type + R"(", "MessageStream": "outbound", "ID": )" + nextId() +
           R"(, "Type": ")" + type + R"(", "TypeCode": 1, "Name": "Hard bounce", "Tag": "newsletter",
 "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
 "Metadata": {"X-Tidings-Campaign": ")" + campaign + R"(", "list": "weekly"},
 "ServerID": 23, "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
 "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
 "Email": ")" + email + R"(", "From": "news@bounce.test", "BouncedAt": "2019-11-05T16:33:54.9070259Z",
 "DumpAvailable": true, "Inactive": true, "CanActivate": true, "Subject": "Weekly news", "Content": "<dump>"})";
}

const std::vector<std::pair<std::string, std::string>> kGoodAuth = {
    {"Authorization", "Basic " + base64("postmark-hook:s3cret-pm")}};

void configure() {
    enableBounces(server(), R"("bounce.postmark": {"enabled": true, "username": "postmark-hook", "password": "s3cret-pm"})");
}

}  // namespace

TEST_CASE("postmark: disabled provider answers 404 and records nothing", "[bounce][postmark]") {
    enableBounces(server(), R"("bounce.postmark": {"enabled": false, "username": "postmark-hook", "password": "s3cret-pm"})");
    const std::string email = unique("pm-off-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    auto r = postWebhook(server(), "postmark", bounceRecord(email, "HardBounce"), kGoodAuth);
    CHECK(r.status == 404);
    CHECK(subscriberBounces(server(), id)->size() == 0);
}

TEST_CASE("postmark: a hard bounce is recorded with its campaign and time, and blocklists", "[bounce][postmark]") {
    configure();
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string email = unique("pm-hard-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);

    auto r = postWebhook(server(), "postmark", bounceRecord(email, "HardBounce", campaign_uuid), kGoodAuth);
    INFO(r.body);
    REQUIRE(r.status == 200);

    const auto bounces = subscriberBounces(server(), id);
    REQUIRE(bounces->size() == 1);
    const auto b = bounces->getObject(0);
    CHECK(b->getValue<std::string>("type") == "hard");
    CHECK(b->getValue<std::string>("source") == "postmark");
    CHECK(b->getValue<std::string>("created_at").rfind("2019-11-05T16:33:54", 0) == 0);
    REQUIRE(b->getObject("campaign"));
    CHECK(b->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    CHECK(b->getObject("meta")->getValue<std::string>("Tag") == "newsletter");
    // listmonk's default action for one hard bounce.
    CHECK(subscriberStatus(server(), id) == "blocklisted");
}

TEST_CASE("postmark: types map to soft, hard and complaint, and non-bounces are acknowledged", "[bounce][postmark]") {
    configure();
    const std::string email = unique("pm-types-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);

    CHECK(postWebhook(server(), "postmark", bounceRecord(email, "SoftBounce"), kGoodAuth).status == 200);
    CHECK(postWebhook(server(), "postmark", bounceRecord(email, "DnsError"), kGoodAuth).status == 200);
    // An auto-responder is not a delivery failure; a Delivery record is not a bounce at all.
    CHECK(postWebhook(server(), "postmark", bounceRecord(email, "AutoResponder"), kGoodAuth).status == 200);
    CHECK(postWebhook(server(), "postmark", bounceRecord(email, "Delivered", "", "Delivery"), kGoodAuth).status == 200);
    CHECK(postWebhook(server(), "postmark", bounceRecord(email, "SpamComplaint", "", "SpamComplaint"), kGoodAuth).status ==
          200);

    const auto bounces = subscriberBounces(server(), id);
    REQUIRE(bounces->size() == 3);
    std::map<std::string, int> by_type;
    for (std::size_t i = 0; i < bounces->size(); ++i) ++by_type[bounces->getObject(i)->getValue<std::string>("type")];
    CHECK(by_type["soft"] == 2);
    CHECK(by_type["complaint"] == 1);
}

TEST_CASE("postmark: missing, wrong or unconfigured credentials, malformed and replayed bodies are refused",
          "[bounce][postmark]") {
    configure();
    const std::string email = unique("pm-bad-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string good = bounceRecord(email, "HardBounce");

    CHECK(postWebhook(server(), "postmark", good, {}).status == 401);
    CHECK(postWebhook(server(), "postmark", good, {{"Authorization", "Basic " + base64("postmark-hook:guess")}}).status ==
          401);
    CHECK(postWebhook(server(), "postmark", good, {{"Authorization", "Basic " + base64("someone:s3cret-pm")}}).status ==
          401);
    CHECK(postWebhook(server(), "postmark", good, {{"Authorization", "Basic not-base64!"}}).status == 401);
    CHECK(postWebhook(server(), "postmark", good, {{"Authorization", "Bearer s3cret-pm"}}).status == 401);

    CHECK(postWebhook(server(), "postmark", "{not json", kGoodAuth).status == 400);
    CHECK(postWebhook(server(), "postmark", R"([{"RecordType": "Bounce"}])", kGoodAuth).status == 400);
    CHECK(postWebhook(server(), "postmark", bounceRecord(email, "NoSuchType"), kGoodAuth).status == 400);
    CHECK(postWebhook(server(), "postmark", bounceRecord("", "HardBounce"), kGoodAuth).status == 400);
    auto bad_time = bounceRecord(email, "HardBounce");
    bad_time.replace(bad_time.find("2019-11-05T16:33:54.9070259Z"), 28, "yesterday");
    CHECK(postWebhook(server(), "postmark", bad_time, kGoodAuth).status == 400);
    CHECK(subscriberBounces(server(), id)->size() == 0);

    // The same record twice: the second is a replay.
    const std::string soft = bounceRecord(email, "SoftBounce");
    CHECK(postWebhook(server(), "postmark", soft, kGoodAuth).status == 200);
    const auto replay = postWebhook(server(), "postmark", soft, kGoodAuth);
    CHECK(replay.status == 401);
    CHECK_THAT(replay.message(), Catch::Contains("replayed"));
    CHECK(subscriberBounces(server(), id)->size() == 1);

    // Credentials left empty must not open the endpoint to everyone.
    enableBounces(server(), R"("bounce.postmark": {"enabled": true, "username": "", "password": ""})");
    CHECK(postWebhook(server(), "postmark", bounceRecord(email, "HardBounce"), {}).status == 401);
    CHECK(postWebhook(server(), "postmark", bounceRecord(email, "HardBounce"),
                      {{"Authorization", "Basic " + base64(":")}}).status == 401);
    CHECK(subscriberBounces(server(), id)->size() == 1);
}
