// PostgreSQL-only tests for storage-postgres: plugin loading and configuration, connection
// failure, concurrent migrations, statement timeouts and the maintained-count tables.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "conformance_support.hpp"
#include "postgres_harness.hpp"

using namespace tidings::conformance;


TEST_CASE("postgres: manifest, declared config and description", "[postgres]") {
    auto& h = postgresHarness();
    LoadedPostgresPlugin p(h.databaseUrl());
    CHECK(std::string(p.manifest().kind) == "storage");
    CHECK(std::string(p.manifest().name) == "storage-postgres");
    CHECK(p.manifest().abi_major == TIDINGS_SDK_ABI_MAJOR);
    const auto keys = p.host().declaredKeys();
    REQUIRE(keys.count("db.url"));
    CHECK(keys.at("db.url").default_value == "postgresql://tidings@127.0.0.1:5432/tidings");
    CHECK(keys.at("db.url").secret);
    CHECK(keys.at("db.max_conns").default_value == "25");
    CHECK(keys.at("db.query_timeout").default_value == "5s");
    REQUIRE_OK(p.start());
    CHECK(p.storage().describe().rfind("postgresql 15", 0) == 0);
    REQUIRE_OK(p.storage().ping());
}

TEST_CASE("postgres: an unreachable database makes start() Unavailable without leaking the password",
          "[postgres]") {
    LoadedPostgresPlugin p("postgresql://tidings:s3cretpw@127.0.0.1:1/tidings");
    const auto st = p.start();
    CHECK(st.code() == StatusCode::Unavailable);
    CHECK(st.message().find("s3cretpw") == std::string::npos);
    CHECK(st.message().find("127.0.0.1") != std::string::npos);
    // The storage answers Unavailable instead of crashing when used anyway.
    sdk::Subscriber s;
    CHECK(p.storage().subscribers().get(1, s).code() == StatusCode::Unavailable);
    CHECK(p.storage().ping().code() == StatusCode::Unavailable);
}

TEST_CASE("postgres: malformed configuration is Invalid", "[postgres]") {
    auto& h = postgresHarness();
    LoadedPostgresPlugin p(h.databaseUrl());
    p.host().setConfig("db.query_timeout", "soon");
    CHECK(p.start().code() == StatusCode::Invalid);
}

TEST_CASE("postgres: concurrent migrations from two instances apply each version once", "[postgres][schema]") {
    auto& h = postgresHarness();
    const std::string name = "tidings_test_mig_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    queryValue(h.connection(), "CREATE DATABASE " + name);
    struct Drop {
        PGconn* c;
        std::string n;
        ~Drop() {
            try { queryValue(c, "DROP DATABASE IF EXISTS " + n + " WITH (FORCE)"); } catch (...) {}
        }
    } drop{h.connection(), name};
    const std::string url = h.databaseUrl().substr(0, h.databaseUrl().rfind("dbname=")) + "dbname=" + name;
    {
        LoadedPostgresPlugin a(url), b(url);
        REQUIRE_OK(a.start());
        REQUIRE_OK(b.start());
        sdk::MigrationReport ra, rb;
        sdk::Status sa, sb;
        std::thread ta([&] { sa = a.storage().migrate(ra); });
        std::thread tb([&] { sb = b.storage().migrate(rb); });
        ta.join();
        tb.join();
        REQUIRE_OK(sa);
        REQUIRE_OK(sb);
        CHECK(ra.to_version == rb.to_version);
        CHECK(std::min(ra.from_version, rb.from_version) == 0);  // one applied from scratch
        CHECK(std::max(ra.from_version, rb.from_version) == ra.to_version);  // the other found it done
        auto conn = connectPg(url);
        CHECK(queryValue(conn.get(), "SELECT COUNT(*) FROM schema_migrations") == std::to_string(ra.to_version));
        sdk::MigrationReport again;
        REQUIRE_OK(a.storage().migrate(again));
        CHECK(again.from_version == again.to_version);
    }
}

TEST_CASE_METHOD(StoreFixture, "postgres: a slow sql_expression is stopped by the time limit", "[postgres][security]") {
    sdk::Subscriber s;
    REQUIRE_OK(store.subscribers().create([] { sdk::SubscriberDraft d; d.email = "slow@example.com"; d.name = "S"; return d; }(),
                                          {}, sdk::SubscriptionStatus::Unconfirmed, s));
    sdk::SubscriberQuery q;
    q.filter.sql_expression = "pg_sleep(4) IS NOT NULL";  // harness limit: 2s
    sdk::SubscriberPage page;
    const auto started = std::chrono::steady_clock::now();
    const auto st = store.subscribers().query(q, page);
    CHECK_FALSE(st.ok());
    CHECK((st.code() == StatusCode::Unavailable || st.code() == StatusCode::Invalid));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(3900));
    std::int64_t affected = 0;
    CHECK_FALSE(store.subscribers().remove(q.filter, affected).ok());
    // The pool recovered: the connection is usable again and nothing was deleted.
    REQUIRE_OK(store.subscribers().get(s.id, s));
}

TEST_CASE_METHOD(StoreFixture, "postgres: system catalogs are outside the expression allowlist", "[postgres][security]") {
    sdk::SubscriberQuery q;
    q.filter.sql_expression = "EXISTS (SELECT 1 FROM pg_authid)";
    sdk::SubscriberPage page;
    const auto st = store.subscribers().query(q, page);
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message() == "query: table 'pg_authid' is not allowed");
    // Comments could hide a closing parenthesis from the containment check, so they are refused.
    q.filter.sql_expression = "true --";
    CHECK(store.subscribers().query(q, page).code() == StatusCode::Invalid);
}

TEST_CASE_METHOD(StoreFixture, "postgres: counts are deltas until compaction, then base rows", "[postgres][counts]") {
    auto& h = postgresHarness();
    sdk::ListDraft ld;
    ld.name = "L";
    sdk::List list;
    REQUIRE_OK(store.lists().create(ld, list));
    sdk::SubscriberFilter all;
    for (int i = 0; i < 5; ++i) {
        sdk::Subscriber s;
        sdk::SubscriberDraft d;
        d.email = "d" + std::to_string(i) + "@example.com";
        d.name = "D";
        REQUIRE_OK(store.subscribers().create(d, {list.id}, sdk::SubscriptionStatus::Confirmed, s));
    }
    CHECK(queryValue(h.connection(), "SELECT COUNT(*) FROM count_deltas") != "0");
    h.settleCounts();
    CHECK(queryValue(h.connection(), "SELECT COUNT(*) FROM count_deltas") == "0");
    CHECK(queryValue(h.connection(), "SELECT count FROM subscription_counts WHERE list_id = " +
                                         std::to_string(list.id) + " AND status = 'confirmed'") == "5");
    CHECK(queryValue(h.connection(), "SELECT SUM(count) FROM subscription_counts WHERE list_id = 0") == "5");
    // A bulk statement logs one delta row per (list, status), not one per subscriber.
    sdk::SubscriptionChange unsub;
    unsub.action = sdk::SubscriptionAction::Unsubscribe;
    unsub.list_ids = {list.id};
    std::int64_t affected = 0;
    REQUIRE_OK(store.subscribers().changeSubscriptions(all, unsub, affected));
    CHECK(affected == 5);
    const auto deltas = std::stoi(queryValue(h.connection(), "SELECT COUNT(*) FROM count_deltas"));
    CHECK(deltas <= 2);
    sdk::List after;
    REQUIRE_OK(store.lists().get(list.id, after));
    CHECK(after.subscription_counts.unsubscribed == 5);
    CHECK(after.subscriber_count == 0);
}

TEST_CASE_METHOD(StoreFixture, "postgres: functions that run their own SQL cannot read other tables",
                 "[postgres][security]") {
    // EXPLAIN cannot see relations read inside query_to_xml(); the function allowlist refuses it
    // (and the restricted query role would deny the read).
    sdk::Subscriber s;
    REQUIRE_OK(store.subscribers().create([] { sdk::SubscriberDraft d; d.email = "x@example.com"; d.name = "X"; return d; }(),
                                          {}, sdk::SubscriptionStatus::Unconfirmed, s));
    sdk::Role role;
    REQUIRE_OK(store.users().createRole("secret-role-name", {}, role));
    sdk::SubscriberQuery q;
    q.filter.sql_expression = "query_to_xml('select name from roles', true, true, '')::text LIKE '%secret-role-name%'";
    sdk::SubscriberPage page;
    const auto st = store.subscribers().query(q, page);
    CHECK_FALSE(st.ok());
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message() == "query: function 'query_to_xml' is not allowed");
    // Ordinary expressions still work under the restricted role.
    q.filter.sql_expression = "subscribers.email LIKE '%@example.com'";
    REQUIRE_OK(store.subscribers().query(q, page));
    CHECK(page.total == 1);
}
