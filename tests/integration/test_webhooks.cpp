// The webhooks plugin against a local HTTP receiver: signed deliveries of hook events, retries
// with backoff, the durable queue surviving a killed server, the deliveries listing, and the
// `webhooks` setting's validation and masking.
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "postback_receiver.hpp"
#include "tidings_server.hpp"

using namespace tidings::test;
using namespace std::chrono_literals;

namespace {

const std::map<std::string, std::string> kWithWebhooks{{"TIDINGS_PLUGINS__ENABLED", "webhooks"},
                                                       {"TIDINGS_WEBHOOKS__POLL_INTERVAL", "200ms"}};

constexpr const char* kSecret = "whsec-test-0123456789";

std::string hmacHex(const std::string& key, const std::string& data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), mac, &len);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out.push_back(kDigits[mac[i] >> 4]);
        out.push_back(kDigits[mac[i] & 0x0f]);
    }
    return out;
}

// What a receiver does: split "t=<unix>,v1=<hex>", recompute the HMAC over "<t>.<body>" and
// refuse stale timestamps.
bool verifySignature(const PostbackRequest& r, const std::string& secret) {
    const auto it = r.headers.find("x-tidings-signature");
    if (it == r.headers.end()) return false;
    const std::string& header = it->second;
    const auto comma = header.find(",v1=");
    if (header.rfind("t=", 0) != 0 || comma == std::string::npos) return false;
    const std::string t = header.substr(2, comma - 2);
    const std::string v1 = header.substr(comma + 4);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    if (std::llabs(now.count() - std::stoll(t)) > 300) return false;
    return hmacHex(secret, t + "." + r.body) == v1;
}

// The `webhooks` setting with one endpoint "crm", as PUT /api/settings takes it. `retry_base` is
// in seconds: small ones keep retry tests short.
std::string webhooksSetting(const std::string& url, const std::vector<std::string>& events, double retry_base = 0.2,
                            int max_attempts = 5) {
    Poco::JSON::Object entry;
    entry.set("enabled", true);
    entry.set("name", "crm");
    entry.set("url", url);
    entry.set("secret", kSecret);
    Poco::JSON::Array list;
    for (const auto& e : events) list.add(e);
    entry.set("events", list);
    entry.set("timeout", "3s");
    entry.set("max_attempts", max_attempts);
    entry.set("retry_base", retry_base);
    Poco::JSON::Array all;
    all.add(entry);
    Poco::JSON::Object body;
    body.set("webhooks", all);
    return json(body);
}

void configure(const TidingsServer& server, const std::string& url, const std::vector<std::string>& events,
               double retry_base = 0.2, int max_attempts = 5) {
    auto r = server.put("/api/settings", webhooksSetting(url, events, retry_base, max_attempts), server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

std::int64_t createSubscriber(const TidingsServer& server, const std::string& email) {
    auto r = server.post("/api/subscribers", R"({"email":")" + email + R"(","name":"Ada"})", server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

Poco::JSON::Array::Ptr deliveries(const TidingsServer& server, const std::string& query = "") {
    auto r = server.get("/api/webhooks/deliveries" + query, server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getArray("results");
}

// Waits until the newest delivery has `status`.
bool waitForStatus(const TidingsServer& server, const std::string& status, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        auto list = deliveries(server);
        if (list->size() > 0 && list->getObject(0)->getValue<std::string>("status") == status) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

}  // namespace

TEST_CASE("webhooks: a new subscriber is delivered as a signed subscriber.created", "[webhooks]") {
    PostbackReceiver receiver(200);
    TidingsServer server(kWithWebhooks);
    configure(server, receiver.url("/hooks/tidings"), {"subscriber.created", "subscriber.deleted"});

    const std::string email = unique("hook-") + "@example.com";
    const auto id = createSubscriber(server, email);
    REQUIRE(receiver.waitFor(1, 10s));
    const auto r = receiver.requests().at(0);
    CHECK(r.path == "/hooks/tidings");
    CHECK(r.content_type.rfind("application/json", 0) == 0);
    CHECK(verifySignature(r, kSecret));
    CHECK_FALSE(verifySignature(r, "another secret"));
    CHECK(r.headers.at("x-tidings-event") == "subscriber.created");
    const auto body = r.json();
    REQUIRE(body);
    CHECK(body->getValue<std::string>("event") == "subscriber.created");
    CHECK(body->getValue<std::string>("delivery_id") == r.headers.at("x-tidings-delivery"));
    CHECK(body->getValue<std::string>("created_at").find('T') != std::string::npos);
    const auto subscriber = body->getObject("data")->getObject("subscriber");
    REQUIRE(subscriber);
    CHECK(subscriber->getValue<std::string>("email") == email);

    // subscriber.updated is not among the endpoint's events.
    auto upd = server.put("/api/subscribers/" + std::to_string(id), R"({"name":"Ada L."})", server.admin());
    REQUIRE(upd.status == 200);
    REQUIRE(server.del("/api/subscribers/" + std::to_string(id), server.admin()).status == 200);
    REQUIRE(receiver.waitFor(2, 10s));
    std::this_thread::sleep_for(300ms);
    REQUIRE(receiver.count() == 2);
    CHECK(receiver.requests().at(1).headers.at("x-tidings-event") == "subscriber.deleted");
    CHECK(verifySignature(receiver.requests().at(1), kSecret));

    REQUIRE(waitForStatus(server, "succeeded", 5s));
    auto list = deliveries(server);
    REQUIRE(list->size() == 2);
    auto newest = list->getObject(0);
    CHECK(newest->getValue<std::string>("event") == "subscriber.deleted");
    CHECK(newest->getValue<std::string>("endpoint") == "crm");
    CHECK(newest->getValue<int>("attempts") == 1);
    CHECK(newest->getValue<int>("last_status") == 200);
    CHECK(newest->isNull("next_attempt_at"));
    auto filtered = deliveries(server, "?event=subscriber.created&status=succeeded");
    REQUIRE(filtered->size() == 1);
    CHECK(filtered->getObject(0)->getValue<std::string>("delivery_id") ==
          receiver.requests().at(0).headers.at("x-tidings-delivery"));
}

TEST_CASE("webhooks: a receiver answering 500 gets the same delivery again after a backoff", "[webhooks]") {
    PostbackReceiver receiver(200);
    receiver.script({500});
    TidingsServer server(kWithWebhooks);
    configure(server, receiver.url("/in"), {"subscriber.created"}, 0.2);

    createSubscriber(server, unique("retry-") + "@example.com");
    REQUIRE(receiver.waitFor(2, 15s));
    const auto requests = receiver.requests();
    CHECK(requests[0].headers.at("x-tidings-delivery") == requests[1].headers.at("x-tidings-delivery"));
    CHECK(requests[0].body == requests[1].body);
    CHECK(verifySignature(requests[1], kSecret));

    REQUIRE(waitForStatus(server, "succeeded", 5s));
    auto d = deliveries(server)->getObject(0);
    CHECK(d->getValue<int>("attempts") == 2);
    CHECK(d->getValue<int>("last_status") == 200);
}

TEST_CASE("webhooks: a delivery that keeps failing is given up after max_attempts", "[webhooks]") {
    PostbackReceiver receiver(503);
    TidingsServer server(kWithWebhooks);
    configure(server, receiver.url("/in"), {"subscriber.created"}, 0.1, 2);

    createSubscriber(server, unique("dead-") + "@example.com");
    REQUIRE(waitForStatus(server, "dead", 15s));
    auto d = deliveries(server, "?status=dead")->getObject(0);
    CHECK(d->getValue<int>("attempts") == 2);
    CHECK(d->getValue<int>("last_status") == 503);
    CHECK(d->getValue<std::string>("last_error").find("503") != std::string::npos);
    CHECK(receiver.count() == 2);
}

TEST_CASE("webhooks: a delivery pending when the server is killed goes out after a restart", "[webhooks]") {
    PostbackReceiver receiver(200);
    receiver.script({500});
    std::string delivery_id;
    std::map<std::string, std::string> env = kWithWebhooks;
    {
        TidingsServer first(kWithWebhooks);
        // A long first backoff, so the retry is still pending when the process dies.
        configure(first, receiver.url("/in"), {"subscriber.created"}, 3);
        createSubscriber(first, unique("crash-") + "@example.com");
        REQUIRE(receiver.waitFor(1, 10s));
        REQUIRE(waitForStatus(first, "failed", 5s));
        delivery_id = receiver.requests().at(0).headers.at("x-tidings-delivery");
        for (const auto& [k, v] : first.sameDatabase()) env[k] = v;
        first.kill();
        REQUIRE(receiver.count() == 1);

        TidingsServer second(env);
        REQUIRE(receiver.waitFor(2, 20s));
        const auto retried = receiver.requests().at(1);
        CHECK(retried.headers.at("x-tidings-delivery") == delivery_id);
        CHECK(verifySignature(retried, kSecret));
        REQUIRE(waitForStatus(second, "succeeded", 5s));
        CHECK(deliveries(second)->getObject(0)->getValue<int>("attempts") == 2);
    }
}

TEST_CASE("webhooks: bad settings are refused naming the field, and secrets are masked", "[webhooks]") {
    TidingsServer server(kWithWebhooks);
    auto bad_url = server.put("/api/settings", webhooksSetting("not a url", {"subscriber.created"}), server.admin());
    CHECK(bad_url.status == 400);
    CHECK_THAT(bad_url.message(), Catch::Contains("webhooks[0].url"));
    auto bad_event = server.put("/api/settings", webhooksSetting("https://example.com/h", {"subscriber.exploded"}),
                                server.admin());
    CHECK(bad_event.status == 400);
    CHECK_THAT(bad_event.message(), Catch::Contains("webhooks[0].events[0]"));
    auto no_events = server.put("/api/settings", webhooksSetting("https://example.com/h", {}), server.admin());
    CHECK(no_events.status == 400);
    CHECK_THAT(no_events.message(), Catch::Contains("webhooks[0].events"));
    auto not_array = server.put("/api/settings", R"({"webhooks": {"url": "x"}})", server.admin());
    CHECK(not_array.status == 400);
    CHECK_THAT(not_array.message(), Catch::Contains("webhooks"));

    configure(server, "https://example.com/h", {"bounce.recorded"});
    auto settings = server.get("/api/settings", server.admin());
    REQUIRE(settings.status == 200);
    CHECK(settings.body.find(kSecret) == std::string::npos);
    auto entry = settings.data()->getArray("webhooks")->getObject(0);
    CHECK(entry->getValue<std::string>("secret") != "");
    // Sending the masked value back keeps the stored secret (and passes validation).
    Poco::JSON::Object put;
    put.set("webhooks", settings.data()->getArray("webhooks"));
    auto again = server.put("/api/settings", json(put), server.admin());
    INFO(again.body);
    CHECK(again.status == 200);
    CHECK(server.sql("SELECT value FROM settings WHERE key = 'webhooks'").find(kSecret) != std::string::npos);

    auto bad_filter = server.get("/api/webhooks/deliveries?status=lost", server.admin());
    CHECK(bad_filter.status == 400);
    CHECK_THAT(bad_filter.message(), Catch::Contains("status"));
    auto bad_page = server.get("/api/webhooks/deliveries?per_page=-3", server.admin());
    CHECK(bad_page.status == 400);
    CHECK_THAT(bad_page.message(), Catch::Contains("per_page"));
    CHECK(server.get("/api/webhooks/deliveries", Credentials::none()).status == 401);
}
