// Postback messengers (messenger-postback) against a local HTTP receiver: listmonk's JSON for tx
// and campaign messages, basic auth, retries on 5xx, 4xx as final failures, and the messenger
// names from the `messengers` setting accepted by campaigns and /api/tx without a restart.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <thread>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "campaign_fixtures.hpp"
#include "multipart_body.hpp"
#include "postback_receiver.hpp"

using namespace tidings::test;
using namespace std::chrono_literals;

namespace {

const std::map<std::string, std::string> kWithPostback{
    {"TIDINGS_PLUGINS__ENABLED", "messenger-smtp,messenger-postback"}};

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << bytes;
    enc.close();
    return out.str();
}

std::string unbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder dec(in);
    std::string out;
    char c;
    while (dec.get(c)) out.push_back(c);
    return out;
}

bool listsMessenger(const TidingsServer& server, const std::string& name) {
    auto r = server.get("/api/config", server.admin());
    auto names = r.data()->getArray("messengers");
    for (std::size_t i = 0; names && i < names->size(); ++i)
        if (names->getElement<std::string>(static_cast<unsigned>(i)) == name) return true;
    return false;
}

// Stores the `messengers` setting and waits until /api/config shows `name` (or no longer does).
void configureMessenger(const TidingsServer& server, const std::string& setting, const std::string& name,
                        bool expect_listed = true) {
    auto r = server.put("/api/settings", setting, server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (listsMessenger(server, name) != expect_listed && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(50ms);
    REQUIRE(listsMessenger(server, name) == expect_listed);
}

std::int64_t txTemplate(const TidingsServer& server) {
    Poco::JSON::Object t;
    t.set("name", unique("pb-"));
    t.set("type", "tx");
    t.set("subject", "Order {{ .Tx.Data.order_id }}");
    t.set("body", "Hello {{ .Subscriber.Name }}, order {{ .Tx.Data.order_id }} is ready.");
    auto r = server.post("/api/templates", json(t), server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

void addSubscriber(const TidingsServer& server, const std::string& email) {
    auto r = server.post("/api/subscribers",
                         R"({"email":")" + email + R"(","name":"Ada Lovelace","attribs":{"phone":"+44 123","city":"London"}})",
                         server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

// POST /api/tx to `email` through `messenger`; returns the HTTP status.
int sendTx(const TidingsServer& server, std::int64_t tpl, const std::string& email, const std::string& messenger) {
    auto r = server.post("/api/tx",
                         R"({"subscriber_email":")" + email + R"(","template_id":)" + std::to_string(tpl) +
                             R"(,"messenger":")" + messenger + R"(","data":{"order_id":"7"}})",
                         server.admin());
    INFO(r.body);
    return r.status;
}

void setPace(const TidingsServer& server, int max_send_errors) {
    auto r = server.put("/api/settings",
                        R"({"app.message_rate":1000,"app.concurrency":2,"app.batch_size":10,"app.max_send_errors":)" +
                            std::to_string(max_send_errors) + "}",
                        server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

}  // namespace

TEST_CASE("postback: a tx message arrives as listmonk's JSON with basic auth and attachments", "[postback]") {
    PostbackReceiver receiver;
    receiver.requireAuthorization("Basic " + base64("hook:s3cret"));
    TidingsServer server(kWithPostback);
    // The name is normalised as listmonk does it; the messenger exists without a restart.
    configureMessenger(server, messengersSetting("SMS Gateway", receiver.url("/in?via=test"), "hook", "s3cret"),
                       "smsgateway");
    const auto tpl = txTemplate(server);
    addSubscriber(server, "ada@pb.test");

    const std::string data = R"({"subscriber_email":"ada@pb.test","template_id":)" + std::to_string(tpl) +
                             R"(,"messenger":"smsgateway","from_email":"Shop <shop@pb.test>",)"
                             R"("headers":[{"X-Order":"7"}],"data":{"order_id":"7"}})";
    const std::string pdf = std::string("%PDF-1.4\n\0\x01\xff binary", 20);
    auto r = server.request("POST", "/api/tx",
                            multipart({{"data", data}}, {FilePart{"file", "receipt.pdf", "application/pdf", pdf}}),
                            server.admin(), multipartContentType());
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(receiver.waitFor(1, 5s));
    const auto got = receiver.requests();
    REQUIRE(got.size() == 1);
    CHECK(got[0].path == "/in?via=test");
    CHECK(got[0].content_type == "application/json");
    CHECK(got[0].authorization == "Basic " + base64("hook:s3cret"));
    const auto body = got[0].json();
    REQUIRE(body);
    CHECK(body->getValue<std::string>("subject") == "Order 7");
    CHECK(body->getValue<std::string>("from_email") == "Shop <shop@pb.test>");
    CHECK(body->getValue<std::string>("content_type") == "html");
    CHECK(body->getValue<std::string>("body").find("Hello Ada Lovelace, order 7 is ready.") != std::string::npos);
    CHECK(body->isNull("campaign"));
    const auto headers = body->getArray("headers");
    REQUIRE(headers);
    bool order_header = false;
    for (std::size_t i = 0; i < headers->size(); ++i) {
        auto h = headers->getObject(static_cast<unsigned>(i));
        if (h && h->has("X-Order")) order_header = h->getValue<std::string>("X-Order") == "7";
    }
    CHECK(order_header);
    const auto recipients = body->getArray("recipients");
    REQUIRE(recipients);
    REQUIRE(recipients->size() == 1);
    const auto to = recipients->getObject(0);
    CHECK(to->getValue<std::string>("email") == "ada@pb.test");
    CHECK(to->getValue<std::string>("name") == "Ada Lovelace");
    CHECK(to->getValue<std::string>("uuid").size() == 36);
    CHECK(to->getValue<std::string>("status") == "enabled");
    CHECK(to->getObject("attribs")->getValue<std::string>("phone") == "+44 123");
    const auto attachments = body->getArray("attachments");
    REQUIRE(attachments);
    REQUIRE(attachments->size() == 1);
    const auto a = attachments->getObject(0);
    CHECK(a->getValue<std::string>("name") == "receipt.pdf");
    CHECK(a->getObject("header")->getArray("Content-Type")->getElement<std::string>(0) == "application/pdf");
    CHECK(unbase64(a->getValue<std::string>("content")) == pdf);

    SECTION("wrong credentials reach the receiver as sent and fail the message without retries") {
        configureMessenger(server, messengersSetting("smsgateway", receiver.url(), "hook", "wrong"), "smsgateway");
        CHECK(sendTx(server, tpl, "ada@pb.test", "smsgateway") != 200);
        REQUIRE(receiver.waitFor(2, 5s));
        std::this_thread::sleep_for(300ms);  // a retry, were there one, would arrive by now
        const auto all = receiver.requests();
        REQUIRE(all.size() == 2);
        CHECK(all[1].authorization == "Basic " + base64("hook:wrong"));
    }
    SECTION("without a user name no Authorization header is sent") {
        receiver.requireAuthorization("");
        configureMessenger(server, messengersSetting("smsgateway", receiver.url()), "smsgateway");
        CHECK(sendTx(server, tpl, "ada@pb.test", "smsgateway") == 200);
        REQUIRE(receiver.waitFor(2, 5s));
        CHECK(receiver.requests()[1].authorization.empty());
    }
    SECTION("a disabled messenger is no longer accepted") {
        configureMessenger(server, messengersSetting("smsgateway", receiver.url(), "", "", 2, false), "smsgateway", false);
        CHECK(sendTx(server, tpl, "ada@pb.test", "smsgateway") == 400);
        CHECK(receiver.count() == 1);
    }
}

TEST_CASE("postback: 5xx answers are retried with backoff, 4xx answers are final", "[postback]") {
    PostbackReceiver receiver;
    TidingsServer server(kWithPostback);
    configureMessenger(server, messengersSetting("hooks", receiver.url(), "", "", 2), "hooks");
    const auto tpl = txTemplate(server);
    addSubscriber(server, "retry@pb.test");

    SECTION("500 then 200: delivered on the second attempt") {
        receiver.script({500});
        CHECK(sendTx(server, tpl, "retry@pb.test", "hooks") == 200);
        CHECK(receiver.count() == 2);
        const auto all = receiver.requests();
        CHECK(all[0].body == all[1].body);
    }
    SECTION("5xx on every attempt: 1 + max_msg_retries attempts, then a failure") {
        receiver.script({500, 502, 503, 200});
        CHECK(sendTx(server, tpl, "retry@pb.test", "hooks") == 503);
        CHECK(receiver.count() == 3);
    }
    SECTION("400: one attempt, a failure") {
        receiver.script({400});
        CHECK(sendTx(server, tpl, "retry@pb.test", "hooks") != 200);
        std::this_thread::sleep_for(300ms);
        CHECK(receiver.count() == 1);
    }
    SECTION("a receiver that is down: a failure after the retries") {
        configureMessenger(server, messengersSetting("hooks", "http://127.0.0.1:9/", "", "", 1), "hooks");
        CHECK(sendTx(server, tpl, "retry@pb.test", "hooks") == 503);
    }
}

TEST_CASE("postback: a campaign sends each subscriber's postback once, with the campaign's fields", "[postback]") {
    PostbackReceiver receiver;
    TidingsServer server(kWithPostback);
    setPace(server, 1000);
    configureMessenger(server, messengersSetting("push", receiver.url(), "bot", "pw"), "push");
    const auto list = makeList(server);
    addMembers(server, list, "c", 25, "confirmed", "enabled", "pb.test");

    // An unknown messenger is refused by name; the postback one is accepted.
    Poco::JSON::Object c;
    c.set("name", unique("pb-campaign-"));
    c.set("subject", "Hello {{ .Subscriber.Name }}");
    c.set("from_email", "News <news@pb.test>");
    Poco::JSON::Array lists;
    lists.add(list);
    c.set("lists", lists);
    c.set("content_type", "plain");
    c.set("body", "Hi {{ .Subscriber.Name }} #{{ .Subscriber.Attribs.n }}");
    Poco::JSON::Array tags;
    tags.add("sms");
    tags.add("weekly");
    c.set("tags", tags);
    c.set("messenger", "nosuch");
    auto refused = server.post("/api/campaigns", json(c), server.admin());
    INFO(refused.body);
    CHECK(refused.status == 400);
    CHECK(refused.message().find("messenger") != std::string::npos);
    c.set("messenger", "push");
    auto created = server.post("/api/campaigns", json(c), server.admin());
    INFO(created.body);
    REQUIRE(created.status == 200);
    const auto id = created.data()->getValue<std::int64_t>("id");
    const auto uuid = created.data()->getValue<std::string>("uuid");
    CHECK(created.data()->getValue<std::string>("messenger") == "push");

    REQUIRE(setCampaignStatus(server, id, "running") == 200);
    REQUIRE(waitForCampaignStatus(server, id, "finished"));
    const auto all = receiver.requests();
    REQUIRE(all.size() == 25);
    std::set<std::string> emails;
    for (const auto& rq : all) {
        CHECK(rq.authorization == "Basic " + base64("bot:pw"));
        const auto body = rq.json();
        REQUIRE(body);
        const auto to = body->getArray("recipients")->getObject(0);
        const auto email = to->getValue<std::string>("email");
        emails.insert(email);
        const auto n = to->getObject("attribs")->getValue<int>("n");
        CHECK(email == "c" + std::to_string(n) + "@pb.test");
        CHECK(to->getValue<std::string>("name") == "Person " + std::to_string(n));
        CHECK(body->getValue<std::string>("subject") == "Hello Person " + std::to_string(n));
        CHECK(body->getValue<std::string>("content_type") == "plain");
        // Wrapped in the default campaign template, as every campaign body is.
        CHECK(body->getValue<std::string>("body").find("Hi Person " + std::to_string(n) + " #" + std::to_string(n)) !=
              std::string::npos);
        CHECK(to->getValue<std::string>("status") == "enabled");
        const auto campaign = body->getObject("campaign");
        REQUIRE(campaign);
        CHECK(campaign->getValue<std::string>("uuid") == uuid);
        CHECK(campaign->getValue<std::string>("name") == c.getValue<std::string>("name"));
        CHECK(campaign->getArray("tags")->size() == 2);
        CHECK(body->isNull("attachments"));
    }
    CHECK(emails.size() == 25);  // each subscriber exactly once
}

TEST_CASE("postback: a receiver refusing every message pauses the campaign at app.max_send_errors", "[postback]") {
    PostbackReceiver receiver(400);
    TidingsServer server(kWithPostback);
    setPace(server, 3);
    configureMessenger(server, messengersSetting("refuser", receiver.url()), "refuser");
    const auto list = makeList(server);
    addMembers(server, list, "f", 50, "confirmed", "enabled", "pb.test");
    const auto id = createCampaign(server, list, "<p>Hi</p>", "refuser");
    REQUIRE(setCampaignStatus(server, id, "running") == 200);
    REQUIRE(waitForCampaignStatus(server, id, "paused", 30s));
    CHECK(receiver.count() >= 3);
    CHECK(receiver.count() < 50);
}
