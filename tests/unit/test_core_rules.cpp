#include <catch2/catch.hpp>

#include "kernel/core/campaign_service.hpp"
#include "kernel/core/list_service.hpp"
#include "kernel/core/sort_keys.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/subscriber_service.hpp"
#include "kernel/core/template_service.hpp"
#include "kernel/core/user_service.hpp"

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
    CHECK_THROWS_WITH(ListService::orderColumn("name; --"), Catch::StartsWith("order_by:") && Catch::Contains("\"name; --\""));

    CHECK(TemplateService::orderColumn("") == "id");
    CHECK(TemplateService::orderColumn("templates.updated_at") == "updated_at");
    CHECK_THROWS_AS(TemplateService::orderColumn("body"), StatusError);
    CHECK(UserService::orderColumn("user_type") == "type");
    CHECK(UserService::orderColumn("users.username") == "username");
    CHECK_THROWS_AS(UserService::orderColumn("credential_hash"), StatusError);
    CHECK_NOTHROW(CampaignService::checkRecipientOrder("", sdk::SortOrder::Asc));
    CHECK_NOTHROW(CampaignService::checkRecipientOrder("subscriber_id", sdk::SortOrder::Asc));
    CHECK_THROWS_WITH(CampaignService::checkRecipientOrder("email", sdk::SortOrder::Asc), Catch::Contains("\"email\""));
    CHECK_THROWS_WITH(CampaignService::checkRecipientOrder("", sdk::SortOrder::Desc), Catch::StartsWith("order:"));
}

TEST_CASE("listings sorted in the kernel tie on id in the same direction", "[validation]") {
    struct Item {
        sdk::Id id;
        std::string name;
    };
    std::vector<Item> items{{3, "b"}, {1, "b"}, {2, "a"}};
    auto ids = [&] {
        std::string out;
        for (const auto& i : items) out += std::to_string(i.id);
        return out;
    };
    sortListing(items, sdk::SortOrder::Asc, [](const Item& i) -> const std::string& { return i.name; });
    CHECK(ids() == "213");
    sortListing(items, sdk::SortOrder::Desc, [](const Item& i) -> const std::string& { return i.name; });
    CHECK(ids() == "312");
}

TEST_CASE("list tags are trimmed and whitespace becomes a dash", "[validation]") {
    auto tags = ListService::normaliseTags({"  news letter ", "", "weekly", " a\tb "});
    REQUIRE(tags.size() == 3);
    CHECK(tags[0] == "news-letter");
    CHECK(tags[1] == "weekly");
    CHECK(tags[2] == "a-b");
    CHECK_THROWS_AS(ListService::normaliseTags({std::string(101, 'x')}), StatusError);
}
