// bounce-forwardemail end to end: Forward Email's bounce webhook body (shape from its webhook
// documentation), signed with an HMAC key set through /api/settings, and forged, stale, replayed
// and malformed variants.
#include <catch2/catch.hpp>

#include "bounce_fixtures.hpp"

using namespace tidings::test;

namespace {

const std::string kKey = "fe-webhook-key-0123456789";

TidingsServer& server() {
    static TidingsServer instance(bouncePluginEnv());
    return instance;
}

void configure() { enableBounces(server(), R"("bounce.forwardemail": {"enabled": true, "key": ")" + kKey + R"("})"); }

std::string bounceBody(const std::string& email, const std::string& category, const std::string& campaign = "",
                       std::chrono::system_clock::time_point at = std::chrono::system_clock::now()) {
    return R"({"email_id": ")" + unique("fe-") + R"(", "list_id": "<weekly.bounce.test>",
 "list_unsubscribe": "<mailto:unsubscribe@bounce.test>", "feedback_id": "1:campaign:tidings",
 "recipient": ")" + email + R"(", "message": "Mailbox unavailable",
 "response": "550 5.1.1 The email account that you tried to reach does not exist.", "response_code": 550,
 "truth_source": "gmail.com",
 "headers": {"Subject": "Weekly news", "From": "news@bounce.test", "X-Tidings-Campaign": ")" + campaign + R"(",
             "X-Tidings-Subscriber": "00000000-0000-0000-0000-000000000000"},
 "bounce": {"action": "reject", "message": "User unknown", "category": ")" + category + R"(", "code": 550,
            "status": "5.1.1", "line": 512},
 "bounced_at": ")" + rfc3339(at) + R"("})";
}

HttpResult send(const std::string& body, const std::string& signature) {
    return postWebhook(server(), "forwardemail", body, {{"X-Webhook-Signature", signature}});
}

}  // namespace

TEST_CASE("forwardemail: a signed bounce is recorded with its campaign, and categories map", "[bounce][forwardemail]") {
    configure();
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string email = unique("fe-ok-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);

    const std::string soft = bounceBody(email, "network", campaign_uuid);
    auto r = send(soft, hmacSha256Hex(kKey, soft));
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto bounces = subscriberBounces(server(), id);
    REQUIRE(bounces->size() == 1);
    CHECK(bounces->getObject(0)->getValue<std::string>("type") == "soft");
    CHECK(bounces->getObject(0)->getValue<std::string>("source") == "forwardemail");
    REQUIRE(bounces->getObject(0)->getObject("campaign"));
    CHECK(bounces->getObject(0)->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    CHECK(subscriberStatus(server(), id) == "enabled");

    // Upper-case hex is the same signature.
    const std::string hard = bounceBody(email, "recipient");
    std::string upper = hmacSha256Hex(kKey, hard);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(send(hard, upper).status == 200);
    bounces = subscriberBounces(server(), id);
    REQUIRE(bounces->size() == 2);
    CHECK(subscriberStatus(server(), id) == "blocklisted");
}

TEST_CASE("forwardemail: unsigned, forged, stale, replayed and malformed bodies are refused",
          "[bounce][forwardemail]") {
    configure();
    const std::string email = unique("fe-bad-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string body = bounceBody(email, "block");

    CHECK(postWebhook(server(), "forwardemail", body, {}).status == 401);
    const auto forged = send(body, hmacSha256Hex("another-key", body));
    CHECK(forged.status == 401);
    CHECK_THAT(forged.message(), Catch::Contains("signature"));
    CHECK(send(body, "zz" + hmacSha256Hex(kKey, body).substr(2)).status == 401);
    CHECK(send(body, hmacSha256Hex(kKey, body).substr(0, 40)).status == 401);
    // A body changed after signing.
    std::string tampered = body;
    tampered.replace(tampered.find("block"), 5, "other");
    CHECK(send(tampered, hmacSha256Hex(kKey, body)).status == 401);

    const std::string old = bounceBody(email, "block", "", std::chrono::system_clock::now() - std::chrono::hours(24 * 5));
    const auto stale = send(old, hmacSha256Hex(kKey, old));
    CHECK(stale.status == 401);
    CHECK_THAT(stale.message(), Catch::Contains("window"));
    const std::string future = bounceBody(email, "block", "", std::chrono::system_clock::now() + std::chrono::hours(2));
    CHECK(send(future, hmacSha256Hex(kKey, future)).status == 401);

    for (const std::string& malformed :
         {std::string("{broken"), std::string(R"({"bounce": {"category": "block"}, "bounced_at": "2024-01-01T00:00:00Z"})"),
          std::string(R"({"recipient": "x@bounce.test", "bounced_at": "2024-01-01T00:00:00Z"})"),
          std::string(R"({"recipient": "x@bounce.test", "bounce": {"category": "block"}})"),
          std::string(R"({"recipient": "x@bounce.test", "bounce": {}, "bounced_at": "last tuesday"})")}) {
        INFO(malformed);
        CHECK(send(malformed, hmacSha256Hex(kKey, malformed)).status == 400);
    }
    CHECK(subscriberBounces(server(), id)->size() == 0);

    CHECK(send(body, hmacSha256Hex(kKey, body)).status == 200);
    const auto replay = send(body, hmacSha256Hex(kKey, body));
    CHECK(replay.status == 401);
    CHECK_THAT(replay.message(), Catch::Contains("replayed"));
    CHECK(subscriberBounces(server(), id)->size() == 1);

    // Disabled: the route answers as if it did not exist.
    enableBounces(server(), R"("bounce.forwardemail": {"enabled": false, "key": ")" + kKey + R"("})");
    const std::string later = bounceBody(email, "block");
    CHECK(send(later, hmacSha256Hex(kKey, later)).status == 404);
    // Enabled without a key: nothing can be verified, so nothing is accepted.
    enableBounces(server(), R"("bounce.forwardemail": {"enabled": true, "key": ""})");
    CHECK(send(later, hmacSha256Hex("", later)).status == 401);
    CHECK(subscriberBounces(server(), id)->size() == 1);
}
