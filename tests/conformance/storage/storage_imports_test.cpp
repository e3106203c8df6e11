// Store-independent conformance tests for sdk::ImportStore (see storage_harness.hpp): one live
// import at a time, progress counted with its batch, stop requests, staleness and abandonment,
// the log, and bulk loading in both modes with and without overwrite.
#include "conformance_support.hpp"

#include <tidings/sdk/v1/import.hpp>

using namespace tidings::conformance;

namespace {

using std::chrono::seconds;

sdk::ImportRecord record(std::string email, std::string name = "Someone", std::string attribs = "{}") {
    return {std::move(email), std::move(name), std::move(attribs)};
}

sdk::ImportState beginImport(sdk::Storage& s, const std::string& name = "file.csv", const std::string& owner = "me") {
    sdk::ImportStart start;
    start.name = name;
    start.owner = owner;
    start.total = 10;
    sdk::ImportState out;
    REQUIRE_OK(s.imports().begin(start, out));
    return out;
}

sdk::ImportState current(sdk::Storage& s, seconds stale_after = seconds(60)) {
    sdk::ImportState out;
    REQUIRE_OK(s.imports().current(stale_after, out));
    return out;
}

sdk::SubscriptionStatus membership(sdk::Storage& s, const std::string& email, sdk::Id list) {
    sdk::Subscriber sub;
    REQUIRE_OK(s.subscribers().getByEmail(email, sub));
    for (const auto& m : sub.lists) {
        if (m.list.id == list) return m.status;
    }
    FAIL("no membership of " << email << " in list " << list);
    return {};
}

}  // namespace

TEST_CASE_METHOD(StoreFixture, "imports: one live import at a time, state shared through the store", "[imports]") {
    CHECK(current(store).status == sdk::ImportStatus::None);
    auto first = beginImport(store, "a.csv");
    CHECK(first.run_id > 0);
    CHECK(first.status == sdk::ImportStatus::Importing);
    CHECK(first.name == "a.csv");
    CHECK(first.total == 10);
    sdk::ImportStart again;
    again.name = "b.csv";
    sdk::ImportState out;
    CHECK(store.imports().begin(again, out).code() == StatusCode::Conflict);
    CHECK(store.imports().clear().code() == StatusCode::Conflict);

    REQUIRE_OK(store.imports().finish(first.run_id, sdk::ImportStatus::Finished, 12));
    auto done = current(store);
    CHECK(done.status == sdk::ImportStatus::Finished);
    CHECK(done.total == 12);
    CHECK(store.imports().finish(first.run_id, sdk::ImportStatus::Failed, -1).code() == StatusCode::NotFound);
    CHECK(store.imports().finish(first.run_id, sdk::ImportStatus::Importing, -1).code() == StatusCode::Invalid);

    auto second = beginImport(store, "b.csv");
    CHECK(second.run_id != first.run_id);
    REQUIRE_OK(store.imports().finish(second.run_id, sdk::ImportStatus::Stopped, -1));
    REQUIRE_OK(store.imports().clear());
    CHECK(current(store).status == sdk::ImportStatus::None);
}

TEST_CASE_METHOD(StoreFixture, "imports: batches are counted with their rows and stop requests reach the writer", "[imports]") {
    auto list = makeList(store, "L");
    auto run = beginImport(store);
    sdk::BulkLoadOptions opts;
    opts.list_ids = {list.id};
    sdk::BatchOutcome outcome;
    REQUIRE_OK(store.imports().loadBatch(run.run_id, {record("a@x.com"), record("b@x.com"), record("a@x.com", "Later")},
                                         opts, outcome));
    CHECK(outcome.applied == 2);
    CHECK_FALSE(outcome.stop_requested);
    CHECK(current(store).imported == 2);
    sdk::Subscriber a;
    REQUIRE_OK(store.subscribers().getByEmail("a@x.com", a));
    CHECK(a.name == "Later");  // the last row of an e-mail wins within a batch
    CHECK(membership(store, "b@x.com", list.id) == sdk::SubscriptionStatus::Unconfirmed);

    sdk::ImportState stopping;
    REQUIRE_OK(store.imports().requestStop(stopping));
    CHECK(stopping.status == sdk::ImportStatus::Stopping);
    REQUIRE_OK(store.imports().loadBatch(run.run_id, {record("c@x.com")}, opts, outcome));
    CHECK(outcome.stop_requested);
    bool stop = false;
    REQUIRE_OK(store.imports().heartbeat(run.run_id, 0, stop));
    CHECK(stop);
    REQUIRE_OK(store.imports().finish(run.run_id, sdk::ImportStatus::Stopped, -1));
    CHECK(current(store).imported == 3);
    sdk::ImportState none;
    CHECK(store.imports().requestStop(none).code() == StatusCode::NotFound);
    // A finished run takes no more rows, and writes nothing.
    CHECK(store.imports().loadBatch(run.run_id, {record("d@x.com")}, opts, outcome).code() == StatusCode::NotFound);
    sdk::Subscriber d;
    CHECK(store.subscribers().getByEmail("d@x.com", d).code() == StatusCode::NotFound);
}

TEST_CASE_METHOD(StoreFixture, "imports: an unknown list fails the whole batch", "[imports]") {
    auto run = beginImport(store);
    sdk::BulkLoadOptions opts;
    opts.list_ids = {999999};
    sdk::BatchOutcome outcome;
    CHECK(store.imports().loadBatch(run.run_id, {record("a@x.com")}, opts, outcome).code() == StatusCode::Invalid);
    sdk::Subscriber a;
    CHECK(store.subscribers().getByEmail("a@x.com", a).code() == StatusCode::NotFound);
    CHECK(current(store).imported == 0);
}

TEST_CASE_METHOD(StoreFixture, "imports: overwrite off keeps profiles and statuses, on replaces them", "[imports]") {
    auto list = makeList(store, "L");
    makeSub(store, "a@x.com", {list.id});
    auto run = beginImport(store);
    sdk::BulkLoadOptions opts;
    opts.list_ids = {list.id};
    opts.subscription_status = sdk::SubscriptionStatus::Confirmed;
    sdk::BatchOutcome outcome;
    REQUIRE_OK(store.imports().loadBatch(run.run_id, {record("a@x.com", "New", R"({"k": 1})")}, opts, outcome));
    sdk::Subscriber a;
    REQUIRE_OK(store.subscribers().getByEmail("a@x.com", a));
    CHECK(a.name == "Someone");
    CHECK(membership(store, "a@x.com", list.id) == sdk::SubscriptionStatus::Unconfirmed);

    opts.overwrite_userinfo = true;
    opts.overwrite_subscription_status = true;
    REQUIRE_OK(store.imports().loadBatch(run.run_id, {record("a@x.com", "New", R"({"k": 1})")}, opts, outcome));
    REQUIRE_OK(store.subscribers().getByEmail("a@x.com", a));
    CHECK(a.name == "New");
    CHECK(a.attribs_json.find("\"k\"") != std::string::npos);
    CHECK(a.status == sdk::SubscriberStatus::Enabled);
    CHECK(membership(store, "a@x.com", list.id) == sdk::SubscriptionStatus::Confirmed);
    harness().settleCounts();
    sdk::List counted;
    REQUIRE_OK(store.lists().get(list.id, counted));
    CHECK(counted.subscription_counts.confirmed == 1);
}

TEST_CASE_METHOD(StoreFixture, "imports: blocklist mode blocklists new and existing and unsubscribes", "[imports]") {
    auto list = makeList(store, "L");
    makeSub(store, "old@x.com", {list.id});
    auto run = beginImport(store);
    sdk::BulkLoadOptions opts;
    opts.mode = sdk::ImportMode::Blocklist;
    opts.list_ids = {list.id};  // ignored in blocklist mode
    sdk::BatchOutcome outcome;
    REQUIRE_OK(store.imports().loadBatch(run.run_id, {record("old@x.com"), record("new@x.com")}, opts, outcome));
    CHECK(outcome.applied == 2);
    sdk::Subscriber old_sub, new_sub;
    REQUIRE_OK(store.subscribers().getByEmail("old@x.com", old_sub));
    REQUIRE_OK(store.subscribers().getByEmail("new@x.com", new_sub));
    CHECK(old_sub.status == sdk::SubscriberStatus::Blocklisted);
    CHECK(new_sub.status == sdk::SubscriberStatus::Blocklisted);
    CHECK(new_sub.lists.empty());
    CHECK(membership(store, "old@x.com", list.id) == sdk::SubscriptionStatus::Unsubscribed);
}

TEST_CASE_METHOD(StoreFixture, "imports: stale and abandoned imports become failed with their count", "[imports]") {
    auto run = beginImport(store, "a.csv", "host-a");
    sdk::BatchOutcome outcome;
    REQUIRE_OK(store.imports().loadBatch(run.run_id, {record("a@x.com")}, {}, outcome));
    std::int64_t affected = 0;
    REQUIRE_OK(store.imports().abandon("host-b", affected));
    CHECK(affected == 0);
    CHECK(current(store).status == sdk::ImportStatus::Importing);
    REQUIRE_OK(store.imports().abandon("host-a", affected));
    CHECK(affected == 1);
    auto failed = current(store);
    CHECK(failed.status == sdk::ImportStatus::Failed);
    CHECK(failed.imported == 1);

    auto second = beginImport(store, "b.csv", "host-a");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto stale = current(store, seconds(1));
    CHECK(stale.status == sdk::ImportStatus::Failed);
    bool stop = false;
    CHECK(store.imports().heartbeat(second.run_id, 0, stop).code() == StatusCode::NotFound);
    beginImport(store, "c.csv");  // the slot is free again
}

TEST_CASE_METHOD(StoreFixture, "imports: the log keeps lines in order and goes with its import", "[imports]") {
    auto run = beginImport(store);
    REQUIRE_OK(store.imports().appendLog(run.run_id, {"line 2: bad", "line 5: worse, \"quoted\"\ttab"}));
    REQUIRE_OK(store.imports().appendLog(run.run_id, {"finished"}));
    std::string text;
    REQUIRE_OK(store.imports().log(text));
    CHECK(text == "line 2: bad\nline 5: worse, \"quoted\"\ttab\nfinished");
    REQUIRE_OK(store.imports().finish(run.run_id, sdk::ImportStatus::Finished, -1));
    auto next = beginImport(store);
    REQUIRE_OK(store.imports().log(text));
    CHECK(text.empty());
    CHECK(store.imports().appendLog(run.run_id, {"late"}).code() == StatusCode::NotFound);
    REQUIRE_OK(store.imports().appendLog(next.run_id, {"x"}));
}
