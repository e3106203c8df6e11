#include <catch2/catch.hpp>

#include "kernel/core/list_service.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/subscriber_service.hpp"

using namespace tidings::kernel;

TEST_CASE("order_by accepts only whitelisted columns", "[validation]") {
    CHECK(SubscriberService::orderColumn("") == "id");
    CHECK(SubscriberService::orderColumn("email") == "email");
    CHECK(SubscriberService::orderColumn("subscribers.created_at") == "created_at");
    for (const char* bad : {"email; DROP TABLE subscribers", "password", "id desc", "1", "lists.name"}) {
        INFO(bad);
        CHECK_THROWS_AS(SubscriberService::orderColumn(bad), StatusError);
    }
    CHECK(ListService::orderColumn("subscriber_count") == "subscriber_count");
    CHECK_THROWS_AS(ListService::orderColumn("name; --"), StatusError);
}

TEST_CASE("list tags are trimmed and whitespace becomes a dash", "[validation]") {
    auto tags = ListService::normaliseTags({"  news letter ", "", "weekly", " a\tb "});
    REQUIRE(tags.size() == 3);
    CHECK(tags[0] == "news-letter");
    CHECK(tags[1] == "weekly");
    CHECK(tags[2] == "a-b");
    CHECK_THROWS_AS(ListService::normaliseTags({std::string(101, 'x')}), StatusError);
}
