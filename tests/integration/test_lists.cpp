// /api/lists over HTTP: fields, CRUD, filters, ordering, paging and maintained counts.
#include "shared_server.hpp"

using namespace tidings::test;

TEST_CASE("lists: create, read, update, delete", "[lists]") {
    auto r = server().post("/api/lists", R"({"name":"My List","type":"public","optin":"double","tags":["newsletter"]})",
                           server().admin());
    REQUIRE(r.status == 200);
    auto list = r.data();
    auto id = std::to_string(idOf(list));
    CHECK(list->getValue<std::string>("name") == "My List");
    CHECK(list->getValue<std::string>("type") == "public");
    CHECK(list->getValue<std::string>("optin") == "double");
    CHECK(list->getValue<std::string>("status") == "active");
    CHECK(list->getArray("tags")->getElement<std::string>(0) == "newsletter");
    CHECK(list->getValue<std::string>("uuid").size() == 36);
    for (const char* field : {"description", "subscriber_count", "subscriber_statuses", "created_at", "updated_at"}) {
        CHECK(list->has(field));
    }

    auto got = server().get("/api/lists/" + id, server().admin());
    CHECK(got.status == 200);
    CHECK(got.data()->getValue<std::string>("uuid") == list->getValue<std::string>("uuid"));

    auto upd = server().put("/api/lists/" + id, R"({"name":"Renamed","description":"About it","tags":[" a b "]})",
                            server().admin());
    REQUIRE(upd.status == 200);
    CHECK(upd.data()->getValue<std::string>("name") == "Renamed");
    CHECK(upd.data()->getValue<std::string>("type") == "public");  // unchanged when absent
    CHECK(upd.data()->getArray("tags")->getElement<std::string>(0) == "a-b");

    CHECK(server().del("/api/lists/" + id, server().admin()).status == 200);
    CHECK(server().get("/api/lists/" + id, server().admin()).status == 404);
    CHECK(server().del("/api/lists/" + id, server().admin()).status == 404);
}

TEST_CASE("lists: defaults, query, tag, order and paging", "[lists]") {
    std::string tag = unique("tag");
    auto a = createList(unique("alpha-"));
    CHECK(a->getValue<std::string>("type") == "private");
    CHECK(a->getValue<std::string>("optin") == "single");
    for (const char* n : {"zeta", "beta", "gamma"}) {
        auto r = server().post("/api/lists", R"({"name":")" + std::string(n) + tag + R"(","tags":[")" + tag + R"("]})",
                               server().admin());
        REQUIRE(r.status == 200);
    }
    auto tagged = server().get("/api/lists?tag=" + tag + "&order_by=name&order=desc", server().admin());
    REQUIRE(tagged.status == 200);
    auto results = tagged.data()->getArray("results");
    REQUIRE(results->size() == 3);
    CHECK(results->getObject(0)->getValue<std::string>("name") == "zeta" + tag);
    CHECK(results->getObject(2)->getValue<std::string>("name") == "beta" + tag);
    CHECK(tagged.data()->getValue<int>("total") == 3);

    auto page = server().get("/api/lists?tag=" + tag + "&order_by=name&per_page=2&page=2", server().admin());
    REQUIRE(page.status == 200);
    CHECK(page.data()->getArray("results")->size() == 1);
    CHECK(page.data()->getValue<int>("total") == 3);
    CHECK(page.data()->getValue<int>("page") == 2);

    auto search = server().get("/api/lists?query=gamma" + tag, server().admin());
    REQUIRE(search.status == 200);
    CHECK(search.data()->getArray("results")->size() == 1);

    auto minimal = server().get("/api/lists?minimal=true&per_page=all", server().admin());
    CHECK(minimal.status == 200);
}

TEST_CASE("lists: subscriber counts follow memberships", "[lists][counts]") {
    auto list = createList(unique("counted-"));
    auto id = idOf(list);
    auto s1 = createSubscriber(unique("c1-") + "@example.com", {id});
    auto s2 = createSubscriber(unique("c2-") + "@example.com", {id});
    auto counts = [&] {
        auto r = server().get("/api/lists/" + std::to_string(id), server().admin());
        return r.data();
    };
    CHECK(counts()->getValue<int>("subscriber_count") == 2);
    CHECK(counts()->getObject("subscriber_statuses")->getValue<int>("unconfirmed") == 2);
    auto r = server().put("/api/subscribers/lists",
                          R"({"ids":[)" + std::to_string(idOf(s1)) + R"(],"action":"unsubscribe","target_list_ids":[)" +
                              std::to_string(id) + "]}",
                          server().admin());
    REQUIRE(r.status == 200);
    CHECK(counts()->getValue<int>("subscriber_count") == 1);
    CHECK(counts()->getObject("subscriber_statuses")->getValue<int>("unsubscribed") == 1);
    CHECK(server().del("/api/subscribers/" + std::to_string(idOf(s2)), server().admin()).status == 200);
    CHECK(counts()->getValue<int>("subscriber_count") == 0);
}
