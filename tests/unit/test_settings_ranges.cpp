// Numeric runtime settings are checked against their ranges before they are stored.
#include <catch2/catch.hpp>

#include "kernel/core/json_value.hpp"
#include "kernel/core/settings_ranges.hpp"
#include "kernel/core/status_error.hpp"

using namespace tidings::kernel;

namespace {

// The error message, or "" when `json` is accepted for `key`.
std::string refusal(const std::string& key, const std::string& json) {
    auto value = parseJsonValue(json);
    try {
        checkNumericRanges(key, value);
        return "";
    } catch (const StatusError& e) {
        return e.what();
    }
}

}  // namespace

TEST_CASE("settings ranges: values inside are accepted, whole numbers stored as integers", "[settings]") {
    CHECK(refusal("app.concurrency", "1") == "");
    CHECK(refusal("app.concurrency", "256") == "");
    CHECK(refusal("app.max_send_errors", "0") == "");
    auto value = parseJsonValue("2.5e3");
    checkNumericRanges("app.batch_size", value);
    CHECK(value.type() == typeid(Poco::Int64));
    CHECK(value.convert<Poco::Int64>() == 2500);
    CHECK(refusal("app.site_name", "\"not numeric\"") == "");  // no range declared
}

TEST_CASE("settings ranges: out of range, fractional and non-numeric values name the field", "[settings]") {
    CHECK(refusal("app.concurrency", "0") == "settings: 'app.concurrency' must be an integer from 1 to 256");
    CHECK(refusal("app.concurrency", "257") != "");
    CHECK(refusal("app.concurrency", "1.5") != "");
    CHECK(refusal("app.concurrency", "1e39") != "");
    CHECK(refusal("app.concurrency", "\"10\"") != "");
    CHECK(refusal("app.concurrency", "true") != "");
    CHECK(refusal("app.message_rate", "-0") != "");
    CHECK(refusal("app.message_rate", "1e-300") != "");
    CHECK(refusal("app.batch_size", "9223372036854775807") != "");
    CHECK(refusal("app.batch_size", "1e308") != "");
    CHECK(refusal("smtp", R"([{"port": 25}, {"port": 70000}])") ==
          "settings: 'smtp[1].port' must be an integer from 1 to 65535");
    CHECK(refusal("bounce.actions", R"({"soft": {"count": 0, "action": "none"}})") ==
          "settings: 'bounce.actions.soft.count' must be an integer from 1 to 1000000");
}
