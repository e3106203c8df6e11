// The webhooks plugin's pure parts, compiled in directly: signatures, the retry schedule, the
// delivery body and the parsing of the `webhooks` setting.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "delivery_body.hpp"
#include "retry_schedule.hpp"
#include "signature.hpp"
#include "webhook_config.hpp"

using namespace tidings::webhooks;
using namespace std::chrono_literals;

TEST_CASE("webhooks: HMAC-SHA256 matches RFC 4231 and signs \"<t>.<body>\"", "[webhooks]") {
    CHECK(hmacSha256Hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    const std::string header = signatureHeader("s3cret", 1700000000, R"({"a":1})");
    CHECK(header == "t=1700000000,v1=" + hmacSha256Hex("s3cret", R"(1700000000.{"a":1})"));
}

TEST_CASE("webhooks: retries back off from the base and level off at 12 hours", "[webhooks]") {
    CHECK(retryDelay(1, 10s) == 10s);
    CHECK(retryDelay(2, 10s) == 1min);
    CHECK(retryDelay(3, 10s) == 5min);
    CHECK(retryDelay(4, 10s) == 30min);
    CHECK(retryDelay(5, 10s) == 2h);
    CHECK(retryDelay(6, 10s) == 4h);
    CHECK(retryDelay(7, 10s) == 8h);
    CHECK(retryDelay(8, 10s) == 12h);
    CHECK(retryDelay(30, 10s) == 12h);
    CHECK(retryDelay(1, 200ms) == 200ms);
    CHECK(retryDelay(0, 10s) == 10s);
}

TEST_CASE("webhooks: the body wraps the hook payload with event, delivery id and time", "[webhooks]") {
    sdk::OutboxJob job;
    job.event = "subscriber.created";
    job.uuid = "0b0e9a5c-8d1e-4c47-9a43-1f6f3a0c2d11";
    job.payload = R"({"subscriber":{"id":7,"name":"A \"quoted\" name"}})";
    job.created_at = sdk::Timestamp(std::chrono::microseconds(1700000000123456));
    CHECK(deliveryBody(job) ==
          R"({"event":"subscriber.created","delivery_id":"0b0e9a5c-8d1e-4c47-9a43-1f6f3a0c2d11",)"
          R"("created_at":"2023-11-14T22:13:20.123456Z","data":{"subscriber":{"id":7,"name":"A \"quoted\" name"}}})");
}

TEST_CASE("webhooks: the setting parses with defaults and refuses malformed entries by field", "[webhooks]") {
    CHECK(parseEndpoints("").empty());
    CHECK(parseEndpoints("[]").empty());
    const auto endpoints = parseEndpoints(
        R"([{"enabled": true, "name": "crm", "url": "https://crm.example.com/h", "secret": "k",
             "events": ["subscriber.created", "bounce.recorded"], "timeout": "2s", "max_attempts": 3,
             "retry_base": 0.5},
            {"name": "off", "url": "http://127.0.0.1:9/h", "secret": "k", "events": ["import.finished"]}])");
    REQUIRE(endpoints.size() == 2);
    CHECK(endpoints[0].wants("subscriber.created"));
    CHECK_FALSE(endpoints[0].wants("subscriber.updated"));
    CHECK(endpoints[0].timeout == 2s);
    CHECK(endpoints[0].max_attempts == 3);
    CHECK(endpoints[0].retry_base == 500ms);
    CHECK_FALSE(endpoints[1].wants("import.finished"));  // disabled
    CHECK(endpoints[1].timeout == 5s);
    CHECK(endpoints[1].max_attempts == 8);
    CHECK(endpoints[1].retry_base == 10s);
    CHECK(findEndpoint(endpoints, "off") == &endpoints[1]);
    CHECK(findEndpoint(endpoints, "nope") == nullptr);

    CHECK_THROWS_WITH(parseEndpoints(R"([{"name": "a", "url": "ftp://x", "secret": "k", "events": []}])"),
                      Catch::Contains("webhooks[0].url"));
    CHECK_THROWS_WITH(
        parseEndpoints(R"([{"name": "a", "url": "http://x", "secret": "k", "events": ["message.before_send"]}])"),
        Catch::Contains("webhooks[0].events[0]"));
    CHECK_THROWS_WITH(parseEndpoints(R"([{"name": "a", "url": "http://x", "events": []}])"),
                      Catch::Contains("webhooks[0].secret"));
    CHECK_THROWS_WITH(parseEndpoints(R"([{"name": "a", "url": "http://x", "secret": "k"},
                                         {"name": "a", "url": "http://y", "secret": "k"}])"),
                      Catch::Contains("webhooks[1].name"));
    CHECK_THROWS_AS(parseEndpoints("{}"), std::invalid_argument);
}
