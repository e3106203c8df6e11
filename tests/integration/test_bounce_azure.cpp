// bounce-azure end to end: Event Grid's subscription validation handshake and Azure
// Communication Services delivery-report events (shapes from the Event Grid and ACS event schema
// documentation) posted to the real server with the shared secret, and every way a request can
// be refused.
#include <catch2/catch.hpp>

#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "bounce_fixtures.hpp"

using namespace tidings::test;

namespace {

const std::string kSecret = "az-shared-secret-0123456789";

TidingsServer& server() {
    static TidingsServer instance(bouncePluginEnv());
    return instance;
}

void configure(const std::string& secret = kSecret, const std::string& header = "") {
    enableBounces(server(), R"("bounce.azure": {"enabled": true, "shared_secret": ")" + secret +
                                R"(", "shared_secret_header": ")" + header + R"("})");
}

/// One EmailDeliveryReportReceived event, `eventTime` now unless given.
std::string report(const std::string& email, const std::string& status, const std::string& message,
                   const std::string& event_time = rfc3339(std::chrono::system_clock::now())) {
    return R"({"id": ")" + unique("az-event-") + R"(",
 "topic": "/subscriptions/0000/resourceGroups/news/providers/microsoft.communication/communicationservices/tidings",
 "subject": "sender/news@bounce.test/message/6b3b9f4c-0000-0000-0000-000000000000",
 "data": {"sender": "news@bounce.test", "recipient": ")" + email + R"(",
          "messageId": "6b3b9f4c-0000-0000-0000-000000000000", "status": ")" + status + R"(",
          "deliveryStatusDetails": {"statusMessage": ")" + message + R"("},
          "deliveryAttemptTimeStamp": "2024-03-14T09:26:53.6145862+00:00"},
 "eventType": "Microsoft.Communication.EmailDeliveryReportReceived",
 "dataVersion": "1.0", "metadataVersion": "1", "eventTime": ")" + event_time + R"("})";
}

std::string batch(std::initializer_list<std::string> events) {
    std::string out = "[";
    for (const auto& e : events) out += (out.size() > 1 ? "," : "") + e;
    return out + "]";
}

const std::string kValidation = R"([{"id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
 "topic": "/subscriptions/0000/resourceGroups/news/providers/microsoft.communication/communicationservices/tidings",
 "subject": "", "data": {"validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
 "validationUrl": "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/tidings/validate?id=512d38b6"},
 "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent", "eventTime": "2024-03-14T09:26:53.4556811Z",
 "metadataVersion": "1", "dataVersion": "1"}])";

using Headers = std::vector<std::pair<std::string, std::string>>;
const Headers kNotification = {{"aeg-event-type", "Notification"}, {"X-Listmonk-Webhook-Secret", kSecret}};

HttpResult notify(const std::string& body, const Headers& headers = kNotification, const std::string& query = "") {
    return postWebhook(server(), "azure" + query, body, headers);
}

}  // namespace

TEST_CASE("azure: disabled provider answers 404 to handshakes and events and records nothing", "[bounce][azure]") {
    enableBounces(server(), R"("bounce.azure": {"enabled": false, "shared_secret": ")" + kSecret + R"("})");
    const std::string email = unique("az-off-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    CHECK(notify(batch({report(email, "Bounced", "550 5.1.1 mailbox does not exist")})).status == 404);
    CHECK(notify(kValidation, {{"aeg-event-type", "SubscriptionValidation"}}, "?code=" + kSecret).status == 404);
    CHECK(subscriberBounces(server(), id)->size() == 0);
}

TEST_CASE("azure: the subscription validation handshake echoes the validation code", "[bounce][azure]") {
    configure();
    auto r = notify(kValidation, {{"aeg-event-type", "SubscriptionValidation"}}, "?code=" + kSecret);
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(r.json.type() == typeid(Poco::JSON::Object::Ptr));
    CHECK(r.json.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("validationResponse") ==
          "512d38b6-c7b8-40c8-89fe-f46f9e9622b6");

    // The secret in the header works as well; without it, or with a wrong one, no answer.
    CHECK(notify(kValidation, {{"aeg-event-type", "SubscriptionValidationEvent"}, {"X-Listmonk-Webhook-Secret", kSecret}})
              .status == 200);
    CHECK(notify(kValidation, {{"aeg-event-type", "SubscriptionValidation"}}).status == 401);
    CHECK(notify(kValidation, {{"aeg-event-type", "SubscriptionValidation"}}, "?code=guess").status == 401);
    // A handshake without a code is malformed.
    CHECK(notify(R"([{"eventType": "Microsoft.EventGrid.SubscriptionValidationEvent", "data": {}}])",
                 {{"aeg-event-type", "SubscriptionValidation"}}, "?code=" + kSecret)
              .status == 400);
    CHECK(notify("[]", {{"aeg-event-type", "SubscriptionValidation"}}, "?code=" + kSecret).status == 400);
}

TEST_CASE("azure: a bounced delivery report is recorded as a hard bounce for its subscriber, and blocklists",
          "[bounce][azure]") {
    configure();
    const std::string email = unique("az-hard-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);

    // Event Grid lower-cases nothing; the recipient's case must not matter.
    std::string upper = email;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto r = notify(batch({report(upper, "Bounced", "550 5.1.1 The email account does not exist.")}));
    INFO(r.body);
    REQUIRE(r.status == 200);

    const auto bounces = subscriberBounces(server(), id);
    REQUIRE(bounces->size() == 1);
    const auto b = bounces->getObject(0);
    CHECK(b->getValue<std::string>("type") == "hard");
    CHECK(b->getValue<std::string>("source") == "azure");
    CHECK(b->getValue<std::string>("created_at").rfind("2024-03-14T09:26:53", 0) == 0);
    CHECK(b->getObject("meta")->getObject("data")->getValue<std::string>("status") == "Bounced");
    // ACS delivery reports carry no message headers, so no campaign can be linked.
    CHECK_FALSE(b->getObject("campaign"));
    CHECK(subscriberStatus(server(), id) == "blocklisted");
}

TEST_CASE("azure: statuses map to hard, soft and complaint, and other events are acknowledged", "[bounce][azure]") {
    configure(kSecret, "X-Acs-Hook-Key");  // a custom header name replaces the default one
    const std::string email = unique("az-types-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const Headers custom = {{"aeg-event-type", "Notification"}, {"X-Acs-Hook-Key", kSecret}};

    auto r = notify(batch({report(email, "Failed", "451 4.4.7 Message expired, delivery attempts timed out"),
                           report(email, "Quarantined", "Message quarantined by the receiver"),
                           report(email, "FilteredSpam", "Spam complaint from the recipient"),
                           report(email, "Delivered", "Delivered"),
                           report(email, "Expanded", "Sent to a distribution list"),
                           R"({"id": "x", "eventType": "Microsoft.Communication.EmailEngagementTrackingReportReceived",
                               "data": {"recipient": ")" + email + R"("}, "eventTime": "2024-03-14T09:26:53Z"})"}),
                    custom);
    INFO(r.body);
    REQUIRE(r.status == 200);
    // Header mode with the default name no longer works once another name is configured.
    CHECK(notify(batch({report(email, "Bounced", "550 5.1.1")})).status == 401);

    const auto bounces = subscriberBounces(server(), id);
    REQUIRE(bounces->size() == 3);
    std::map<std::string, int> by_type;
    for (std::size_t i = 0; i < bounces->size(); ++i) ++by_type[bounces->getObject(i)->getValue<std::string>("type")];
    CHECK(by_type["soft"] == 2);
    CHECK(by_type["complaint"] == 1);

    // A Failed report with a permanent enhanced code is hard.
    const std::string email2 = unique("az-failed-") + "@bounce.test";
    const auto id2 = makeSubscriber(server(), email2);
    REQUIRE(notify(batch({report(email2, "Failed", "550 5.1.1 Recipient address rejected: unknown user")}), custom)
                .status == 200);
    REQUIRE(subscriberBounces(server(), id2)->size() == 1);
    CHECK(subscriberBounces(server(), id2)->getObject(0)->getValue<std::string>("type") == "hard");
}

TEST_CASE("azure: missing, wrong or unconfigured secrets, malformed, stale and replayed batches are refused",
          "[bounce][azure]") {
    configure();
    const std::string email = unique("az-bad-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string good = batch({report(email, "Bounced", "550 5.1.1")});

    CHECK(notify(good, {{"aeg-event-type", "Notification"}}).status == 401);
    CHECK(notify(good, {{"aeg-event-type", "Notification"}, {"X-Listmonk-Webhook-Secret", "guess"}}).status == 401);
    CHECK(notify(good, {{"aeg-event-type", "Notification"}}, "?code=guess").status == 401);
    CHECK(notify(good, {{"aeg-event-type", "Notification"}, {"X-Listmonk-Webhook-Secret", kSecret + "x"}}).status == 401);

    CHECK(notify("[{not json").status == 400);
    CHECK(notify(report(email, "Bounced", "550 5.1.1")).status == 400);  // an object, not an array
    CHECK(notify(batch({report("", "Bounced", "550 5.1.1")})).status == 400);
    CHECK(notify(batch({report(email, "Bounced", "550 5.1.1"), "42"})).status == 400);  // never half a batch
    CHECK(notify(good, {{"aeg-event-type", "Subscribe"}, {"X-Listmonk-Webhook-Secret", kSecret}}).status == 400);
    auto bad_time = batch({report(email, "Bounced", "550 5.1.1")});
    bad_time.replace(bad_time.find("2024-03-14T09:26:53.6145862+00:00"), 33, "yesterday");
    CHECK(notify(bad_time).status == 400);
    // An event older than Event Grid's retry period is a capture.
    const auto stale = notify(batch({report(email, "Bounced", "550 5.1.1",
                                            rfc3339(std::chrono::system_clock::now() - std::chrono::hours(72)))}));
    CHECK(stale.status == 401);
    CHECK(subscriberBounces(server(), id)->size() == 0);

    // The same batch twice: the second is a replay.
    const std::string soft = batch({report(email, "Failed", "421 4.7.0 Try again later")});
    CHECK(notify(soft).status == 200);
    const auto replay = notify(soft);
    CHECK(replay.status == 401);
    CHECK_THAT(replay.message(), Catch::Contains("replayed"));
    CHECK(subscriberBounces(server(), id)->size() == 1);

    // An empty secret must not open the endpoint to everyone.
    configure("", "");
    CHECK(notify(batch({report(email, "Bounced", "550 5.1.1")}), {{"aeg-event-type", "Notification"}}).status == 401);
    CHECK(notify(batch({report(email, "Bounced", "550 5.1.1")}),
                 {{"aeg-event-type", "Notification"}, {"X-Listmonk-Webhook-Secret", ""}})
              .status == 401);
    CHECK(notify(kValidation, {{"aeg-event-type", "SubscriptionValidation"}}, "?code=").status == 401);
    CHECK(subscriberBounces(server(), id)->size() == 1);
}
