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

TEST_CASE_METHOD(StoreFixture, "sqlite: a query expression cannot escape its parentheses past other filters",
                 "[sqlite][security]") {
    sdk::List in_list = makeList(store, "Inside");
    sdk::Subscriber member, outsider;
    REQUIRE_OK(store.subscribers().create(draft("in@example.com", "In"), {in_list.id},
                                          sdk::SubscriptionStatus::Confirmed, member));
    REQUIRE_OK(store.subscribers().create(draft("out@example.com", "Out"), {}, sdk::SubscriptionStatus::Confirmed,
                                          outsider));
    for (const char* attack : {"subscribers.id > 0) OR (1=1", "1=1)) OR ((1=1", "1=1 -- )", "1=1 /* ) */"}) {
        INFO(attack);
        sdk::SubscriberFilter filter;
        filter.sql_expression = attack;
        filter.list_ids = {in_list.id};
        std::int64_t affected = 0;
        CHECK(store.subscribers().blocklist(filter, affected).code() == StatusCode::Invalid);
        sdk::SubscriberQuery q;
        q.filter = filter;
        sdk::SubscriberPage page;
        CHECK(store.subscribers().query(q, page).code() == StatusCode::Invalid);
    }
    REQUIRE_OK(store.subscribers().get(outsider.id, outsider));
    CHECK(outsider.status == sdk::SubscriberStatus::Enabled);
    sdk::SubscriberQuery q;
    q.filter.sql_expression = "(subscribers.name = ')(' OR (subscribers.email LIKE '%@example.com'))";
    q.filter.list_ids = {in_list.id};
    sdk::SubscriberPage page;
    REQUIRE_OK(store.subscribers().query(q, page));
    CHECK(page.total == 1);
}
