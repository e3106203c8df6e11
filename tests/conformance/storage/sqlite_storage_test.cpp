// SQLite-only tests for storage-sqlite: plugin loading and configuration, an unusable file,
// concurrent migrations, the query time limit and the sandbox around users' expressions.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "conformance_support.hpp"
#include "sqlite_harness.hpp"

using namespace tidings::conformance;

TEST_CASE("sqlite: manifest, declared config and description", "[sqlite]") {
    auto& h = sqliteHarness();
    LoadedSqlitePlugin p("sqlite:" + h.databasePath());
    CHECK(std::string(p.manifest().kind) == "storage");
    CHECK(std::string(p.manifest().name) == "storage-sqlite");
    CHECK(p.manifest().abi_major == TIDINGS_SDK_ABI_MAJOR);
    const auto keys = p.host().declaredKeys();
    REQUIRE(keys.count("db.url"));
    CHECK(keys.at("db.url").default_value == "sqlite:var/tidings.db");
    CHECK(keys.at("db.query_timeout").default_value == "5s");
    REQUIRE_OK(p.start());
    CHECK(p.storage().describe().rfind("sqlite 3.", 0) == 0);
    REQUIRE_OK(p.storage().ping());
}

TEST_CASE("sqlite: a database that cannot be opened makes start() Unavailable", "[sqlite]") {
    LoadedSqlitePlugin p("sqlite:///proc/no-such-dir/tidings.db");
    CHECK(p.start().code() == StatusCode::Unavailable);
    sdk::Subscriber s;
    CHECK(p.storage().subscribers().get(1, s).code() == StatusCode::Unavailable);
    CHECK(p.storage().ping().code() == StatusCode::Unavailable);
}

TEST_CASE("sqlite: malformed configuration is Invalid", "[sqlite]") {
    auto& h = sqliteHarness();
    {
        LoadedSqlitePlugin p("sqlite:" + h.databasePath());
        p.host().setConfig("db.query_timeout", "soon");
        CHECK(p.start().code() == StatusCode::Invalid);
    }
    LoadedSqlitePlugin p("postgresql://localhost/tidings");
    const auto st = p.start();
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message().find("db.url") != std::string::npos);
}

TEST_CASE("sqlite: a new file is created with its directory and migrated once by concurrent instances",
          "[sqlite][schema]") {
    auto& h = sqliteHarness();
    const std::string url = "sqlite:" + h.scratchPath("nested/dir/fresh.db");
    LoadedSqlitePlugin a(url), b(url);
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
    CHECK(std::min(ra.from_version, rb.from_version) == 0);
    CHECK(std::max(ra.from_version, rb.from_version) == ra.to_version);
    auto conn = connectSqlite(h.scratchPath("nested/dir/fresh.db"));
    CHECK(queryValue(conn.get(), "SELECT COUNT(*) = COUNT(DISTINCT version) FROM schema_migrations") == "1");
    CHECK(queryValue(conn.get(), "PRAGMA journal_mode") == "wal");
}

TEST_CASE_METHOD(StoreFixture, "sqlite: a slow sql_expression is stopped by the time limit", "[sqlite][security]") {
    sdk::Subscriber s;
    REQUIRE_OK(store.subscribers().create(draft("slow@example.com"), {}, sdk::SubscriptionStatus::Unconfirmed, s));
    sdk::SubscriberQuery q;
    // An endless recursive count: only the deadline stops it (harness limit: 2s).
    q.filter.sql_expression =
        "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n) > 0";
    sdk::SubscriberPage page;
    const auto started = std::chrono::steady_clock::now();
    const auto st = store.subscribers().query(q, page);
    CHECK((st.code() == StatusCode::Unavailable || st.code() == StatusCode::Invalid));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(3900));
    std::int64_t affected = 0;
    CHECK_FALSE(store.subscribers().remove(q.filter, affected).ok());
    // The connection is usable again and nothing was deleted.
    REQUIRE_OK(store.subscribers().get(s.id, s));
}

TEST_CASE_METHOD(StoreFixture, "sqlite: expressions may read subscriber tables only, and never write",
                 "[sqlite][security]") {
    sdk::Subscriber s;
    REQUIRE_OK(store.subscribers().create(draft("x@example.com", "X"), {}, sdk::SubscriptionStatus::Unconfirmed, s));
    sdk::Role role;
    REQUIRE_OK(store.users().createRole("secret-role-name", {}, role));
    sdk::SubscriberPage page;
    for (const char* attack : {"EXISTS (SELECT 1 FROM roles WHERE name LIKE 'secret%')",
                               "EXISTS (SELECT 1 FROM settings)", "EXISTS (SELECT 1 FROM sqlite_master)",
                               "EXISTS (SELECT 1 FROM pragma_table_info('users'))",
                               "1=1; DELETE FROM subscribers", "load_extension('x') IS NULL"}) {
        INFO(attack);
        sdk::SubscriberQuery q;
        q.filter.sql_expression = attack;
        const auto st = store.subscribers().query(q, page);
        CHECK(st.code() == StatusCode::Invalid);
        CHECK(st.message().rfind("query: ", 0) == 0);
    }
    REQUIRE_OK(store.subscribers().get(s.id, s));
    // Ordinary expressions, JSON attributes included, still work.
    sdk::SubscriberQuery q;
    q.filter.sql_expression = "subscribers.email LIKE '%@example.com' AND subscribers.attribs->>'city' IS NULL";
    REQUIRE_OK(store.subscribers().query(q, page));
    CHECK(page.total == 1);
}

TEST_CASE_METHOD(StoreFixture, "sqlite: listmonk's PostgreSQL expression forms are translated", "[sqlite][query]") {
    makeSub(store, "bob@example.com", {}, sdk::SubscriptionStatus::Unconfirmed, "Bob",
            R"({"city": "Berlin", "age": 30, "vip": true, "tags": ["a", "vip"]})");
    makeSub(store, "berta@example.com", {}, sdk::SubscriptionStatus::Unconfirmed, "berta",
            R"({"city": "Paris", "age": "41"})");
    makeSub(store, "carl@example.com", {}, sdk::SubscriptionStatus::Unconfirmed, "Carl", "{}");
    const auto total = [&](const std::string& e) { return queryAll(store, byExpression(e)).total; };
    CHECK(total("subscribers.name ILIKE 'B%'") == 2);
    CHECK(total("subscribers.name NOT ILIKE 'b%'") == 1);
    // ->> yields text, as on PostgreSQL, whatever the JSON type.
    CHECK(total("subscribers.attribs->>'age' = '30'") == 1);
    CHECK(total("(subscribers.attribs->>'age')::int > 35") == 1);
    CHECK(total("subscribers.attribs->>'age'::text = '41'") == 1);
    CHECK(total("CAST(subscribers.attribs->>'age' AS INTEGER) BETWEEN 30 AND 41") == 2);
    CHECK(total("subscribers.attribs ? 'vip'") == 1);
    CHECK(total("NOT subscribers.attribs ? 'city'") == 1);
    CHECK(total("subscribers.attribs->'tags' ? 'vip'") == 1);
    CHECK(total("subscribers.attribs->'tags' ? '1'") == 0);  // an array's indexes are not keys
    CHECK(total("subscribers.created_at::date <= '2999-12-31'::date") == 3);
    CHECK(total("subscribers.created_at > '2000-01-01'::timestamp") == 3);
    CHECK(total("subscribers.name = 'a::int ? ''x'' ILIKE'") == 0);  // literals are left alone
    CHECK(total("lower(subscribers.email)::varchar(20) LIKE 'c%'") == 1);

    for (const char* refused : {"subscribers.id = ?1", "subscribers.id = :id", "subscribers.id = @id",
                                "subscribers.attribs ?| array['a']", "subscribers.id::int[] IS NULL",
                                "subscribers.id::regclass IS NULL", "subscribers.name = 'unterminated"}) {
        INFO(refused);
        sdk::SubscriberQuery q;
        q.filter.sql_expression = refused;
        sdk::SubscriberPage page;
        const auto st = store.subscribers().query(q, page);
        CHECK(st.code() == StatusCode::Invalid);
        CHECK(st.message().rfind("query: ", 0) == 0);
    }
}

TEST_CASE("sqlite: json_each works in expressions on a fresh connection", "[sqlite][query]") {
    // The sandbox's authorizer would refuse the schema write SQLite makes on a connection's first
    // json_each; a new database has only new connections.
    auto& h = sqliteHarness();
    LoadedSqlitePlugin p("sqlite:" + h.scratchPath("fresh-json.db"));
    REQUIRE_OK(p.start());
    sdk::MigrationReport report;
    REQUIRE_OK(p.storage().migrate(report));
    makeSub(p.storage(), "j@example.com", {}, sdk::SubscriptionStatus::Unconfirmed, "J", R"({"tags": ["a", "b"]})");
    CHECK(queryAll(p.storage(), byExpression("EXISTS (SELECT 1 FROM json_each(subscribers.attribs, '$.tags')"
                                             " WHERE value = 'b')"))
              .total == 1);
}

TEST_CASE_METHOD(StoreFixture, "sqlite: counts live in subscription_counts and ids are never reused",
                 "[sqlite][counts]") {
    auto* conn = sqliteHarness().connection();
    const auto a = makeList(store, "A");
    const auto s1 = makeSub(store, "one@example.com", {a.id}, sdk::SubscriptionStatus::Confirmed);
    const auto s2 = makeSub(store, "two@example.com", {a.id});
    const auto count = [&](sdk::Id list, const char* status) {
        return queryValue(conn, "SELECT COALESCE((SELECT count FROM subscription_counts WHERE list_id = " +
                                    std::to_string(list) + " AND status = '" + status + "'), 0)");
    };
    CHECK(count(a.id, "confirmed") == "1");
    CHECK(count(a.id, "unconfirmed") == "1");
    CHECK(count(0, "enabled") == "2");
    std::int64_t affected = 0;
    sdk::SubscriberFilter f;
    f.ids = {s2.id};
    REQUIRE_OK(store.subscribers().remove(f, affected));
    CHECK(count(a.id, "unconfirmed") == "0");
    CHECK(count(0, "enabled") == "1");
    // The newest subscriber was deleted; the next one still gets a new id.
    CHECK(makeSub(store, "three@example.com").id > s2.id);
    REQUIRE_OK(store.lists().remove({a.id}, affected));
    CHECK(queryValue(conn, "SELECT COUNT(*) FROM subscription_counts WHERE list_id = " + std::to_string(a.id)) == "0");
    CHECK(fetch(store, s1.id).lists.empty());
}
