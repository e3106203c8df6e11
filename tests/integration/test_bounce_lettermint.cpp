// bounce-lettermint end to end: Lettermint's webhook bodies (shapes from its webhook
// documentation) signed as Lettermint signs them, `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
// with a key set through /api/settings, and forged, stale, replayed and malformed variants.
#include <catch2/catch.hpp>

#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "bounce_fixtures.hpp"

using namespace tidings::test;

namespace {

const std::string kKey = "whsec_lettermint-0123456789";

TidingsServer& server() {
    static TidingsServer instance(bouncePluginEnv());
    return instance;
}

void configure(const std::string& key = kKey) {
    enableBounces(server(), R"("bounce.lettermint": {"enabled": true, "key": ")" + key + R"("})");
}

std::string delivery(const std::string& email, const std::string& event, const std::string& campaign_header = "",
                     const std::string& campaign = "") {
    std::string metadata = R"({"list": "weekly")";
    if (!campaign_header.empty()) metadata += R"(, ")" + campaign_header + R"(": ")" + campaign + R"(")";
    metadata += "}";
    return R"({"id": ")" + unique("lm-") + R"(", "event": ")" + event + R"(",
 "timestamp": "2025-08-08T20:59:22.123Z",
 "data": {"message_id": "0198a3c2-9b1e-7f3a-8e4d-2c5b6a7d8e9f", "subject": "Weekly news",
          "recipient": ")" + email + R"(",
          "response": {"status_code": 550, "enhanced_status_code": "5.1.1",
                       "content": "550 5.1.1 The email account that you tried to reach does not exist."},
          "metadata": )" + metadata + R"(, "tag": "newsletter"}})";
}

std::string signatureFor(const std::string& body, std::int64_t t = unixNow(), const std::string& key = kKey) {
    return "t=" + std::to_string(t) + ",v1=" + hmacSha256Hex(key, std::to_string(t) + "." + body);
}

HttpResult send(const std::string& body, const std::string& signature) {
    return postWebhook(server(), "lettermint", body, {{"X-Lettermint-Signature", signature}});
}

HttpResult sendSigned(const std::string& body) { return send(body, signatureFor(body)); }

}  // namespace

TEST_CASE("lettermint: disabled provider answers 404 and records nothing", "[bounce][lettermint]") {
    enableBounces(server(), R"("bounce.lettermint": {"enabled": false, "key": ")" + kKey + R"("})");
    const std::string email = unique("lm-off-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    CHECK(sendSigned(delivery(email, "message.hard_bounced")).status == 404);
    CHECK(subscriberBounces(server(), id)->size() == 0);
}

TEST_CASE("lettermint: a signed hard bounce is recorded with its campaign and time, and blocklists",
          "[bounce][lettermint]") {
    configure();
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string email = unique("lm-hard-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);

    // listmonk's header name, as mail sent before a migration carries it.
    auto r = sendSigned(delivery(email, "message.hard_bounced", "X-Listmonk-Campaign", campaign_uuid));
    INFO(r.body);
    REQUIRE(r.status == 200);

    const auto bounces = subscriberBounces(server(), id);
    REQUIRE(bounces->size() == 1);
    const auto b = bounces->getObject(0);
    CHECK(b->getValue<std::string>("type") == "hard");
    CHECK(b->getValue<std::string>("source") == "lettermint");
    CHECK(b->getValue<std::string>("created_at").rfind("2025-08-08T20:59:22", 0) == 0);
    REQUIRE(b->getObject("campaign"));
    CHECK(b->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    CHECK(b->getObject("meta")->getObject("data")->getValue<std::string>("tag") == "newsletter");
    CHECK(subscriberStatus(server(), id) == "blocklisted");
}

TEST_CASE("lettermint: soft bounces and complaints are recorded, other events acknowledged", "[bounce][lettermint]") {
    configure();
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string email = unique("lm-types-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);

    CHECK(sendSigned(delivery(email, "message.soft_bounced", "x-tidings-campaign", campaign_uuid)).status == 200);
    CHECK(sendSigned(delivery(email, "message.spam_complaint")).status == 200);
    CHECK(sendSigned(delivery(email, "message.delivered")).status == 200);
    CHECK(sendSigned(R"({"id": "test-1", "event": "webhook.test", "timestamp": "2025-08-08T20:59:22Z", "data": {}})")
              .status == 200);

    const auto bounces = subscriberBounces(server(), id);
    REQUIRE(bounces->size() == 2);
    std::map<std::string, Poco::JSON::Object::Ptr> by_type;
    for (std::size_t i = 0; i < bounces->size(); ++i)
        by_type[bounces->getObject(i)->getValue<std::string>("type")] = bounces->getObject(i);
    REQUIRE(by_type.count("soft"));
    REQUIRE(by_type.count("complaint"));
    REQUIRE(by_type["soft"]->getObject("campaign"));
    CHECK(by_type["soft"]->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    CHECK_FALSE(by_type["complaint"]->getObject("campaign"));
}

TEST_CASE("lettermint: missing, forged, stale or unconfigured signatures, malformed and replayed bodies are refused",
          "[bounce][lettermint]") {
    configure();
    const std::string email = unique("lm-bad-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string good = delivery(email, "message.hard_bounced");
    const auto now = unixNow();

    CHECK(postWebhook(server(), "lettermint", good, {}).status == 401);
    CHECK(send(good, "").status == 401);
    CHECK(send(good, signatureFor(good, now, "another-key")).status == 401);
    CHECK(send(good + " ", signatureFor(good)).status == 401);                      // body changed after signing
    CHECK(send(good, "t=" + std::to_string(now + 1) + signatureFor(good, now).substr(signatureFor(good, now).find(',')))
              .status == 401);                                                      // timestamp changed
    CHECK(send(good, "v1=" + hmacSha256Hex(kKey, good)).status == 401);             // no timestamp
    CHECK(send(good, "t=" + std::to_string(now)).status == 401);                    // no digest
    CHECK(send(good, "t=" + std::to_string(now) + ",v1=not-hex").status == 401);
    CHECK(send(good, signatureFor(good, now - 3600)).status == 401);                // stale
    CHECK(send(good, signatureFor(good, now + 3600)).status == 401);                // from the future

    CHECK(sendSigned("{not json").status == 400);
    CHECK(sendSigned(R"([{"event": "message.hard_bounced"}])").status == 400);
    CHECK(sendSigned(R"({"id": "a", "data": {"recipient": ")" + email + R"("}})").status == 400);  // no event
    CHECK(sendSigned(delivery("", "message.hard_bounced")).status == 400);
    auto bad_time = delivery(email, "message.hard_bounced");
    bad_time.replace(bad_time.find("2025-08-08T20:59:22.123Z"), 24, "yesterday");
    CHECK(sendSigned(bad_time).status == 400);
    CHECK(subscriberBounces(server(), id)->size() == 0);

    // The same delivery twice, freshly signed each time: the second is a duplicate.
    const std::string soft = delivery(email, "message.soft_bounced");
    CHECK(sendSigned(soft).status == 200);
    const auto replay = send(soft, signatureFor(soft, unixNow() + 1));
    CHECK(replay.status == 401);
    CHECK_THAT(replay.message(), Catch::Contains("replayed"));
    CHECK(subscriberBounces(server(), id)->size() == 1);

    // An empty key must not open the endpoint to everyone.
    configure("");
    CHECK(send(good, signatureFor(good, unixNow(), "")).status == 401);
    CHECK(subscriberBounces(server(), id)->size() == 1);
}
