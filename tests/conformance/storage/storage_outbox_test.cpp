// Store-independent conformance tests for sdk::OutboxStore (see storage_harness.hpp): enqueueing,
// claims with leases (exclusive, lapsing), success, retry, giving up, listing and pruning, and
// concurrent claimers that must never hold the same job at once.
#include "conformance_support.hpp"

#include <tidings/sdk/v1/outbox.hpp>

using namespace tidings::conformance;
using namespace std::chrono_literals;

namespace {

sdk::OutboxJob enqueueOk(sdk::Storage& s, std::string event, std::string destination = "crm",
                         std::chrono::milliseconds delay = 0ms, std::string channel = "webhooks") {
    sdk::OutboxDraft d;
    d.channel = std::move(channel);
    d.destination = std::move(destination);
    d.event = std::move(event);
    d.payload = R"({"n": 1})";
    d.delay = delay;
    sdk::OutboxJob out;
    REQUIRE_OK(s.outbox().enqueue(d, out));
    return out;
}

std::vector<sdk::OutboxClaim> claim(sdk::Storage& s, std::string_view token, std::size_t limit = 10,
                                    std::chrono::milliseconds lease = 60s, std::string_view channel = "webhooks") {
    std::vector<sdk::OutboxClaim> out;
    REQUIRE_OK(s.outbox().claimDue(channel, token, limit, lease, out));
    return out;
}

sdk::OutboxJob job(sdk::Storage& s, sdk::Id id) {
    sdk::OutboxJob out;
    REQUIRE_OK(s.outbox().get(id, out));
    return out;
}

}  // namespace

TEST_CASE_METHOD(StoreFixture, "outbox: an enqueued job is pending, claimed once and marked succeeded", "[outbox]") {
    const auto a = enqueueOk(store, "subscriber.created");
    CHECK(a.id > 0);
    CHECK(a.uuid.size() == 36);
    CHECK(a.channel == "webhooks");
    CHECK(a.destination == "crm");
    CHECK(a.event == "subscriber.created");
    CHECK(a.payload == R"({"n": 1})");
    CHECK(a.status == sdk::OutboxStatus::Pending);
    CHECK(a.attempts == 0);
    enqueueOk(store, "other", "crm", 0ms, "another-channel");

    auto claims = claim(store, "p1");
    REQUIRE(claims.size() == 1);  // the other channel's job is not ours
    CHECK(claims[0].job.id == a.id);
    CHECK(claims[0].job.attempts == 1);
    CHECK(claims[0].token == "p1");
    CHECK(claim(store, "p2").empty());  // leased

    REQUIRE_OK(store.outbox().markSucceeded(a.id, "p1", 204));
    const auto done = job(store, a.id);
    CHECK(done.status == sdk::OutboxStatus::Succeeded);
    CHECK(done.last_code == 204);
    CHECK(done.attempts == 1);
    CHECK(claim(store, "p2").empty());
    // Finished: a second mark is refused.
    CHECK(store.outbox().markSucceeded(a.id, "p1", 200).code() == StatusCode::Conflict);
    CHECK(store.outbox().markSucceeded(a.id + 1000, "p1", 200).code() == StatusCode::NotFound);

    sdk::OutboxDraft nameless;
    sdk::OutboxJob ignored;
    CHECK(store.outbox().enqueue(nameless, ignored).code() == StatusCode::Invalid);
}

TEST_CASE_METHOD(StoreFixture, "outbox: a delayed job is not due before its time; claims are oldest first",
                 "[outbox]") {
    const auto later = enqueueOk(store, "e", "crm", 1h);
    const auto first = enqueueOk(store, "e");
    const auto second = enqueueOk(store, "e");
    auto claims = claim(store, "p1", 1);
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].job.id == first.id);
    claims = claim(store, "p1", 10);
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].job.id == second.id);
    CHECK(job(store, later.id).status == sdk::OutboxStatus::Pending);
    CHECK(job(store, later.id).attempts == 0);
}

TEST_CASE_METHOD(StoreFixture, "outbox: a lapsed lease lets another claimer take the job; the first loses it",
                 "[outbox]") {
    const auto a = enqueueOk(store, "e");
    REQUIRE(claim(store, "p1", 10, 150ms).size() == 1);
    CHECK(claim(store, "p2").empty());
    std::this_thread::sleep_for(400ms);
    auto again = claim(store, "p2");
    REQUIRE(again.size() == 1);
    CHECK(again[0].job.id == a.id);
    CHECK(again[0].job.attempts == 2);  // the cut-short attempt counts
    CHECK(store.outbox().markSucceeded(a.id, "p1", 200).code() == StatusCode::Conflict);
    CHECK(store.outbox().markFailed(a.id, "p1", 500, "late", 0ms).code() == StatusCode::Conflict);
    REQUIRE_OK(store.outbox().markSucceeded(a.id, "p2", 200));
}

TEST_CASE_METHOD(StoreFixture, "outbox: a failed attempt is retried after its delay, then given up on",
                 "[outbox]") {
    const auto a = enqueueOk(store, "e");
    REQUIRE(claim(store, "p1").size() == 1);
    REQUIRE_OK(store.outbox().markFailed(a.id, "p1", 503, "HTTP 503", 1h));
    auto failed = job(store, a.id);
    CHECK(failed.status == sdk::OutboxStatus::Failed);
    CHECK(failed.last_code == 503);
    CHECK(failed.last_error == "HTTP 503");
    CHECK(failed.next_attempt_at > failed.updated_at + 30min);
    CHECK(claim(store, "p1").empty());  // not due for an hour

    const auto b = enqueueOk(store, "e");
    REQUIRE(claim(store, "p1").size() == 1);
    REQUIRE_OK(store.outbox().markFailed(b.id, "p1", 0, "connection refused", 0ms));
    auto retry = claim(store, "p2");
    REQUIRE(retry.size() == 1);
    CHECK(retry[0].job.id == b.id);
    CHECK(retry[0].job.attempts == 2);
    CHECK(retry[0].job.status == sdk::OutboxStatus::Failed);
    REQUIRE_OK(store.outbox().markFailed(b.id, "p2", 500, "HTTP 500", std::nullopt));
    const auto dead = job(store, b.id);
    CHECK(dead.status == sdk::OutboxStatus::Dead);
    CHECK(dead.last_error == "HTTP 500");
    CHECK(claim(store, "p3").empty());
}

TEST_CASE_METHOD(StoreFixture, "outbox: listings filter by status and event, newest first, paginated",
                 "[outbox]") {
    std::vector<sdk::Id> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(enqueueOk(store, i % 2 ? "campaign.started" : "subscriber.created").id);
    enqueueOk(store, "subscriber.created", "x", 0ms, "another-channel");
    auto claims = claim(store, "p1", 1);
    REQUIRE(claims.size() == 1);
    REQUIRE_OK(store.outbox().markSucceeded(claims[0].job.id, "p1", 200));

    sdk::OutboxQuery q;
    q.channel = "webhooks";
    q.per_page = 2;
    sdk::OutboxPage page;
    REQUIRE_OK(store.outbox().list(q, page));
    CHECK(page.total == 5);
    REQUIRE(page.results.size() == 2);
    CHECK(page.results[0].id == ids[4]);
    CHECK(page.results[1].id == ids[3]);
    q.page = 3;
    REQUIRE_OK(store.outbox().list(q, page));
    REQUIRE(page.results.size() == 1);
    CHECK(page.results[0].id == ids[0]);

    q = {};
    q.channel = "webhooks";
    q.event = "subscriber.created";
    REQUIRE_OK(store.outbox().list(q, page));
    CHECK(page.total == 3);
    q.status = sdk::OutboxStatus::Succeeded;
    REQUIRE_OK(store.outbox().list(q, page));
    REQUIRE(page.total == 1);
    CHECK(page.results[0].id == ids[0]);
    q.event.clear();
    q.status = sdk::OutboxStatus::Pending;
    q.per_page = 0;
    REQUIRE_OK(store.outbox().list(q, page));
    CHECK(page.total == 4);
    CHECK(page.results.size() == 4);
}

TEST_CASE_METHOD(StoreFixture, "outbox: pruning deletes old final jobs of the channel only", "[outbox]") {
    const auto ok = enqueueOk(store, "e");
    const auto gone = enqueueOk(store, "e");
    const auto open = enqueueOk(store, "e");
    enqueueOk(store, "e", "crm", 0ms, "another-channel");
    REQUIRE(claim(store, "p1", 2).size() == 2);
    REQUIRE_OK(store.outbox().markSucceeded(ok.id, "p1", 200));
    REQUIRE_OK(store.outbox().markFailed(gone.id, "p1", 410, "HTTP 410", std::nullopt));

    std::int64_t affected = -1;
    REQUIRE_OK(store.outbox().prune("webhooks", 3600s, affected));
    CHECK(affected == 0);  // all recent
    std::this_thread::sleep_for(1100ms);
    REQUIRE_OK(store.outbox().prune("webhooks", 1s, affected));
    CHECK(affected == 2);
    sdk::OutboxJob out;
    CHECK(store.outbox().get(ok.id, out).code() == StatusCode::NotFound);
    CHECK(store.outbox().get(gone.id, out).code() == StatusCode::NotFound);
    CHECK(job(store, open.id).status == sdk::OutboxStatus::Pending);
    sdk::OutboxQuery q;
    q.channel = "another-channel";
    sdk::OutboxPage page;
    REQUIRE_OK(store.outbox().list(q, page));
    CHECK(page.total == 1);
}

TEST_CASE_METHOD(StoreFixture, "outbox: concurrent claimers never hold the same job", "[outbox]") {
    constexpr int kJobs = 60;
    for (int i = 0; i < kJobs; ++i) enqueueOk(store, "e");
    constexpr int kClaimers = 4;
    std::vector<std::vector<sdk::Id>> claimed(kClaimers);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kClaimers; ++t) {
        threads.emplace_back([&, t] {
            const std::string token = "claimer-" + std::to_string(t);
            for (int round = 0; round < 40; ++round) {
                std::vector<sdk::OutboxClaim> got;
                if (!store.outbox().claimDue("webhooks", token, 3, 60s, got).ok()) {
                    ++failures;
                    return;
                }
                if (got.empty()) break;
                for (const auto& c : got) {
                    claimed[static_cast<std::size_t>(t)].push_back(c.job.id);
                    if (!store.outbox().markSucceeded(c.job.id, token, 200).ok()) ++failures;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    std::vector<sdk::Id> all;
    for (const auto& ids : claimed) all.insert(all.end(), ids.begin(), ids.end());
    std::sort(all.begin(), all.end());
    CHECK(all.size() == static_cast<std::size_t>(kJobs));
    CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
}
