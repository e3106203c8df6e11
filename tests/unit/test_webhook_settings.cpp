// The kernel's validation of the `webhooks` setting (PUT /api/settings): every refusal names the
// field.
#include <catch2/catch.hpp>

#include "kernel/core/json_value.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/webhook_settings_check.hpp"

using namespace tidings::kernel;

namespace {

std::string refusal(const std::string& json) {
    try {
        checkWebhooksSetting(parseJsonValue(json));
    } catch (const StatusError& e) {
        return e.what();
    }
    return "";
}

std::string entry(const std::string& fields) {
    return R"([{"enabled": true, "name": "crm", "url": "https://crm.example.com/h", "secret": "k",
               "events": ["subscriber.created"])" +
           (fields.empty() ? "" : ", " + fields) + "}]";
}

}  // namespace

TEST_CASE("webhooks setting: valid entries pass", "[settings][webhooks]") {
    CHECK(refusal("[]").empty());
    CHECK(refusal(entry("")).empty());
    CHECK(refusal(entry(R"("timeout": "1500ms", "max_attempts": 3, "retry_base": 0.2)")).empty());
}

TEST_CASE("webhooks setting: each malformed field is refused by name", "[settings][webhooks]") {
    CHECK_THAT(refusal(R"({"a": 1})"), Catch::Contains("webhooks: must be an array"));
    CHECK_THAT(refusal("[1]"), Catch::Contains("webhooks[0]: must be an object"));
    CHECK_THAT(refusal(R"([{"url": "https://x.example/h", "secret": "k", "events": ["bounce.recorded"]}])"),
               Catch::Contains("webhooks[0].name"));
    CHECK_THAT(refusal(R"([{"name": "a", "url": "not a url", "secret": "k", "events": ["bounce.recorded"]}])"),
               Catch::Contains("webhooks[0].url"));
    CHECK_THAT(refusal(R"([{"name": "a", "url": "https://x.example/h", "events": ["bounce.recorded"]}])"),
               Catch::Contains("webhooks[0].secret"));
    CHECK_THAT(refusal(R"([{"name": "a", "url": "https://x.example/h", "secret": "k", "events": []}])"),
               Catch::Contains("webhooks[0].events"));
    CHECK_THAT(refusal(R"([{"name": "a", "url": "https://x.example/h", "secret": "k",
                           "events": ["subscriber.created", "campaign.exploded"]}])"),
               Catch::Contains("webhooks[0].events[1]: unknown event 'campaign.exploded'"));
    CHECK_THAT(refusal(entry(R"("timeout": "soon")")), Catch::Contains("webhooks[0].timeout"));
    CHECK_THAT(refusal(entry(R"("max_attempts": 0)")), Catch::Contains("webhooks[0].max_attempts"));
    CHECK_THAT(refusal(entry(R"("retry_base": "fast")")), Catch::Contains("webhooks[0].retry_base"));
    CHECK_THAT(refusal(R"([{"enabled": "yes", "name": "a", "url": "https://x.example/h", "secret": "k",
                           "events": ["bounce.recorded"]}])"),
               Catch::Contains("webhooks[0].enabled"));
    const std::string twice = R"([{"name": "a", "url": "https://x.example/h", "secret": "k", "events": ["bounce.recorded"]},
                                  {"name": "a", "url": "https://y.example/h", "secret": "k", "events": ["bounce.recorded"]}])";
    CHECK_THAT(refusal(twice), Catch::Contains("webhooks[1].name"));
}
