// Store-independent conformance tests for sdk::SubscriberStore (see storage_harness.hpp):
// single-row operations, queries, the sql_expression guard, bulk writes and streaming.
#include "conformance_support.hpp"

using namespace tidings::conformance;

// ---- subscribers: single-row operations -------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "subscribers: create and read back by id, uuid and e-mail", "[subscribers]") {
    const auto list = makeList(store, "Newsletter");
    const auto before = std::chrono::system_clock::now() - std::chrono::minutes(1);
    const auto s = makeSub(store, "ada@example.com", {list.id}, sdk::SubscriptionStatus::Confirmed,
                           "Ada Lovelace", R"({"city": "London"})");
    CHECK(s.id > 0);
    CHECK(s.uuid.size() == 36);
    CHECK(s.email == "ada@example.com");
    CHECK(s.name == "Ada Lovelace");
    CHECK(s.attribs_json == R"({"city": "London"})");
    CHECK(s.status == sdk::SubscriberStatus::Enabled);
    CHECK(s.created_at > before);
    REQUIRE(s.lists.size() == 1);
    CHECK(s.lists[0].list.id == list.id);
    CHECK(s.lists[0].list.name == "Newsletter");
    CHECK(s.lists[0].status == sdk::SubscriptionStatus::Confirmed);
    CHECK(s.lists[0].meta_json == "{}");

    sdk::Subscriber by_uuid, by_email, by_id;
    REQUIRE_OK(store.subscribers().getByUuid(s.uuid, by_uuid));
    REQUIRE_OK(store.subscribers().getByEmail("ada@example.com", by_email));
    REQUIRE_OK(store.subscribers().get(s.id, by_id));
    CHECK(by_uuid.id == s.id);
    CHECK(by_email.id == s.id);
    CHECK(by_id.created_at == s.created_at);
    CHECK(by_id.lists.size() == 1);

    sdk::Subscriber none;
    CHECK(store.subscribers().get(s.id + 1000, none).code() == StatusCode::NotFound);
    CHECK(store.subscribers().getByUuid("00000000-0000-0000-0000-000000000000", none).code() == StatusCode::NotFound);
    CHECK(store.subscribers().getByUuid("not-a-uuid", none).code() == StatusCode::NotFound);
    CHECK(store.subscribers().getByEmail("nobody@example.com", none).code() == StatusCode::NotFound);
}

TEST_CASE_METHOD(StoreFixture, "subscribers: duplicate e-mail is a Conflict, case-insensitively", "[subscribers]") {
    makeSub(store, "dup@example.com");
    sdk::Subscriber out;
    const auto st = store.subscribers().create(draft("DUP@Example.com"), {}, sdk::SubscriptionStatus::Unconfirmed, out);
    CHECK(st.code() == StatusCode::Conflict);
    CHECK(st.message() == "email: already exists");
    CHECK(queryAll(store).total == 1);
}

TEST_CASE_METHOD(StoreFixture, "subscribers: an unknown list id is Invalid and writes nothing", "[subscribers]") {
    const auto list = makeList(store, "Real");
    sdk::Subscriber out;
    const auto st = store.subscribers().create(draft("x@example.com"), {list.id, list.id + 999},
                                               sdk::SubscriptionStatus::Unconfirmed, out);
    CHECK(st.code() == StatusCode::Invalid);
    CHECK(st.message() == "lists: unknown list id");
    CHECK(store.subscribers().getByEmail("x@example.com", out).code() == StatusCode::NotFound);
}

TEST_CASE_METHOD(StoreFixture, "subscribers: update changes set fields and replaces memberships", "[subscribers]") {
    const auto a = makeList(store, "A"), b = makeList(store, "B"), c = makeList(store, "C");
    const auto s = makeSub(store, "u@example.com", {a.id, b.id}, sdk::SubscriptionStatus::Confirmed, "Old");
    sdk::Subscriber out;

    SECTION("fields only: memberships untouched") {
        sdk::SubscriberDraft d;
        d.name = "New";
        REQUIRE_OK(store.subscribers().update(s.id, d, std::nullopt, sdk::SubscriptionStatus::Unconfirmed, out));
        CHECK(out.name == "New");
        CHECK(out.email == "u@example.com");
        CHECK(out.attribs_json == "{}");
        CHECK(out.lists.size() == 2);
        CHECK(out.updated_at >= s.updated_at);
    }
    SECTION("list_ids replace: removed, kept with status, added with the given status") {
        REQUIRE_OK(store.subscribers().update(s.id, {}, std::vector<sdk::Id>{b.id, c.id},
                                              sdk::SubscriptionStatus::Unconfirmed, out));
        REQUIRE(out.lists.size() == 2);
        CHECK(membership(out, a.id) == nullptr);
        REQUIRE(membership(out, b.id));
        CHECK(membership(out, b.id)->status == sdk::SubscriptionStatus::Confirmed);
        REQUIRE(membership(out, c.id));
        CHECK(membership(out, c.id)->status == sdk::SubscriptionStatus::Unconfirmed);
    }
    SECTION("empty list_ids removes every membership") {
        REQUIRE_OK(store.subscribers().update(s.id, {}, std::vector<sdk::Id>{}, sdk::SubscriptionStatus::Unconfirmed, out));
        CHECK(out.lists.empty());
    }
    SECTION("unknown id is NotFound") {
        CHECK(store.subscribers().update(s.id + 1000, draft("n@example.com"), std::nullopt,
                                         sdk::SubscriptionStatus::Unconfirmed, out).code() == StatusCode::NotFound);
    }
    SECTION("taking another subscriber's e-mail is a Conflict and changes nothing") {
        makeSub(store, "other@example.com");
        sdk::SubscriberDraft d;
        d.email = "other@example.com";
        d.name = "Changed";
        CHECK(store.subscribers().update(s.id, d, std::vector<sdk::Id>{}, sdk::SubscriptionStatus::Unconfirmed, out)
                  .code() == StatusCode::Conflict);
        const auto after = fetch(store, s.id);
        CHECK(after.name == "Old");
        CHECK(after.lists.size() == 2);
    }
    SECTION("unknown list id is Invalid and changes nothing") {
        sdk::SubscriberDraft d;
        d.name = "Changed";
        CHECK(store.subscribers().update(s.id, d, std::vector<sdk::Id>{c.id + 999}, sdk::SubscriptionStatus::Unconfirmed, out)
                  .code() == StatusCode::Invalid);
        const auto after = fetch(store, s.id);
        CHECK(after.name == "Old");
        CHECK(after.lists.size() == 2);
    }
}

TEST_CASE_METHOD(StoreFixture, "subscribers: blocklisting unsubscribes every membership", "[subscribers]") {
    const auto a = makeList(store, "A"), b = makeList(store, "B");
    const auto s1 = makeSub(store, "one@example.com", {a.id, b.id}, sdk::SubscriptionStatus::Confirmed);
    const auto s2 = makeSub(store, "two@example.com", {a.id}, sdk::SubscriptionStatus::Confirmed);
    const auto s3 = makeSub(store, "three@example.com", {a.id}, sdk::SubscriptionStatus::Confirmed);

    sdk::SubscriberDraft d;
    d.status = sdk::SubscriberStatus::Blocklisted;
    sdk::Subscriber out;
    REQUIRE_OK(store.subscribers().update(s1.id, d, std::nullopt, sdk::SubscriptionStatus::Confirmed, out));
    CHECK(out.status == sdk::SubscriberStatus::Blocklisted);
    for (const auto& m : out.lists) CHECK(m.status == sdk::SubscriptionStatus::Unsubscribed);

    sdk::SubscriberFilter f;
    f.ids = {s2.id};
    std::int64_t affected = 0;
    REQUIRE_OK(store.subscribers().blocklist(f, affected));
    CHECK(affected == 1);
    const auto b2 = fetch(store, s2.id);
    CHECK(b2.status == sdk::SubscriberStatus::Blocklisted);
    CHECK(b2.lists.at(0).status == sdk::SubscriptionStatus::Unsubscribed);
    const auto b3 = fetch(store, s3.id);
    CHECK(b3.status == sdk::SubscriberStatus::Enabled);
    CHECK(b3.lists.at(0).status == sdk::SubscriptionStatus::Confirmed);
}

TEST_CASE_METHOD(StoreFixture, "subscribers: changeSubscriptions add, remove, unsubscribe, confirm", "[subscribers]") {
    const auto a = makeList(store, "A"), b = makeList(store, "B");
    const auto s1 = makeSub(store, "one@example.com", {a.id});
    const auto s2 = makeSub(store, "two@example.com");
    sdk::SubscriberFilter both;
    both.ids = {s1.id, s2.id};
    std::int64_t affected = -1;

    sdk::SubscriptionChange add;
    add.action = sdk::SubscriptionAction::Add;
    add.list_ids = {a.id, b.id};
    add.status = sdk::SubscriptionStatus::Confirmed;
    add.overwrite_status = false;
    REQUIRE_OK(store.subscribers().changeSubscriptions(both, add, affected));
    CHECK(affected == 3);  // s1 already in A and keeps its status
    CHECK(membership(fetch(store, s1.id), a.id)->status == sdk::SubscriptionStatus::Unconfirmed);
    CHECK(membership(fetch(store, s2.id), a.id)->status == sdk::SubscriptionStatus::Confirmed);

    add.overwrite_status = true;
    REQUIRE_OK(store.subscribers().changeSubscriptions(both, add, affected));
    CHECK(affected == 1);  // only s1/A changed
    CHECK(membership(fetch(store, s1.id), a.id)->status == sdk::SubscriptionStatus::Confirmed);

    sdk::SubscriptionChange unsub;
    unsub.action = sdk::SubscriptionAction::Unsubscribe;
    unsub.list_ids = {b.id};
    REQUIRE_OK(store.subscribers().changeSubscriptions(both, unsub, affected));
    CHECK(affected == 2);
    CHECK(membership(fetch(store, s2.id), b.id)->status == sdk::SubscriptionStatus::Unsubscribed);

    sdk::SubscriptionChange remove;
    remove.action = sdk::SubscriptionAction::Remove;
    remove.list_ids = {a.id};
    sdk::SubscriberFilter only1;
    only1.ids = {s1.id};
    REQUIRE_OK(store.subscribers().changeSubscriptions(only1, remove, affected));
    CHECK(affected == 1);
    CHECK(membership(fetch(store, s1.id), a.id) == nullptr);
    CHECK(membership(fetch(store, s2.id), a.id) != nullptr);

    sdk::SubscriptionChange bad = add;
    bad.list_ids = {b.id + 999};
    CHECK(store.subscribers().changeSubscriptions(both, bad, affected).code() == StatusCode::Invalid);
    bad.action = sdk::SubscriptionAction::Remove;
    CHECK(store.subscribers().changeSubscriptions(both, bad, affected).code() == StatusCode::Invalid);

    // Confirm: only unconfirmed memberships change, and get the meta merged.
    const auto s3 = makeSub(store, "three@example.com", {a.id, b.id});
    sdk::SubscriptionChange confirm;
    confirm.action = sdk::SubscriptionAction::Confirm;
    confirm.meta_json = R"({"optin_ip": "10.0.0.1"})";
    sdk::SubscriberFilter f3;
    f3.ids = {s3.id, s2.id};
    confirm.list_ids = {a.id};
    REQUIRE_OK(store.subscribers().changeSubscriptions(f3, confirm, affected));
    CHECK(affected == 1);
    auto after = fetch(store, s3.id);
    CHECK(membership(after, a.id)->status == sdk::SubscriptionStatus::Confirmed);
    CHECK(membership(after, a.id)->meta_json.find("10.0.0.1") != std::string::npos);
    CHECK(membership(after, b.id)->status == sdk::SubscriptionStatus::Unconfirmed);
    confirm.list_ids = {};  // every list
    REQUIRE_OK(store.subscribers().changeSubscriptions(f3, confirm, affected));
    CHECK(affected == 1);
    CHECK(membership(fetch(store, s3.id), b.id)->status == sdk::SubscriptionStatus::Confirmed);
    CHECK(membership(fetch(store, s2.id), b.id)->status == sdk::SubscriptionStatus::Unsubscribed);
}

TEST_CASE_METHOD(StoreFixture, "subscribers: subscribe creates, renews and refuses the blocklisted", "[subscribers]") {
    const auto a = makeList(store, "A"), b = makeList(store, "B");
    sdk::Subscriber out;
    bool created = false;
    REQUIRE_OK(store.subscribers().subscribe(draft("new@example.com", "New"),
                                             {{a.id, sdk::SubscriptionStatus::Unconfirmed}}, false, out, created));
    CHECK(created);
    CHECK(out.lists.size() == 1);

    // Existing: profile kept without overwrite, unsubscribed renewed, confirmed untouched.
    sdk::SubscriptionChange unsub;
    unsub.action = sdk::SubscriptionAction::Unsubscribe;
    unsub.list_ids = {a.id};
    sdk::SubscriberFilter f;
    f.ids = {out.id};
    std::int64_t affected = 0;
    REQUIRE_OK(store.subscribers().changeSubscriptions(f, unsub, affected));
    REQUIRE_OK(store.subscribers().subscribe(draft("NEW@example.com", "Other name"),
                                             {{a.id, sdk::SubscriptionStatus::Unconfirmed},
                                              {b.id, sdk::SubscriptionStatus::Confirmed}},
                                             false, out, created));
    CHECK_FALSE(created);
    CHECK(out.name == "New");
    CHECK(membership(out, a.id)->status == sdk::SubscriptionStatus::Unconfirmed);
    CHECK(membership(out, b.id)->status == sdk::SubscriptionStatus::Confirmed);
    REQUIRE_OK(store.subscribers().subscribe(draft("new@example.com", "Overwritten"),
                                             {{b.id, sdk::SubscriptionStatus::Unconfirmed}}, true, out, created));
    CHECK(out.name == "Overwritten");
    CHECK(membership(out, b.id)->status == sdk::SubscriptionStatus::Confirmed);

    CHECK(store.subscribers().subscribe(draft("x@example.com"), {{b.id + 999, sdk::SubscriptionStatus::Unconfirmed}},
                                        false, out, created).code() == StatusCode::Invalid);
    CHECK(store.subscribers().getByEmail("x@example.com", out).code() == StatusCode::NotFound);

    REQUIRE_OK(store.subscribers().blocklist(f, affected));
    const auto st = store.subscribers().subscribe(draft("new@example.com"), {{a.id, sdk::SubscriptionStatus::Unconfirmed}},
                                                  true, out, created);
    CHECK(st.code() == StatusCode::Forbidden);
    CHECK(membership(fetch(store, f.ids[0]), a.id)->status == sdk::SubscriptionStatus::Unsubscribed);
}

// ---- subscribers: queries ---------------------------------------------------------------------

TEST_CASE_METHOD(StoreFixture, "subscribers: query with search, lists, order and pages", "[subscribers][query]") {
    const auto a = makeList(store, "A"), b = makeList(store, "B");
    for (int i = 1; i <= 25; ++i) {
        char email[64];
        std::snprintf(email, sizeof email, "sub%02d@%s", i, i % 5 == 0 ? "other.org" : "example.com");
        std::vector<sdk::Id> lists;
        if (i <= 10) lists.push_back(a.id);
        if (i > 5 && i <= 15) lists.push_back(b.id);
        makeSub(store, email, lists, i % 2 ? sdk::SubscriptionStatus::Confirmed : sdk::SubscriptionStatus::Unconfirmed,
                "Name " + std::to_string(100 - i));
    }
    makeSub(store, "percent%sign@example.com", {}, sdk::SubscriptionStatus::Unconfirmed, "100% real");

    SECTION("pagination and total") {
        sdk::SubscriberQuery q;
        q.page = {2, 10};
        sdk::SubscriberPage page;
        REQUIRE_OK(store.subscribers().query(q, page));
        CHECK(page.total == 26);
        REQUIRE(page.results.size() == 10);
        CHECK(page.results.front().email == "sub11@example.com");
        q.page = {3, 10};
        REQUIRE_OK(store.subscribers().query(q, page));
        CHECK(page.results.size() == 6);
        CHECK(page.total == 26);
        CHECK(queryAll(store).results.size() == 26);  // per_page 0 = everything
    }
    SECTION("order by a whitelisted column, both directions") {
        sdk::SubscriberQuery q;
        q.order_by = "email";
        q.order = sdk::SortOrder::Desc;
        q.page = {1, 3};
        sdk::SubscriberPage page;
        REQUIRE_OK(store.subscribers().query(q, page));
        CHECK(emails(page) == std::vector<std::string>{"sub25@other.org", "sub24@example.com", "sub23@example.com"});
        q.order_by = "name";
        q.order = sdk::SortOrder::Asc;
        REQUIRE_OK(store.subscribers().query(q, page));
        CHECK(page.results.front().name == "100% real");
        CHECK(page.results[1].name == "Name 75");
    }
    SECTION("search is a case-insensitive substring of name or e-mail; wildcards are literal") {
        sdk::SubscriberFilter f;
        f.search = "OTHER.org";
        auto page = queryAll(store, f);
        CHECK(page.total == 5);
        f.search = "name 8";
        CHECK(queryAll(store, f).total == 10);  // Name 80..89
        f.search = "%";
        page = queryAll(store, f);
        CHECK(page.total == 1);
        CHECK(page.results.at(0).email == "percent%sign@example.com");
        f.search = "sub_1";
        CHECK(queryAll(store, f).total == 0);
    }
    SECTION("list filter: members of any list, no duplicates, optional status") {
        sdk::SubscriberFilter f;
        f.list_ids = {a.id};
        auto page = queryAll(store, f);
        CHECK(page.total == 10);
        CHECK(page.results.size() == 10);
        f.list_ids = {a.id, b.id};
        page = queryAll(store, f);
        CHECK(page.total == 15);
        CHECK(page.results.size() == 15);
        std::set<sdk::Id> ids;
        for (const auto& s : page.results) ids.insert(s.id);
        CHECK(ids.size() == 15);
        f.list_ids = {b.id};
        f.subscription_status = sdk::SubscriptionStatus::Confirmed;
        page = queryAll(store, f);
        CHECK(page.total == 5);  // 7, 9, 11, 13, 15
        CHECK(page.results.size() == 5);
        for (const auto& s : page.results) CHECK(membership(s, b.id)->status == sdk::SubscriptionStatus::Confirmed);
        f.list_ids = {a.id, b.id};
        f.subscription_status.reset();
        f.search = "sub1";
        page = queryAll(store, f);
        CHECK(page.total == 6);  // sub10..sub15
    }
    SECTION("results carry their memberships") {
        sdk::SubscriberFilter f;
        f.search = "sub07@";
        const auto page = queryAll(store, f);
        REQUIRE(page.results.size() == 1);
        CHECK(page.results[0].lists.size() == 2);
    }
    SECTION("sql_expression") {
        auto page = queryAll(store, byExpression("subscribers.email LIKE '%@other.org'"));
        CHECK(page.total == 5);
        CHECK(page.results.size() == 5);
        sdk::SubscriberFilter f = byExpression("subscribers.name = 'Name 90';");  // trailing ';' tolerated
        f.list_ids = {a.id};
        page = queryAll(store, f);
        CHECK(page.total == 1);
        CHECK(emails(page) == std::vector<std::string>{"sub10@other.org"});
        page = queryAll(store, byExpression(
            "subscribers.id IN (SELECT subscriber_id FROM subscriber_lists WHERE list_id = " + std::to_string(b.id) + ")"));
        CHECK(page.total == 10);
        // Ordinary functions and operators stay allowed under the function allowlist.
        page = queryAll(store, byExpression("lower(subscribers.email) LIKE '%@other.org' AND "
                                            "length(subscribers.name) > 0 AND coalesce(subscribers.name, '') <> '' "
                                            "AND abs(subscribers.id) >= 1 AND upper(subscribers.name) LIKE 'NAME%'"));
        CHECK(page.total == 5);
    }
}

TEST_CASE_METHOD(StoreFixture, "subscribers: sql_expression over attributes", "[subscribers][query]") {
    makeSub(store, "b1@example.com", {}, sdk::SubscriptionStatus::Unconfirmed, "B1", R"({"city": "Berlin", "age": 30})");
    makeSub(store, "b2@example.com", {}, sdk::SubscriptionStatus::Unconfirmed, "B2", R"({"city": "Berlin", "age": 40})");
    makeSub(store, "p1@example.com", {}, sdk::SubscriptionStatus::Unconfirmed, "P1", R"({"city": "Paris"})");
    CHECK(queryAll(store, byExpression("subscribers.attribs->>'city' = 'Berlin'")).total == 2);
    CHECK(queryAll(store, byExpression("(subscribers.attribs->>'age')::int > 35")).total == 1);
}

TEST_CASE_METHOD(StoreFixture, "subscribers: the sql_expression guard refuses unsafe input and changes nothing",
                 "[subscribers][query][security]") {
    const auto list = makeList(store, "A");
    for (int i = 0; i < 3; ++i) makeSub(store, "g" + std::to_string(i) + "@example.com", {list.id});
    sdk::Role role;
    REQUIRE_OK(store.users().createRole("secret-role-name", {"subscribers:get"}, role));

    const std::vector<std::string> attacks = {
        "1=1; DROP TABLE subscribers",
        "1=1; delete from subscribers",
        "true); DELETE FROM subscribers; SELECT (true",
        "EXISTS (SELECT 1 FROM users)",
        "(SELECT COUNT(*) FROM roles) >= 0",
        "subscribers.id IN (WITH d AS (DELETE FROM subscribers RETURNING id) SELECT id FROM d)",
        "this is not sql",
        "subscribers.no_such_column = 1",
        // Leaving the restricted role from inside the expression, then reading what it guards
        // through a function that runs SQL of its own; the data would come back in the error.
        "CASE WHEN set_config('role', 'none', true) IS NOT NULL THEN "
        "cast(query_to_xml('select name from roles', true, false, '')::text as int) = 1 END",
        "pg_catalog.set_config('role', 'none', true) IS NOT NULL",
        "\"set_config\"('role', 'none', true) IS NOT NULL",
        "U&\"set_config\"('role', 'none', true) IS NOT NULL",
        // A call hidden where a naive scan sees a string: E'\'' is one quote character.
        "E'\\'' || set_config('role', 'none', true) || '' IS NOT NULL",
        "1E'\\'' || set_config('role', 'none', true) || '' IS NOT NULL",
        "(SELECT set_config('role', 'none', true)) IS NOT NULL",
        "cast(query_to_xml('select name from roles', true, false, '')::text as int) = 1",
        "length(current_setting('data_directory')) > 0",
        "length(pg_read_file('/etc/passwd')) > 0",
        "pg_sleep(0) IS NULL",
        "OPERATOR(pg_catalog.=)(1, 1)",
        "$1 IS NULL",
        // Calls no deadline can interrupt, building gigabytes in one step.
        "length(randomblob(900000000)) > 0",
        "length(printf('%.*c', 900000000, 'x')) > 0",
        "length(repeat('x', 900000000)) > 0",
        "load_extension('x') IS NULL",
    };
    for (const auto& attack : attacks) {
        INFO("expression: " << attack);
        sdk::SubscriberQuery q;
        q.filter = byExpression(attack);
        sdk::SubscriberPage page;
        const auto st = store.subscribers().query(q, page);
        CHECK_FALSE(st.ok());
        CHECK(st.code() == StatusCode::Invalid);
        CHECK(st.message().rfind("query: ", 0) == 0);
        CHECK(st.message().find("secret-role-name") == std::string::npos);

        std::int64_t affected = 0;
        CHECK_FALSE(store.subscribers().remove(byExpression(attack), affected).ok());
        CHECK_FALSE(store.subscribers().blocklist(byExpression(attack), affected).ok());
        sdk::SubscriptionChange change;
        change.action = sdk::SubscriptionAction::Remove;
        change.list_ids = {list.id};
        CHECK_FALSE(store.subscribers().changeSubscriptions(byExpression(attack), change, affected).ok());
        bool streamed = false;
        CHECK_FALSE(store.subscribers()
                        .stream(q, 10, [&](const std::vector<sdk::Subscriber>&) { streamed = true; return true; })
                        .ok());
        CHECK_FALSE(streamed);
    }
    sdk::SubscriberQuery q;
    q.filter = byExpression("EXISTS (SELECT 1 FROM users)");
    sdk::SubscriberPage page;
    CHECK(store.subscribers().query(q, page).message() == "query: table 'users' is not allowed");

    // Nothing changed.
    const auto all = queryAll(store);
    CHECK(all.total == 3);
    for (const auto& s : all.results) {
        CHECK(s.status == sdk::SubscriberStatus::Enabled);
        CHECK(s.lists.size() == 1);
    }
    std::vector<sdk::Role> roles;
    REQUIRE_OK(store.users().listRoles(roles));
    CHECK(roles.size() == 1);
}

TEST_CASE_METHOD(StoreFixture, "subscribers: bulk remove and blocklist by filter", "[subscribers]") {
    const auto list = makeList(store, "A");
    const auto s1 = makeSub(store, "r1@example.com", {list.id}, sdk::SubscriptionStatus::Confirmed, "R", R"({"k": 1})");
    const auto s2 = makeSub(store, "r2@example.com", {list.id}, sdk::SubscriptionStatus::Confirmed, "R", R"({"k": 2})");
    makeSub(store, "r3@example.com", {list.id}, sdk::SubscriptionStatus::Confirmed, "R", R"({"k": 3})");
    makeSub(store, "keep@example.com");
    std::int64_t affected = 0;

    REQUIRE_OK(store.subscribers().blocklist(byExpression("subscribers.attribs->>'k' = '2'"), affected));
    CHECK(affected == 1);
    CHECK(fetch(store, s2.id).status == sdk::SubscriberStatus::Blocklisted);
    CHECK(fetch(store, s2.id).lists.at(0).status == sdk::SubscriptionStatus::Unsubscribed);

    REQUIRE_OK(store.subscribers().remove(byExpression("subscribers.attribs->>'k' = 'none'"), affected));
    CHECK(affected == 0);
    CHECK(queryAll(store).total == 4);

    sdk::SubscriberFilter by_id;
    by_id.ids = {s1.id};
    REQUIRE_OK(store.subscribers().remove(by_id, affected));
    CHECK(affected == 1);
    sdk::SubscriberFilter by_search;
    by_search.search = "r3@";
    REQUIRE_OK(store.subscribers().remove(by_search, affected));
    CHECK(affected == 1);
    REQUIRE_OK(store.subscribers().remove(byExpression("subscribers.attribs ? 'k'"), affected));
    CHECK(affected == 1);
    const auto rest = queryAll(store);
    CHECK(emails(rest) == std::vector<std::string>{"keep@example.com"});
    sdk::Subscriber gone;
    CHECK(store.subscribers().get(s1.id, gone).code() == StatusCode::NotFound);
}

TEST_CASE_METHOD(StoreFixture, "subscribers: stream returns every match in bounded batches", "[subscribers]") {
    const auto list = makeList(store, "A");
    for (int i = 0; i < 25; ++i)
        makeSub(store, "st" + std::to_string(i) + "@example.com", i % 2 ? std::vector<sdk::Id>{list.id} : std::vector<sdk::Id>{});
    sdk::SubscriberQuery q;
    std::vector<std::size_t> sizes;
    std::vector<sdk::Id> seen;
    REQUIRE_OK(store.subscribers().stream(q, 10, [&](const std::vector<sdk::Subscriber>& batch) {
        sizes.push_back(batch.size());
        for (const auto& s : batch) seen.push_back(s.id);
        return true;
    }));
    CHECK(sizes == std::vector<std::size_t>{10, 10, 5});
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(std::set<sdk::Id>(seen.begin(), seen.end()).size() == 25);

    q.filter.list_ids = {list.id};
    std::size_t count = 0;
    REQUIRE_OK(store.subscribers().stream(q, 5, [&](const std::vector<sdk::Subscriber>& batch) {
        for (const auto& s : batch) CHECK(s.lists.size() == 1);
        count += batch.size();
        return true;
    }));
    CHECK(count == 12);

    int calls = 0;
    REQUIRE_OK(store.subscribers().stream(q, 5, [&](const std::vector<sdk::Subscriber>&) { return ++calls < 1; }));
    CHECK(calls == 1);

    sdk::SubscriberQuery eq;
    eq.filter = byExpression("subscribers.email LIKE 'st1%'");
    count = 0;
    REQUIRE_OK(store.subscribers().stream(eq, 3, [&](const std::vector<sdk::Subscriber>& batch) {
        count += batch.size();
        return true;
    }));
    CHECK(count == 11);  // st1, st10..st19
}

TEST_CASE_METHOD(StoreFixture, "subscribers: a query expression cannot escape its parentheses past other filters",
                 "[subscribers][security]") {
    sdk::List in_list;
    REQUIRE_OK(store.lists().create([] { sdk::ListDraft d; d.name = "Inside"; return d; }(), in_list));
    sdk::Subscriber member, outsider;
    REQUIRE_OK(store.subscribers().create([] { sdk::SubscriberDraft d; d.email = "in@example.com"; d.name = "In"; return d; }(),
                                          {in_list.id}, sdk::SubscriptionStatus::Confirmed, member));
    REQUIRE_OK(store.subscribers().create([] { sdk::SubscriberDraft d; d.email = "out@example.com"; d.name = "Out"; return d; }(),
                                          {}, sdk::SubscriptionStatus::Confirmed, outsider));
    // Every store refuses these: they would OR their way past the list filter.
    for (const char* attack : {"subscribers.id > 0) OR (1=1", "1=1)) OR ((1=1", "1=1 -- )", "1=1 /* ) */",
                               "$$)$$ = '' OR (1=1)"}) {
        INFO(attack);
        sdk::SubscriberFilter filter;
        filter.sql_expression = attack;
        filter.list_ids = {in_list.id};
        std::int64_t affected = 0;
        const auto st = store.subscribers().blocklist(filter, affected);
        CHECK(st.code() == StatusCode::Invalid);
        sdk::SubscriberQuery q;
        q.filter = filter;
        sdk::SubscriberPage page;
        CHECK(store.subscribers().query(q, page).code() == StatusCode::Invalid);
    }
    REQUIRE_OK(store.subscribers().get(outsider.id, outsider));
    CHECK(outsider.status == sdk::SubscriberStatus::Enabled);
    // Parentheses inside literals do not count; ordinary nested expressions still work.
    sdk::SubscriberQuery q;
    q.filter.sql_expression = "(subscribers.name = ')(' OR (subscribers.email LIKE '%@example.com'))";
    q.filter.list_ids = {in_list.id};
    sdk::SubscriberPage page;
    REQUIRE_OK(store.subscribers().query(q, page));
    CHECK(page.total == 1);
}
