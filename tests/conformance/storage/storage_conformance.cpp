// Store-independent conformance tests for sdk::Storage (see storage_harness.hpp): maintained
// counts, lists, users and roles, settings, shared state and migrations. Nothing here may depend
// on a particular database; each store runs these files through its own harness.
#include "conformance_support.hpp"

using namespace tidings::conformance;

// ---- counts -----------------------------------------------------------------------------------

namespace {
void checkCounts(sdk::Storage& store, sdk::Id list, std::int64_t unconfirmed, std::int64_t confirmed,
                 std::int64_t unsubscribed) {
    const auto l = fetchList(store, list);
    CHECK(l.subscription_counts.unconfirmed == unconfirmed);
    CHECK(l.subscription_counts.confirmed == confirmed);
    CHECK(l.subscription_counts.unsubscribed == unsubscribed);
    CHECK(l.subscriber_count == unconfirmed + confirmed);
    sdk::SubscriberFilter f;
    f.list_ids = {list};
    CHECK(queryAll(store, f).total == unconfirmed + confirmed + unsubscribed);
    f.subscription_status = sdk::SubscriptionStatus::Confirmed;
    sdk::SubscriberQuery q;
    q.filter = f;
    q.page.per_page = 1;
    sdk::SubscriberPage page;
    REQUIRE_OK(store.subscribers().query(q, page));
    CHECK(page.total == confirmed);
}
std::int64_t totalSubscribers(sdk::Storage& store) {
    sdk::SubscriberQuery q;
    q.page.per_page = 1;
    sdk::SubscriberPage page;
    REQUIRE_OK(store.subscribers().query(q, page));
    return page.total;
}
}  // namespace

TEST_CASE_METHOD(StoreFixture, "counts: maintained totals follow every change, before and after settling",
                 "[counts]") {
    const auto a = makeList(store, "A"), b = makeList(store, "B");
    std::vector<sdk::Subscriber> subs;
    for (int i = 0; i < 6; ++i)
        subs.push_back(makeSub(store, "c" + std::to_string(i) + "@example.com", {a.id},
                               i < 4 ? sdk::SubscriptionStatus::Confirmed : sdk::SubscriptionStatus::Unconfirmed));
    makeSub(store, "nolist@example.com");

    for (int settle = 0; settle < 2; ++settle) {
        DYNAMIC_SECTION("initial, settled=" << settle) {
            if (settle) harness().settleCounts();
            CHECK(totalSubscribers(store) == 7);
            checkCounts(store, a.id, 2, 4, 0);
            checkCounts(store, b.id, 0, 0, 0);
        }
    }

    std::int64_t affected = 0;
    sdk::SubscriptionChange add;
    add.list_ids = {b.id};
    add.status = sdk::SubscriptionStatus::Confirmed;
    sdk::SubscriberFilter first3;
    first3.ids = {subs[0].id, subs[1].id, subs[2].id};
    REQUIRE_OK(store.subscribers().changeSubscriptions(first3, add, affected));
    sdk::SubscriptionChange unsub;
    unsub.action = sdk::SubscriptionAction::Unsubscribe;
    unsub.list_ids = {a.id};
    sdk::SubscriberFilter s0;
    s0.ids = {subs[0].id};
    REQUIRE_OK(store.subscribers().changeSubscriptions(s0, unsub, affected));
    sdk::SubscriberFilter s5;
    s5.ids = {subs[5].id};
    REQUIRE_OK(store.subscribers().remove(s5, affected));  // cascades its membership of A
    harness().settleCounts();
    sdk::SubscriberFilter s1;
    s1.ids = {subs[1].id};
    REQUIRE_OK(store.subscribers().blocklist(s1, affected));  // pending deltas on top of settled base

    // A: c0 unsub, c1 unsub (blocklisted), c2 c3 confirmed, c4 unconfirmed; B: c0 c2 confirmed, c1 unsub.
    CHECK(totalSubscribers(store) == 6);
    checkCounts(store, a.id, 1, 2, 2);
    checkCounts(store, b.id, 0, 2, 1);
    // Two lists: distinct subscribers, not the sum of memberships.
    sdk::SubscriberFilter ab;
    ab.list_ids = {a.id, b.id};
    CHECK(queryAll(store, ab).total == 5);
    harness().settleCounts();
    CHECK(totalSubscribers(store) == 6);
    checkCounts(store, a.id, 1, 2, 2);
    checkCounts(store, b.id, 0, 2, 1);

    // Deleting a list drops its counters; ListStore::query reports the same numbers as get().
    std::int64_t removed = 0;
    REQUIRE_OK(store.lists().remove({b.id}, removed));
    CHECK(removed == 1);
    sdk::ListQuery lq;
    lq.page.per_page = 0;
    sdk::ListPage lists;
    REQUIRE_OK(store.lists().query(lq, lists));
    REQUIRE(lists.results.size() == 1);
    CHECK(lists.results[0].subscriber_count == 3);
    CHECK(lists.results[0].subscription_counts.unsubscribed == 2);
    CHECK(totalSubscribers(store) == 6);
    harness().settleCounts();
    checkCounts(store, a.id, 1, 2, 2);
}

// ---- lists ------------------------------------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "lists: create with defaults, get, update, remove", "[lists]") {
    sdk::ListDraft d;
    d.name = "Weekly";
    sdk::List l;
    REQUIRE_OK(store.lists().create(d, l));
    CHECK(l.id > 0);
    CHECK(l.uuid.size() == 36);
    CHECK(l.type == sdk::ListType::Private);
    CHECK(l.optin == sdk::ListOptin::Single);
    CHECK(l.status == sdk::ListStatus::Active);
    CHECK(l.tags.empty());
    CHECK(l.description.empty());
    CHECK(l.subscriber_count == 0);

    sdk::ListDraft u;
    u.type = sdk::ListType::Public;
    u.optin = sdk::ListOptin::Double;
    u.tags = std::vector<std::string>{"news", "with space", "quote\"d", "{brace}", "NULL"};
    u.description = "All the news";
    sdk::List out;
    REQUIRE_OK(store.lists().update(l.id, u, out));
    CHECK(out.name == "Weekly");
    CHECK(out.type == sdk::ListType::Public);
    CHECK(out.optin == sdk::ListOptin::Double);
    CHECK(out.tags == *u.tags);
    CHECK(out.description == "All the news");
    CHECK(store.lists().update(l.id + 999, u, out).code() == StatusCode::NotFound);
    CHECK(store.lists().get(l.id + 999, out).code() == StatusCode::NotFound);

    std::vector<sdk::List> found;
    REQUIRE_OK(store.lists().getByUuids({l.uuid, "00000000-0000-0000-0000-000000000000", "garbage"}, found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].id == l.id);

    const auto s = makeSub(store, "m@example.com", {l.id});
    std::int64_t affected = 0;
    REQUIRE_OK(store.lists().remove({l.id, l.id + 999}, affected));
    CHECK(affected == 1);
    CHECK(store.lists().get(l.id, out).code() == StatusCode::NotFound);
    CHECK(fetch(store, s.id).lists.empty());
}

TEST_CASE_METHOD(StoreFixture, "lists: query filters, order and pages", "[lists]") {
    const auto news = makeList(store, "News", {"weekly", "public"}, sdk::ListType::Public);
    const auto promo = makeList(store, "Promotions", {"sales"});
    const auto beta = makeList(store, "Beta testers", {"weekly"}, sdk::ListType::Temporary);
    for (int i = 0; i < 3; ++i) makeSub(store, "p" + std::to_string(i) + "@example.com", {promo.id});
    makeSub(store, "n@example.com", {news.id});

    auto run = [&](sdk::ListQuery q) {
        sdk::ListPage page;
        REQUIRE_OK(store.lists().query(q, page));
        std::vector<std::string> names;
        for (const auto& l : page.results) names.push_back(l.name);
        return std::make_pair(names, page.total);
    };
    sdk::ListQuery q;
    CHECK(run(q).first == std::vector<std::string>{"News", "Promotions", "Beta testers"});
    q.search = "TEST";
    CHECK(run(q).first == std::vector<std::string>{"Beta testers"});
    q = {};
    q.tags = {"weekly", "nope"};
    CHECK(run(q).first == std::vector<std::string>{"News", "Beta testers"});
    q = {};
    q.type = sdk::ListType::Public;
    CHECK(run(q).first == std::vector<std::string>{"News"});
    q = {};
    q.ids = {promo.id, beta.id};
    CHECK(run(q).second == 2);
    q = {};
    q.order_by = "subscriber_count";
    q.order = sdk::SortOrder::Desc;
    CHECK(run(q).first == std::vector<std::string>{"Promotions", "News", "Beta testers"});
    q.order_by = "name";
    q.order = sdk::SortOrder::Asc;
    q.page = {2, 2};
    const auto [names, total] = run(q);
    CHECK(names == std::vector<std::string>{"Promotions"});
    CHECK(total == 3);
}

// ---- users and roles --------------------------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "users and roles: CRUD, lookups and conflicts", "[users]") {
    sdk::Role admin, viewer;
    REQUIRE_OK(store.users().createRole("Super Admin", {"subscribers:get", "lists:get_all"}, admin));
    REQUIRE_OK(store.users().createRole("Viewer", {}, viewer));
    CHECK(admin.permissions == std::vector<std::string>{"subscribers:get", "lists:get_all"});
    sdk::Role dup;
    CHECK(store.users().createRole("Viewer", {}, dup).code() == StatusCode::Conflict);

    sdk::UserDraft d;
    d.username = "alice";
    d.email = "alice@example.com";
    d.name = "Alice";
    d.type = sdk::UserType::User;
    d.status = sdk::UserStatus::Enabled;
    d.password_login = true;
    d.credential_hash = "$2a$10$hash";
    d.role_id = admin.id;
    sdk::User alice;
    REQUIRE_OK(store.users().createUser(d, alice));
    CHECK(alice.id > 0);
    CHECK(alice.role.id == admin.id);
    CHECK(alice.role.name == "Super Admin");
    CHECK(alice.password_login);
    CHECK_FALSE(alice.loggedin_at.has_value());

    sdk::UserDraft api = d;
    api.username = "robot";
    api.email = "robot@api";
    api.type = sdk::UserType::Api;
    api.password_login = false;
    api.credential_hash = "deadbeef";
    sdk::User robot;
    REQUIRE_OK(store.users().createUser(api, robot));

    sdk::User out;
    sdk::UserDraft clash = d;
    CHECK(store.users().createUser(clash, out).code() == StatusCode::Conflict);
    clash.username = "alice2";
    const auto email_clash = store.users().createUser(clash, out);
    CHECK(email_clash.code() == StatusCode::Conflict);
    CHECK(email_clash.message() == "email: already exists");
    clash.email = "alice2@example.com";
    clash.role_id = admin.id + 999;
    CHECK(store.users().createUser(clash, out).code() == StatusCode::Invalid);

    REQUIRE_OK(store.users().findUserByName("alice", out));
    CHECK(out.id == alice.id);
    CHECK(store.users().findUserByName("ALICE", out).code() == StatusCode::NotFound);
    REQUIRE_OK(store.users().findUserByCredential("deadbeef", out));
    CHECK(out.id == robot.id);
    CHECK(store.users().findUserByCredential("$2a$10$hash", out).code() == StatusCode::NotFound);  // not an API user
    CHECK(store.users().findUserByCredential("nope", out).code() == StatusCode::NotFound);

    sdk::UserDraft change;
    change.role_id = viewer.id;
    change.status = sdk::UserStatus::Disabled;
    REQUIRE_OK(store.users().updateUser(alice.id, change, out));
    CHECK(out.role.id == viewer.id);
    CHECK(out.status == sdk::UserStatus::Disabled);
    CHECK(out.username == "alice");
    change = {};
    change.username = "robot";
    CHECK(store.users().updateUser(alice.id, change, out).code() == StatusCode::Conflict);
    CHECK(store.users().updateUser(alice.id + 999, {}, out).code() == StatusCode::NotFound);

    REQUIRE_OK(store.users().touchUserLogin(alice.id));
    REQUIRE_OK(store.users().getUser(alice.id, out));
    CHECK(out.loggedin_at.has_value());

    std::vector<sdk::User> users;
    REQUIRE_OK(store.users().listUsers(users));
    REQUIRE(users.size() == 2);
    CHECK(users[0].id < users[1].id);

    CHECK(store.users().removeRole(viewer.id).code() == StatusCode::Conflict);  // alice has it
    sdk::Role renamed;
    REQUIRE_OK(store.users().updateRole(viewer.id, "Reader", {"campaigns:get"}, renamed));
    CHECK(renamed.name == "Reader");
    CHECK(renamed.permissions == std::vector<std::string>{"campaigns:get"});
    CHECK(store.users().updateRole(viewer.id, "Super Admin", {}, renamed).code() == StatusCode::Conflict);
    CHECK(store.users().updateRole(viewer.id + 999, "X", {}, renamed).code() == StatusCode::NotFound);

    REQUIRE_OK(store.users().removeUser(alice.id));
    CHECK(store.users().removeUser(alice.id).code() == StatusCode::NotFound);
    CHECK(store.users().getUser(alice.id, out).code() == StatusCode::NotFound);
    REQUIRE_OK(store.users().removeRole(viewer.id));
    CHECK(store.users().getRole(viewer.id, renamed).code() == StatusCode::NotFound);
    std::vector<sdk::Role> roles;
    REQUIRE_OK(store.users().listRoles(roles));
    REQUIRE(roles.size() == 1);
    CHECK(roles[0].id == admin.id);
}

// ---- settings and state -----------------------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "settings: put, getAll and a revision that moves", "[settings]") {
    std::int64_t r0 = 0, r1 = 0, r2 = 0;
    REQUIRE_OK(store.settings().revision(r0));
    REQUIRE_OK(store.settings().put({{"app.site_name", R"("Tidings")"}, {"app.batch_size", "1000"},
                                     {"smtp", R"([{"host": "localhost", "port": 25}])"}}));
    REQUIRE_OK(store.settings().revision(r1));
    CHECK(r1 != r0);
    REQUIRE_OK(store.settings().put({{"app.site_name", R"("Renamed")"}, {"privacy.allow_wipe", "true"}}));
    REQUIRE_OK(store.settings().revision(r2));
    CHECK(r2 != r1);

    std::vector<sdk::Setting> all;
    REQUIRE_OK(store.settings().getAll(all));
    std::map<std::string, std::string> m;
    for (const auto& s : all) m[s.key] = s.value_json;
    CHECK(m.size() == 4);
    CHECK(m["app.site_name"] == R"("Renamed")");
    CHECK(m["app.batch_size"] == "1000");
    CHECK(m["smtp"] == R"([{"host": "localhost", "port": 25}])");
    CHECK(m["privacy.allow_wipe"] == "true");
}

TEST_CASE_METHOD(StoreFixture, "state: put, get, insertIfAbsent, expiry, remove", "[state]") {
    auto& st = store.state();
    std::optional<std::string> v;
    REQUIRE_OK(st.get("k", v));
    CHECK_FALSE(v.has_value());
    REQUIRE_OK(st.put("k", "one", std::chrono::seconds(0)));
    REQUIRE_OK(st.get("k", v));
    CHECK(v == std::optional<std::string>("one"));
    bool inserted = true;
    REQUIRE_OK(st.insertIfAbsent("k", "two", std::chrono::seconds(0), inserted));
    CHECK_FALSE(inserted);
    REQUIRE_OK(st.insertIfAbsent("short", "x", std::chrono::seconds(1), inserted));
    CHECK(inserted);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    REQUIRE_OK(st.get("short", v));
    CHECK_FALSE(v.has_value());
    REQUIRE_OK(st.insertIfAbsent("short", "y", std::chrono::seconds(0), inserted));
    CHECK(inserted);
    REQUIRE_OK(st.remove("k"));
    REQUIRE_OK(st.remove("k"));
    REQUIRE_OK(st.get("k", v));
    CHECK_FALSE(v.has_value());
}

// ---- schema -----------------------------------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "migrate is idempotent", "[schema]") {
    makeSub(store, "kept@example.com");
    sdk::MigrationReport report;
    REQUIRE_OK(store.migrate(report));
    CHECK(report.from_version > 0);
    CHECK(report.from_version == report.to_version);
    REQUIRE_OK(store.migrate(report));
    CHECK(report.from_version == report.to_version);
    CHECK(queryAll(store).total == 1);
    REQUIRE_OK(store.ping());
}
