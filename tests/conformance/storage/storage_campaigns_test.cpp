// Store-independent conformance tests for sdk::TemplateStore, sdk::CampaignStore and
// sdk::DeliveryStore (see storage_harness.hpp): CRUD, status transitions, recipient selection,
// leased batches under concurrency, the ledger and retries.
#include "conformance_support.hpp"

#include <atomic>
#include <mutex>

#include <tidings/sdk/v1/campaign.hpp>

using namespace tidings::conformance;

namespace {

using std::chrono::seconds;

sdk::TemplateDraft templateDraft(std::string name, sdk::TemplateType type = sdk::TemplateType::Campaign) {
    sdk::TemplateDraft d;
    d.name = std::move(name);
    d.type = type;
    d.body = R"(<p>{{ template "content" . }}</p>)";
    if (type == sdk::TemplateType::Tx) d.subject = "Hello {{ .Subscriber.Name }}";
    return d;
}

sdk::CampaignDraft campaignDraft(std::vector<sdk::Id> lists, std::string name = "Launch") {
    sdk::CampaignDraft d;
    d.name = std::move(name);
    d.subject = "Hello {{ .Subscriber.FirstName }}";
    d.from_email = "News <news@example.com>";
    d.body = "<p>Body</p>";
    d.list_ids = std::move(lists);
    return d;
}

sdk::Campaign makeCampaign(sdk::Storage& s, sdk::CampaignDraft d) {
    sdk::Campaign out;
    REQUIRE_OK(s.campaigns().create(d, out));
    return out;
}

sdk::Campaign start(sdk::Storage& s, sdk::Id id) {
    sdk::Campaign out;
    REQUIRE_OK(s.campaigns().transition(id, {sdk::CampaignStatus::Draft, sdk::CampaignStatus::Paused},
                                        sdk::CampaignStatus::Running, out));
    return out;
}

// Claims and completes every batch, recording each recipient as sent; returns the ids sent to.
std::vector<sdk::Id> drain(sdk::Storage& s, sdk::Id campaign, std::size_t size = 3) {
    std::vector<sdk::Id> sent;
    for (int guard = 0; guard < 10000; ++guard) {
        sdk::RecipientBatch b;
        REQUIRE_OK(s.deliveries().claimBatch(campaign, size, seconds(30), b));
        if (b.id == 0) {
            REQUIRE(b.exhausted);
            break;
        }
        std::vector<sdk::Delivery> ds;
        for (const auto& r : b.recipients) {
            sent.push_back(r.id);
            ds.push_back({r.id, sdk::DeliveryStatus::Sent, ""});
        }
        REQUIRE_OK(s.deliveries().record(campaign, ds));
        REQUIRE_OK(s.deliveries().completeBatch(b.id));
    }
    return sent;
}

sdk::Campaign fetchCampaign(sdk::Storage& s, sdk::Id id) {
    sdk::Campaign out;
    REQUIRE_OK(s.campaigns().get(id, out));
    return out;
}

}  // namespace

// ---- templates ----------------------------------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "templates: the first campaign template is the default; default rules hold",
                 "[templates]") {
    sdk::Template tx, first, second, none;
    CHECK(store.templates().getDefault(none).code() == StatusCode::NotFound);
    REQUIRE_OK(store.templates().create(templateDraft("Receipt", sdk::TemplateType::Tx), tx));
    CHECK_FALSE(tx.is_default);
    CHECK(tx.subject == "Hello {{ .Subscriber.Name }}");
    REQUIRE_OK(store.templates().create(templateDraft("First"), first));
    REQUIRE_OK(store.templates().create(templateDraft("Second"), second));
    CHECK(first.is_default);
    CHECK_FALSE(second.is_default);

    sdk::Template def;
    REQUIRE_OK(store.templates().getDefault(def));
    CHECK(def.id == first.id);

    CHECK(store.templates().setDefault(tx.id, def).code() == StatusCode::Invalid);
    REQUIRE_OK(store.templates().setDefault(second.id, def));
    CHECK(def.is_default);
    sdk::Template reread;
    REQUIRE_OK(store.templates().get(first.id, reread));
    CHECK_FALSE(reread.is_default);

    CHECK(store.templates().remove(second.id).code() == StatusCode::Conflict);
    REQUIRE_OK(store.templates().remove(first.id));
    CHECK(store.templates().get(first.id, reread).code() == StatusCode::NotFound);
    CHECK(store.templates().remove(first.id).code() == StatusCode::NotFound);

    std::vector<sdk::Template> all, txs;
    REQUIRE_OK(store.templates().list(std::nullopt, false, all));
    REQUIRE(all.size() == 2);
    CHECK(all[0].body.empty());
    REQUIRE_OK(store.templates().list(sdk::TemplateType::Tx, true, txs));
    REQUIRE(txs.size() == 1);
    CHECK(txs[0].body == R"(<p>{{ template "content" . }}</p>)");

    auto d = templateDraft("Renamed");
    d.body = "changed {{ template \"content\" . }}";
    REQUIRE_OK(store.templates().update(second.id, d, reread));
    CHECK(reread.name == "Renamed");
    CHECK(reread.is_default);
    d.type = sdk::TemplateType::Tx;
    CHECK(store.templates().update(second.id, d, reread).code() == StatusCode::Invalid);
    CHECK(store.templates().update(9999, d, reread).code() == StatusCode::NotFound);
}

// ---- campaigns ----------------------------------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "campaigns: create, read, update and delete keep every field", "[campaigns]") {
    const auto a = makeList(store, "Alpha"), b = makeList(store, "Beta");
    sdk::Template tpl;
    REQUIRE_OK(store.templates().create(templateDraft("Default"), tpl));
    auto d = campaignDraft({b.id, a.id});
    d.tags = {"news", "q3"};
    d.headers_json = R"([{"X-Tag": "one"}])";
    d.attribs_json = R"({"issue": 7})";
    d.template_id = tpl.id;
    d.altbody = "plain";
    d.content_type = sdk::ContentType::Markdown;
    d.archive = true;
    d.archive_slug = "launch-day";
    d.send_at = sdk::Timestamp(std::chrono::microseconds(1893456000123456));  // 2030-01-01
    const auto c = makeCampaign(store, d);

    CHECK(c.id > 0);
    CHECK(c.uuid.size() == 36);
    CHECK(c.status == sdk::CampaignStatus::Draft);
    CHECK(c.subject == d.subject);
    CHECK(c.from_email == d.from_email);
    CHECK(c.altbody == "plain");
    CHECK(c.content_type == sdk::ContentType::Markdown);
    CHECK(c.tags == std::vector<std::string>{"news", "q3"});
    CHECK(c.headers_json == R"([{"X-Tag": "one"}])");
    CHECK(c.attribs_json == R"({"issue": 7})");
    CHECK(c.template_id == tpl.id);
    CHECK(c.archive);
    CHECK(c.archive_slug == "launch-day");
    CHECK(c.send_at == d.send_at);
    REQUIRE(c.lists.size() == 2);
    CHECK(c.lists[0].id == a.id);
    CHECK(c.lists[0].name == "Alpha");
    CHECK(c.lists[1].id == b.id);

    sdk::Campaign by_uuid;
    REQUIRE_OK(store.campaigns().getByUuid(c.uuid, by_uuid));
    CHECK(by_uuid.id == c.id);
    CHECK(store.campaigns().getByUuid("not-a-uuid", by_uuid).code() == StatusCode::NotFound);

    auto changed = d;
    changed.name = "Relaunch";
    changed.list_ids = {a.id};
    changed.send_at.reset();
    changed.template_id.reset();
    sdk::Campaign updated;
    REQUIRE_OK(store.campaigns().update(c.id, changed, updated));
    CHECK(updated.name == "Relaunch");
    CHECK_FALSE(updated.send_at.has_value());
    CHECK_FALSE(updated.template_id.has_value());
    REQUIRE(updated.lists.size() == 1);
    CHECK(updated.uuid == c.uuid);

    // A renamed list is renamed in the campaign; a deleted one keeps its name, without an id.
    sdk::ListDraft rename;
    rename.name = "Alpha Prime";
    sdk::List renamed;
    REQUIRE_OK(store.lists().update(a.id, rename, renamed));
    std::int64_t n = 0;
    REQUIRE_OK(store.lists().remove({a.id}, n));
    const auto after = fetchCampaign(store, c.id);
    REQUIRE(after.lists.size() == 1);
    CHECK(after.lists[0].id == 0);
    CHECK(after.lists[0].name == "Alpha Prime");

    REQUIRE_OK(store.campaigns().remove(c.id));
    CHECK(store.campaigns().get(c.id, by_uuid).code() == StatusCode::NotFound);
    CHECK(store.campaigns().remove(c.id).code() == StatusCode::NotFound);
}

TEST_CASE_METHOD(StoreFixture, "campaigns: bad references and duplicate slugs are refused and write nothing",
                 "[campaigns]") {
    const auto a = makeList(store, "Alpha");
    sdk::Campaign out;
    auto d = campaignDraft({a.id, a.id + 50});
    auto st = store.campaigns().create(d, out);
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message() == "lists: list " + std::to_string(a.id + 50) + " does not exist");

    d = campaignDraft({a.id});
    d.template_id = 777;
    st = store.campaigns().create(d, out);
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message() == "template_id: template 777 does not exist");

    d = campaignDraft({a.id});
    d.archive_slug = "same";
    REQUIRE_OK(store.campaigns().create(d, out));
    st = store.campaigns().create(d, out);
    CHECK(st.code() == StatusCode::Conflict);
    CHECK(st.message() == "archive_slug: already exists");

    d = campaignDraft({a.id});
    d.segment = "subscribers.id IN (SELECT id FROM users)";
    st = store.campaigns().create(d, out);
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message() == "segment: table 'users' is not allowed");
    d.segment = "x) OR (1=1";
    st = store.campaigns().create(d, out);
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message() == "segment: unbalanced parentheses");
    d.segment = "no_such_column = 1";
    st = store.campaigns().create(d, out);
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message().rfind("segment: ", 0) == 0);

    sdk::CampaignPage page;
    sdk::CampaignQuery q;
    REQUIRE_OK(store.campaigns().query(q, page));
    CHECK(page.total == 1);
}

TEST_CASE_METHOD(StoreFixture, "campaigns: query filters, orders and pages", "[campaigns]") {
    const auto a = makeList(store, "Alpha");
    for (int i = 1; i <= 5; ++i) {
        auto d = campaignDraft({a.id}, "Campaign " + std::to_string(i));
        if (i % 2 == 0) d.tags = {"even"};
        makeCampaign(store, d);
    }
    sdk::Campaign running;
    REQUIRE_OK(store.campaigns().transition(1, {sdk::CampaignStatus::Draft}, sdk::CampaignStatus::Running, running));

    sdk::CampaignQuery q;
    q.order_by = "id";
    q.order = sdk::SortOrder::Asc;
    q.per_page = 2;
    q.page = 2;
    q.with_body = false;
    sdk::CampaignPage page;
    REQUIRE_OK(store.campaigns().query(q, page));
    CHECK(page.total == 5);
    REQUIRE(page.results.size() == 2);
    CHECK(page.results[0].id == 3);
    CHECK(page.results[0].body.empty());
    CHECK(page.results[0].lists.size() == 1);

    q = {};
    q.tags = {"even"};
    REQUIRE_OK(store.campaigns().query(q, page));
    CHECK(page.total == 2);
    q = {};
    q.statuses = {sdk::CampaignStatus::Running};
    REQUIRE_OK(store.campaigns().query(q, page));
    REQUIRE(page.total == 1);
    CHECK(page.results[0].id == 1);
    q = {};
    q.search = "campaign 4";
    REQUIRE_OK(store.campaigns().query(q, page));
    REQUIRE(page.total == 1);
    CHECK(page.results[0].name == "Campaign 4");

    std::vector<std::pair<sdk::Id, sdk::CampaignStatus>> st;
    REQUIRE_OK(store.campaigns().statuses({1, 2, 99}, st));
    REQUIRE(st.size() == 2);
    CHECK(st[0] == std::pair<sdk::Id, sdk::CampaignStatus>{1, sdk::CampaignStatus::Running});
    CHECK(st[1].second == sdk::CampaignStatus::Draft);
}

TEST_CASE_METHOD(StoreFixture, "campaigns: transitions are conditional and a first run fixes its recipients",
                 "[campaigns]") {
    const auto single = makeList(store, "Single");
    sdk::ListDraft dd;
    dd.name = "Double";
    dd.optin = sdk::ListOptin::Double;
    sdk::List dbl;
    REQUIRE_OK(store.lists().create(dd, dbl));
    makeSub(store, "a@x.org", {single.id}, sdk::SubscriptionStatus::Unconfirmed);
    makeSub(store, "b@x.org", {single.id}, sdk::SubscriptionStatus::Confirmed);
    makeSub(store, "c@x.org", {single.id}, sdk::SubscriptionStatus::Unsubscribed);
    makeSub(store, "d@x.org", {dbl.id}, sdk::SubscriptionStatus::Unconfirmed);
    makeSub(store, "e@x.org", {dbl.id}, sdk::SubscriptionStatus::Confirmed);
    const auto blocked = makeSub(store, "f@x.org", {single.id}, sdk::SubscriptionStatus::Confirmed);
    sdk::SubscriberDraft block;
    block.status = sdk::SubscriberStatus::Blocklisted;
    sdk::Subscriber tmp;
    REQUIRE_OK(store.subscribers().update(blocked.id, block, std::nullopt, sdk::SubscriptionStatus::Unconfirmed, tmp));
    makeSub(store, "g@x.org");  // on no list

    const auto c = makeCampaign(store, campaignDraft({single.id, dbl.id}));
    sdk::Campaign out;
    auto st = store.campaigns().transition(c.id, {sdk::CampaignStatus::Paused}, sdk::CampaignStatus::Running, out);
    CHECK(st.code() == StatusCode::Conflict);
    CHECK(st.message() == "status: campaign is draft");
    CHECK(store.campaigns().transition(999, {sdk::CampaignStatus::Draft}, sdk::CampaignStatus::Running, out).code() ==
          StatusCode::NotFound);

    out = start(store, c.id);
    CHECK(out.status == sdk::CampaignStatus::Running);
    CHECK(out.started_at.has_value());
    CHECK(out.to_send == 3);  // a (single, unconfirmed), b, e (double, confirmed)

    // Subscribers who join after the start are outside the run's range.
    makeSub(store, "late@x.org", {single.id}, sdk::SubscriptionStatus::Confirmed);
    auto sent = drain(store, c.id);
    std::sort(sent.begin(), sent.end());
    CHECK(sent == std::vector<sdk::Id>{1, 2, 5});

    bool finished = false;
    REQUIRE_OK(store.deliveries().finishIfDone(c.id, finished));
    CHECK(finished);
    const auto done = fetchCampaign(store, c.id);
    CHECK(done.status == sdk::CampaignStatus::Finished);
    CHECK(done.sent == 3);
    CHECK(done.failed == 0);
    sdk::RecipientBatch b;
    CHECK(store.deliveries().claimBatch(c.id, 10, seconds(30), b).code() == StatusCode::Conflict);

    // An opt-in campaign goes to the unconfirmed subscribers of double opt-in lists only.
    auto optin = campaignDraft({single.id, dbl.id}, "Confirm");
    optin.type = sdk::CampaignType::Optin;
    const auto oc = makeCampaign(store, optin);
    CHECK(start(store, oc.id).to_send == 1);
    CHECK(drain(store, oc.id) == std::vector<sdk::Id>{4});
}

TEST_CASE_METHOD(StoreFixture, "campaigns: a segment narrows the lists, or selects recipients alone",
                 "[campaigns]") {
    const auto l = makeList(store, "L");
    makeSub(store, "ldn1@x.org", {l.id}, sdk::SubscriptionStatus::Confirmed, "A", R"({"city": "London"})");
    makeSub(store, "par@x.org", {l.id}, sdk::SubscriptionStatus::Confirmed, "B", R"({"city": "Paris"})");
    makeSub(store, "ldn2@x.org", {}, sdk::SubscriptionStatus::Confirmed, "C", R"({"city": "London"})");

    auto d = campaignDraft({l.id});
    d.segment = "subscribers.attribs->>'city' = 'London'";
    const auto narrowed = makeCampaign(store, d);
    CHECK(start(store, narrowed.id).to_send == 1);
    CHECK(drain(store, narrowed.id) == std::vector<sdk::Id>{1});

    d.list_ids.clear();
    const auto alone = makeCampaign(store, d);
    CHECK(start(store, alone.id).to_send == 2);
    CHECK(drain(store, alone.id) == std::vector<sdk::Id>{1, 3});
}

TEST_CASE_METHOD(StoreFixture, "campaigns: scheduled campaigns start once when due", "[campaigns]") {
    const auto l = makeList(store, "L");
    makeSub(store, "a@x.org", {l.id}, sdk::SubscriptionStatus::Confirmed);
    const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    auto d = campaignDraft({l.id});
    d.send_at = now - std::chrono::minutes(1);
    const auto due = makeCampaign(store, d);
    d.send_at = now + std::chrono::hours(1);
    const auto later = makeCampaign(store, d);
    sdk::Campaign out;
    REQUIRE_OK(store.campaigns().transition(due.id, {sdk::CampaignStatus::Draft}, sdk::CampaignStatus::Scheduled, out));
    REQUIRE_OK(store.campaigns().transition(later.id, {sdk::CampaignStatus::Draft}, sdk::CampaignStatus::Scheduled, out));

    std::vector<sdk::Id> started;
    REQUIRE_OK(store.campaigns().startDue(now, started));
    CHECK(started == std::vector<sdk::Id>{due.id});
    REQUIRE_OK(store.campaigns().startDue(now, started));
    CHECK(started.empty());
    CHECK(fetchCampaign(store, due.id).to_send == 1);
    CHECK(fetchCampaign(store, later.id).status == sdk::CampaignStatus::Scheduled);
}

// ---- deliveries ---------------------------------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "deliveries: concurrent claimers get disjoint batches covering every recipient",
                 "[deliveries]") {
    const auto l = makeList(store, "Big");
    for (int i = 0; i < 600; ++i) makeSub(store, "r" + std::to_string(i) + "@x.org", {l.id}, sdk::SubscriptionStatus::Confirmed);
    const auto c = makeCampaign(store, campaignDraft({l.id}));
    CHECK(start(store, c.id).to_send == 600);

    std::mutex m;
    std::vector<sdk::Id> seen;
    std::atomic<int> errors{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
        workers.emplace_back([&] {
            for (;;) {
                sdk::RecipientBatch b;
                if (!store.deliveries().claimBatch(c.id, 37, seconds(30), b)) {
                    ++errors;
                    return;
                }
                if (b.id == 0) {
                    if (b.exhausted) return;
                    continue;
                }
                std::vector<sdk::Delivery> ds;
                for (const auto& r : b.recipients) ds.push_back({r.id, sdk::DeliveryStatus::Sent, ""});
                if (!store.deliveries().record(c.id, ds) || !store.deliveries().completeBatch(b.id)) ++errors;
                std::lock_guard lock(m);
                for (const auto& r : b.recipients) seen.push_back(r.id);
            }
        });
    }
    for (auto& t : workers) t.join();
    CHECK(errors == 0);
    std::sort(seen.begin(), seen.end());
    CHECK(seen.size() == 600);
    CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
    bool finished = false;
    REQUIRE_OK(store.deliveries().finishIfDone(c.id, finished));
    CHECK(finished);
    CHECK(fetchCampaign(store, c.id).sent == 600);
}

TEST_CASE_METHOD(StoreFixture, "deliveries: a lapsed or released lease is reclaimed without the recorded recipients",
                 "[deliveries]") {
    const auto l = makeList(store, "L");
    for (int i = 0; i < 5; ++i) makeSub(store, "s" + std::to_string(i) + "@x.org", {l.id}, sdk::SubscriptionStatus::Confirmed);
    const auto c = makeCampaign(store, campaignDraft({l.id}));
    start(store, c.id);

    sdk::RecipientBatch first;
    REQUIRE_OK(store.deliveries().claimBatch(c.id, 10, seconds(30), first));
    REQUIRE(first.recipients.size() == 5);
    // The holder records two recipients, then "dies" (its lease released).
    REQUIRE_OK(store.deliveries().record(c.id, {{1, sdk::DeliveryStatus::Sent, ""}, {2, sdk::DeliveryStatus::Sent, ""}}));

    sdk::RecipientBatch none;
    REQUIRE_OK(store.deliveries().claimBatch(c.id, 10, seconds(30), none));
    CHECK(none.id == 0);
    CHECK(none.exhausted);
    bool finished = true;
    REQUIRE_OK(store.deliveries().finishIfDone(c.id, finished));
    CHECK_FALSE(finished);  // a batch is still out

    REQUIRE_OK(store.deliveries().renewBatch(first.id, seconds(0)));
    sdk::RecipientBatch again;
    REQUIRE_OK(store.deliveries().claimBatch(c.id, 10, seconds(30), again));
    CHECK(again.id == first.id);
    std::vector<sdk::Id> ids;
    for (const auto& r : again.recipients) ids.push_back(r.id);
    CHECK(ids == std::vector<sdk::Id>{3, 4, 5});
    REQUIRE_OK(store.deliveries().completeBatch(again.id));
    CHECK(store.deliveries().renewBatch(again.id, seconds(5)).code() == StatusCode::NotFound);
    REQUIRE_OK(store.deliveries().finishIfDone(c.id, finished));
    CHECK(finished);
}

TEST_CASE_METHOD(StoreFixture, "deliveries: the ledger pages by status and a retry sends only the failures",
                 "[deliveries]") {
    const auto l = makeList(store, "L");
    for (int i = 0; i < 6; ++i) makeSub(store, "s" + std::to_string(i) + "@x.org", {l.id}, sdk::SubscriptionStatus::Confirmed);
    const auto c = makeCampaign(store, campaignDraft({l.id}));
    start(store, c.id);
    sdk::RecipientBatch b;
    REQUIRE_OK(store.deliveries().claimBatch(c.id, 100, seconds(30), b));
    std::vector<sdk::Delivery> ds;
    for (const auto& r : b.recipients)
        ds.push_back(r.id % 3 == 0 ? sdk::Delivery{r.id, sdk::DeliveryStatus::Failed, "550 5.1.1 no such user"}
                                   : sdk::Delivery{r.id, sdk::DeliveryStatus::Sent, ""});
    REQUIRE_OK(store.deliveries().record(c.id, ds));
    REQUIRE_OK(store.deliveries().completeBatch(b.id));
    bool finished = false;
    REQUIRE_OK(store.deliveries().finishIfDone(c.id, finished));
    REQUIRE(finished);
    auto done = fetchCampaign(store, c.id);
    CHECK(done.sent == 4);
    CHECK(done.failed == 2);

    sdk::DeliveryPage page;
    REQUIRE_OK(store.deliveries().deliveries(c.id, sdk::DeliveryStatus::Failed, 1, 1, page));
    CHECK(page.total == 2);
    REQUIRE(page.results.size() == 1);
    CHECK(page.results[0].subscriber_id == 3);
    CHECK(page.results[0].email == "s2@x.org");
    CHECK(page.results[0].error == "550 5.1.1 no such user");
    CHECK(page.results[0].attempts == 1);
    REQUIRE_OK(store.deliveries().deliveries(c.id, std::nullopt, 1, 0, page));
    CHECK(page.total == 6);
    CHECK(store.deliveries().deliveries(999, std::nullopt, 1, 10, page).code() == StatusCode::NotFound);

    std::int64_t affected = 0;
    REQUIRE_OK(store.deliveries().retryFailed(c.id, affected));
    CHECK(affected == 2);
    auto retried = fetchCampaign(store, c.id);
    CHECK(retried.status == sdk::CampaignStatus::Running);
    CHECK(retried.failed == 0);
    CHECK(store.deliveries().retryFailed(c.id, affected).code() == StatusCode::Conflict);
    CHECK(drain(store, c.id) == std::vector<sdk::Id>{3, 6});
    done = fetchCampaign(store, c.id);
    CHECK(done.sent == 6);
    CHECK(done.failed == 0);

    // Recording a recipient again replaces the entry and counts the attempt, keeping totals exact.
    REQUIRE_OK(store.deliveries().record(c.id, {{1, sdk::DeliveryStatus::Failed, "421 try later"}}));
    done = fetchCampaign(store, c.id);
    CHECK(done.sent == 5);
    CHECK(done.failed == 1);
    REQUIRE_OK(store.deliveries().deliveries(c.id, sdk::DeliveryStatus::Failed, 1, 10, page));
    REQUIRE(page.results.size() == 1);
    CHECK(page.results[0].attempts == 2);
}

TEST_CASE_METHOD(StoreFixture, "deliveries: unconfirmed entries count as sent and a retry leaves them alone",
                 "[deliveries]") {
    const auto l = makeList(store, "L");
    for (int i = 0; i < 6; ++i) makeSub(store, "u" + std::to_string(i) + "@x.org", {l.id}, sdk::SubscriptionStatus::Confirmed);
    const auto c = makeCampaign(store, campaignDraft({l.id}));
    start(store, c.id);
    sdk::RecipientBatch b;
    REQUIRE_OK(store.deliveries().claimBatch(c.id, 100, seconds(30), b));
    REQUIRE(b.recipients.size() == 6);
    const std::string lost = "smtp 127.0.0.1:25: connection closed by the relay; the relay may have accepted it";
    std::vector<sdk::Delivery> ds;
    for (const auto& r : b.recipients) {
        if (r.id <= 2) ds.push_back({r.id, sdk::DeliveryStatus::Unconfirmed, lost});
        else if (r.id == 3) ds.push_back({r.id, sdk::DeliveryStatus::Failed, "550 5.1.1 no such user"});
        else ds.push_back({r.id, sdk::DeliveryStatus::Sent, ""});
    }
    REQUIRE_OK(store.deliveries().record(c.id, ds));
    REQUIRE_OK(store.deliveries().completeBatch(b.id));
    bool finished = false;
    REQUIRE_OK(store.deliveries().finishIfDone(c.id, finished));
    REQUIRE(finished);
    auto done = fetchCampaign(store, c.id);
    CHECK(done.sent == 5);
    CHECK(done.failed == 1);

    sdk::DeliveryPage page;
    REQUIRE_OK(store.deliveries().deliveries(c.id, sdk::DeliveryStatus::Unconfirmed, 1, 10, page));
    CHECK(page.total == 2);
    REQUIRE(page.results.size() == 2);
    CHECK(page.results[0].subscriber_id == 1);
    CHECK(page.results[0].status == sdk::DeliveryStatus::Unconfirmed);
    CHECK(page.results[0].error == lost);
    REQUIRE_OK(store.deliveries().deliveries(c.id, sdk::DeliveryStatus::Sent, 1, 10, page));
    CHECK(page.total == 3);

    // Only the failed recipient is sent again; the unconfirmed ones stay as they are.
    std::int64_t affected = 0;
    REQUIRE_OK(store.deliveries().retryFailed(c.id, affected));
    CHECK(affected == 1);
    CHECK(drain(store, c.id) == std::vector<sdk::Id>{3});
    REQUIRE_OK(store.deliveries().deliveries(c.id, sdk::DeliveryStatus::Unconfirmed, 1, 10, page));
    CHECK(page.total == 2);

    // Replacing an unconfirmed entry keeps the counters equal to the ledger.
    REQUIRE_OK(store.deliveries().record(c.id, {{1, sdk::DeliveryStatus::Failed, "421 try later"}}));
    done = fetchCampaign(store, c.id);
    CHECK(done.sent == 5);
    CHECK(done.failed == 1);
}

TEST_CASE_METHOD(StoreFixture, "deliveries: deleting a campaign removes its run state", "[deliveries]") {
    const auto l = makeList(store, "L");
    makeSub(store, "a@x.org", {l.id}, sdk::SubscriptionStatus::Confirmed);
    const auto c = makeCampaign(store, campaignDraft({l.id}));
    start(store, c.id);
    sdk::RecipientBatch b;
    REQUIRE_OK(store.deliveries().claimBatch(c.id, 10, seconds(30), b));
    REQUIRE_OK(store.deliveries().record(c.id, {{1, sdk::DeliveryStatus::Sent, ""}}));
    REQUIRE_OK(store.campaigns().remove(c.id));
    CHECK(store.deliveries().completeBatch(b.id).code() == StatusCode::NotFound);
    sdk::DeliveryPage page;
    CHECK(store.deliveries().deliveries(c.id, std::nullopt, 1, 10, page).code() == StatusCode::NotFound);
}
