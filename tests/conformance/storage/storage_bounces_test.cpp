// Store-independent conformance tests for sdk::BounceStore (see storage_harness.hpp): recording
// by e-mail or UUID, campaign links, thresholds and their actions, listing and deletion.
#include "conformance_support.hpp"

#include <tidings/sdk/v1/bounce_store.hpp>
#include <tidings/sdk/v1/campaign.hpp>

using namespace tidings::conformance;

namespace {

sdk::BounceEvent bounceOf(std::string email, sdk::BounceType type = sdk::BounceType::Hard) {
    sdk::BounceEvent e;
    e.email = std::move(email);
    e.type = type;
    e.source = "api";
    return e;
}

sdk::BounceOutcome recordOk(sdk::Storage& s, const sdk::BounceEvent& e, sdk::BounceRule rule = {}) {
    sdk::BounceOutcome out;
    REQUIRE_OK(s.bounces().record(e, rule, out));
    return out;
}

}  // namespace

TEST_CASE_METHOD(StoreFixture, "bounces: recorded by e-mail or UUID, linked to the campaign, listed and deleted",
                 "[bounces]") {
    const auto list = makeList(store, "L");
    const auto ada = makeSub(store, "ada@example.com", {list.id}, sdk::SubscriptionStatus::Confirmed, "Ada");
    const auto bob = makeSub(store, "bob@example.com", {list.id}, sdk::SubscriptionStatus::Confirmed, "Bob");
    sdk::CampaignDraft cd;
    cd.name = "Launch";
    cd.subject = "Hi";
    cd.from_email = "a@b.c";
    cd.list_ids = {list.id};
    sdk::Campaign campaign;
    REQUIRE_OK(store.campaigns().create(cd, campaign));

    auto e = bounceOf("ADA@example.com", sdk::BounceType::Soft);
    e.campaign_uuid = campaign.uuid;
    e.meta_json = R"({"reason": "mailbox full"})";
    e.created_at = sdk::Timestamp(std::chrono::microseconds(1700000000000000));
    auto out = recordOk(store, e);
    CHECK(out.recorded);
    CHECK(out.subscriber_id == ada.id);
    CHECK(out.count == 1);
    CHECK(out.applied == sdk::BounceAction::None);

    sdk::BounceEvent by_uuid;
    by_uuid.subscriber_uuid = bob.uuid;
    by_uuid.type = sdk::BounceType::Complaint;
    by_uuid.source = "ses";
    by_uuid.campaign_uuid = "00000000-0000-0000-0000-000000000000";  // unknown: recorded unlinked
    CHECK(recordOk(store, by_uuid).subscriber_id == bob.id);

    CHECK_FALSE(recordOk(store, bounceOf("nobody@example.com")).recorded);

    sdk::Bounce b;
    REQUIRE_OK(store.bounces().get(out.bounce_id, b));
    CHECK(b.email == "ada@example.com");
    CHECK(b.subscriber_uuid == ada.uuid);
    CHECK(b.campaign_id == campaign.id);
    CHECK(b.campaign_uuid == campaign.uuid);
    CHECK(b.campaign_name == "Launch");
    CHECK(b.type == sdk::BounceType::Soft);
    CHECK(b.source == "api");
    CHECK(b.meta_json == R"({"reason": "mailbox full"})");
    CHECK(b.created_at == *e.created_at);

    sdk::Campaign with_count;
    REQUIRE_OK(store.campaigns().get(campaign.id, with_count));
    CHECK(with_count.bounces == 1);

    sdk::BouncePage page;
    sdk::BounceQuery q;
    REQUIRE_OK(store.bounces().query(q, page));
    CHECK(page.total == 2);
    q.source = "ses";
    REQUIRE_OK(store.bounces().query(q, page));
    REQUIRE(page.total == 1);
    CHECK(page.results[0].campaign_id == 0);
    q = {};
    q.campaign_id = campaign.id;
    REQUIRE_OK(store.bounces().query(q, page));
    CHECK(page.total == 1);
    q = {};
    q.type = sdk::BounceType::Complaint;
    q.subscriber_id = bob.id;
    REQUIRE_OK(store.bounces().query(q, page));
    CHECK(page.total == 1);
    q = {};
    q.order_by = "email";
    q.order = sdk::SortOrder::Asc;
    q.per_page = 1;
    q.page = 2;
    REQUIRE_OK(store.bounces().query(q, page));
    CHECK(page.total == 2);
    REQUIRE(page.results.size() == 1);
    CHECK(page.results[0].email == "bob@example.com");

    std::int64_t n = 0;
    REQUIRE_OK(store.bounces().remove({out.bounce_id, 9999}, n));
    CHECK(n == 1);
    CHECK(store.bounces().get(out.bounce_id, b).code() == StatusCode::NotFound);
    REQUIRE_OK(store.bounces().removeAll(ada.id, n));
    CHECK(n == 0);
    REQUIRE_OK(store.bounces().removeAll(std::nullopt, n));
    CHECK(n == 1);

    auto bad = bounceOf("ada@example.com");
    bad.meta_json = "{not json";
    sdk::BounceOutcome none;
    CHECK(store.bounces().record(bad, {}, none).code() == StatusCode::Invalid);
    q = {};
    REQUIRE_OK(store.bounces().query(q, page));
    CHECK(page.total == 0);
}

TEST_CASE_METHOD(StoreFixture, "bounces: actions apply when the count reaches the rule", "[bounces]") {
    const auto list = makeList(store, "L");
    const auto s = makeSub(store, "s@example.com", {list.id}, sdk::SubscriptionStatus::Confirmed);
    const sdk::BounceRule soft{2, sdk::BounceAction::Unsubscribe};

    SECTION("unsubscribe at the second soft bounce") {
        auto first = recordOk(store, bounceOf("s@example.com", sdk::BounceType::Soft), soft);
        CHECK(first.applied == sdk::BounceAction::None);
        CHECK(fetch(store, s.id).lists[0].status == sdk::SubscriptionStatus::Confirmed);
        // Other types do not count towards soft.
        recordOk(store, bounceOf("s@example.com", sdk::BounceType::Hard), {});
        auto second = recordOk(store, bounceOf("s@example.com", sdk::BounceType::Soft), soft);
        CHECK(second.count == 2);
        CHECK(second.applied == sdk::BounceAction::Unsubscribe);
        const auto after = fetch(store, s.id);
        CHECK(after.lists[0].status == sdk::SubscriptionStatus::Unsubscribed);
        CHECK(after.status == sdk::SubscriberStatus::Enabled);
    }
    SECTION("blocklist unsubscribes too, and later bounces are still stored") {
        const sdk::BounceRule hard{1, sdk::BounceAction::Blocklist};
        CHECK(recordOk(store, bounceOf("s@example.com"), hard).applied == sdk::BounceAction::Blocklist);
        auto after = fetch(store, s.id);
        CHECK(after.status == sdk::SubscriberStatus::Blocklisted);
        CHECK(after.lists[0].status == sdk::SubscriptionStatus::Unsubscribed);
        CHECK(recordOk(store, bounceOf("s@example.com"), hard).count == 2);
    }
    SECTION("delete removes the subscriber and their bounces") {
        auto out = recordOk(store, bounceOf("s@example.com", sdk::BounceType::Complaint), {1, sdk::BounceAction::Delete});
        CHECK(out.applied == sdk::BounceAction::Delete);
        sdk::Subscriber gone;
        CHECK(store.subscribers().get(s.id, gone).code() == StatusCode::NotFound);
        sdk::BouncePage page;
        REQUIRE_OK(store.bounces().query({}, page));
        CHECK(page.total == 0);
    }
    SECTION("a count of zero never triggers") {
        CHECK(recordOk(store, bounceOf("s@example.com"), {0, sdk::BounceAction::Delete}).applied ==
              sdk::BounceAction::None);
    }
    SECTION("blocklistBounced blocklists every bounced subscriber") {
        makeSub(store, "clean@example.com", {list.id}, sdk::SubscriptionStatus::Confirmed);
        recordOk(store, bounceOf("s@example.com", sdk::BounceType::Soft), {});
        std::int64_t n = 0;
        REQUIRE_OK(store.bounces().blocklistBounced(n));
        CHECK(n == 1);
        CHECK(fetch(store, s.id).status == sdk::SubscriberStatus::Blocklisted);
        REQUIRE_OK(store.bounces().blocklistBounced(n));
        CHECK(n == 0);
    }
}

TEST_CASE_METHOD(StoreFixture, "bounces: concurrent bounces of one subscriber cross the threshold once",
                 "[bounces]") {
    makeSub(store, "c@example.com");
    std::vector<std::thread> threads;
    std::atomic<int> applied{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            sdk::BounceOutcome out;
            if (store.bounces().record(bounceOf("c@example.com", sdk::BounceType::Soft), {3, sdk::BounceAction::Unsubscribe}, out) &&
                out.count == 3)
                ++applied;
        });
    for (auto& t : threads) t.join();
    CHECK(applied == 1);
    sdk::BouncePage page;
    REQUIRE_OK(store.bounces().query({}, page));
    CHECK(page.total == 8);
}
