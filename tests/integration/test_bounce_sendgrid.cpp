// bounce-sendgrid end to end: SendGrid Event Webhook arrays (event shapes from SendGrid's event
// reference) signed with an ECDSA P-256 key generated here, whose public half is set as
// bounce.sendgrid_key, and forged, stale, replayed and malformed variants.
#include <catch2/catch.hpp>

#include "bounce_fixtures.hpp"

using namespace tidings::test;

namespace {

TidingsServer& server() {
    static TidingsServer instance(bouncePluginEnv());
    return instance;
}

const EcSigner& signer() {
    static const EcSigner key;
    return key;
}

void configure() {
    enableBounces(server(), R"("bounce.sendgrid_enabled": true, "bounce.sendgrid_key": ")" + signer().publicKeyBase64() +
                                R"(")");
}

std::string event(const std::string& email, const std::string& name, const std::string& extra,
                  const std::string& campaign = "") {
    std::string e = R"({"email": ")" + email + R"(", "timestamp": )" + std::to_string(unixNow() - 30) +
                    R"(, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>", "event": ")" + name +
                    R"(", "category": ["newsletter"], "sg_event_id": ")" + unique("sg-") +
                    R"(", "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0")";
    if (!campaign.empty()) e += R"(, "X-Tidings-Campaign": ")" + campaign + R"(")";
    if (!extra.empty()) e += ", " + extra;
    return e + "}";
}

HttpResult send(const std::string& body, std::int64_t ts, const std::string& signature) {
    return postWebhook(server(), "sendgrid", body,
                       {{"X-Twilio-Email-Event-Webhook-Signature", signature},
                        {"X-Twilio-Email-Event-Webhook-Timestamp", std::to_string(ts)}});
}

HttpResult sendSigned(const std::string& body, std::int64_t ts = unixNow()) {
    return send(body, ts, signer().sign(std::to_string(ts) + body));
}

}  // namespace

TEST_CASE("sendgrid: signed events map to bounces and other events are ignored", "[bounce][sendgrid]") {
    configure();
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string hard = unique("sg-hard-") + "@bounce.test";
    const std::string soft = unique("sg-soft-") + "@bounce.test";
    const std::string spam = unique("sg-spam-") + "@bounce.test";
    const std::string drop = unique("sg-drop-") + "@bounce.test";
    const std::string block = unique("sg-block-") + "@bounce.test";
    const auto hard_id = makeSubscriber(server(), hard);
    const auto soft_id = makeSubscriber(server(), soft);
    const auto spam_id = makeSubscriber(server(), spam);
    const auto drop_id = makeSubscriber(server(), drop);
    const auto block_id = makeSubscriber(server(), block);

    const std::string body =
        "[" +
        event(hard, "bounce",
              R"("bounce_classification": "Invalid Address", "reason": "500 unknown recipient", "status": "5.0.0", "type": "bounce")",
              campaign_uuid) +
        ",\n" +
        event(soft, "bounce",
              R"("bounce_classification": "Technical", "reason": "421 try again later", "status": "4.0.0", "type": "bounce")") +
        ",\n" + event(spam, "spamreport", "") + ",\n" +
        event(drop, "dropped", R"("reason": "Bounced Address", "status": "5.0.0")") + ",\n" +
        event(block, "bounce", R"("bounce_classification": "Reputation", "reason": "550 blocked", "type": "blocked")") +
        ",\n" + event(hard, "delivered", R"("response": "250 OK")") + ",\n" + event(soft, "open", R"("useragent": "x")") +
        "]";
    auto r = sendSigned(body);
    INFO(r.body);
    REQUIRE(r.status == 200);

    const auto only = [&](std::int64_t id) {
        const auto bounces = subscriberBounces(server(), id);
        REQUIRE(bounces->size() == 1);
        CHECK(bounces->getObject(0)->getValue<std::string>("source") == "sendgrid");
        return bounces->getObject(0);
    };
    const auto h = only(hard_id);
    CHECK(h->getValue<std::string>("type") == "hard");
    REQUIRE(h->getObject("campaign"));
    CHECK(h->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    CHECK(h->getObject("meta")->getValue<std::string>("reason") == "500 unknown recipient");
    CHECK(only(soft_id)->getValue<std::string>("type") == "soft");
    CHECK(only(spam_id)->getValue<std::string>("type") == "complaint");
    CHECK(only(drop_id)->getValue<std::string>("type") == "hard");
    CHECK(only(block_id)->getValue<std::string>("type") == "soft");
    CHECK(bounceTotal(server(), "source=sendgrid") == 5);

    // listmonk's XListmonkCampaign custom argument is read too.
    const std::string legacy = unique("sg-legacy-") + "@bounce.test";
    const auto legacy_id = makeSubscriber(server(), legacy);
    const std::string legacy_body =
        "[" + event(legacy, "bounce", R"("bounce_classification": "Content", "XListmonkCampaign": ")" + campaign_uuid + R"(")") +
        "]";
    REQUIRE(sendSigned(legacy_body).status == 200);
    const auto l = subscriberBounces(server(), legacy_id);
    REQUIRE(l->size() == 1);
    CHECK(l->getObject(0)->getValue<std::string>("type") == "soft");
    REQUIRE(l->getObject(0)->getObject("campaign"));
    CHECK(l->getObject(0)->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
}

TEST_CASE("sendgrid: unsigned, forged, stale, replayed and malformed requests are refused", "[bounce][sendgrid]") {
    configure();
    const std::string email = unique("sg-bad-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string body = "[" + event(email, "bounce", R"("bounce_classification": "Invalid Address")") + "]";
    const std::int64_t now = unixNow();

    CHECK(postWebhook(server(), "sendgrid", body, {}).status == 401);
    CHECK(postWebhook(server(), "sendgrid", body,
                      {{"X-Twilio-Email-Event-Webhook-Signature", signer().sign(std::to_string(now) + body)}})
              .status == 401);
    // Signed by another key.
    const EcSigner stranger;
    const auto forged = send(body, now, stranger.sign(std::to_string(now) + body));
    CHECK(forged.status == 401);
    CHECK_THAT(forged.message(), Catch::Contains("signature does not match"));
    // A genuine signature moved onto another timestamp or another body.
    CHECK(send(body, now + 1, signer().sign(std::to_string(now) + body)).status == 401);
    CHECK(send(body + " ", now, signer().sign(std::to_string(now) + body)).status == 401);
    CHECK(send(body, now, "not base64 at all").status == 401);
    CHECK(send(body, now, "").status == 401);
    // Genuinely signed but stale, or from the future.
    const auto stale = sendSigned(body, now - 3600);
    CHECK(stale.status == 401);
    CHECK_THAT(stale.message(), Catch::Contains("window"));
    CHECK(sendSigned(body, now + 3600).status == 401);
    CHECK(send(body, 0, signer().sign("soon" + body)).status == 401);

    for (const std::string& malformed :
         {std::string("[{"), std::string(R"({"event": "bounce", "email": "x@bounce.test"})"),
          std::string(R"([{"event": "bounce"}])"), std::string(R"([42])"),
          std::string(R"([{"event": "spamreport", "email": "x@bounce.test", "timestamp": "yesterday"}])")}) {
        INFO(malformed);
        CHECK(sendSigned(malformed).status == 400);
    }
    CHECK(subscriberBounces(server(), id)->size() == 0);

    const std::int64_t ts = unixNow();
    const std::string sig = signer().sign(std::to_string(ts) + body);
    CHECK(send(body, ts, sig).status == 200);
    const auto replay = send(body, ts, sig);  // the same delivery again
    CHECK(replay.status == 401);
    CHECK_THAT(replay.message(), Catch::Contains("replayed"));
    CHECK(subscriberBounces(server(), id)->size() == 1);

    // A key that is not an EC public key verifies nothing.
    enableBounces(server(), R"("bounce.sendgrid_key": "bm90IGEga2V5")");
    CHECK(sendSigned("[" + event(email, "spamreport", "") + "]").status == 401);
    enableBounces(server(), R"("bounce.sendgrid_key": "")");
    CHECK(sendSigned("[" + event(email, "spamreport", "") + "]").status == 401);
    // Switched off: no route.
    enableBounces(server(), R"("bounce.sendgrid_enabled": false, "bounce.sendgrid_key": ")" + signer().publicKeyBase64() +
                                R"(")");
    CHECK(sendSigned("[" + event(email, "spamreport", "") + "]").status == 404);
    CHECK(subscriberBounces(server(), id)->size() == 1);
}
