#include <catch2/catch.hpp>

#include "kernel/core/campaign_service.hpp"
#include "kernel/core/import_rows.hpp"
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

TEST_CASE("an imported row is skipped only for its e-mail, and a bad name or attributes are left out", "[import]") {
    const DomainRules rules{{}, {"blocked.example"}};
    auto check = [&](std::string email, std::string name, std::string attribs) {
        sdk::ImportRow row;
        row.email = std::move(email);
        row.name = std::move(name);
        row.attribs_json = std::move(attribs);
        return checkImportRow(row, rules);
    };
    auto whole = check(" Ann@Example.com ", " Ann ", R"({"a": 1})");
    REQUIRE(whole.record);
    CHECK(whole.record->email == "ann@example.com");
    CHECK(whole.record->name == "Ann");
    CHECK(whole.record->attribs_json == R"({"a": 1})");
    CHECK(whole.problem.empty());

    for (const char* attribs : {"{nope", "[1, 2]", "\"text\"", "null"}) {
        INFO(attribs);
        auto part = check("bob@example.com", "Bob", attribs);
        REQUIRE(part.record);
        CHECK(part.record->attribs_json == "{}");
        CHECK_THAT(part.problem, Catch::StartsWith("without its attributes ("));
    }
    auto nameless = check("carl.doe@example.com", std::string(2001, 'x'), "{}");
    REQUIRE(nameless.record);
    CHECK(nameless.record->name == "Carl Doe");
    CHECK(nameless.problem == "without its name (longer than 2000 bytes)");
    auto invalid_text = check("dee@example.com", "D\xff", "[]");
    REQUIRE(invalid_text.record);
    CHECK_THAT(invalid_text.problem, Catch::StartsWith("without its name (not valid UTF-8 text) and its attributes ("));

    for (const char* email : {"", "not-an-email", "x@blocked.example"}) {
        INFO(email);
        auto skipped = check(email, "Name", "{}");
        CHECK_FALSE(skipped.record);
        CHECK_FALSE(skipped.problem.empty());
    }
}
