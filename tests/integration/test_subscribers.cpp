// /api/subscribers over HTTP: CRUD, memberships, queries and bulk actions.
#include <set>

#include "shared_server.hpp"

using namespace tidings::test;

namespace {

std::string ids(std::initializer_list<std::int64_t> list) {
    std::string out;
    for (auto id : list) out += (out.empty() ? "" : ",") + std::to_string(id);
    return "[" + out + "]";
}

Poco::JSON::Object::Ptr fetch(std::int64_t id) {
    auto r = server().get("/api/subscribers/" + std::to_string(id), server().admin());
    REQUIRE(r.status == 200);
    return r.data();
}

std::string statusIn(const Poco::JSON::Object::Ptr& s, std::int64_t list_id) {
    auto lists = s->getArray("lists");
    for (std::size_t i = 0; i < lists->size(); ++i) {
        auto l = lists->getObject(static_cast<unsigned>(i));
        if (l->getValue<std::int64_t>("id") == list_id) return l->getValue<std::string>("subscription_status");
    }
    return "";
}

}  // namespace

TEST_CASE("subscribers: create normalises, defaults and returns the full record", "[subscribers]") {
    auto list = createList(unique("sub-"));
    std::string local = unique("john.doe");
    auto r = server().post("/api/subscribers",
                           R"({"email":"  )" + local + R"(@EXAMPLE.com ","status":"enabled","lists":)" + ids({idOf(list)}) +
                               R"(,"attribs":{"city":"New York","n":[1,2]}})",
                           server().admin());
    REQUIRE(r.status == 200);
    auto s = r.data();
    CHECK(s->getValue<std::string>("email") == local + "@example.com");
    CHECK_FALSE(s->getValue<std::string>("name").empty());
    CHECK(s->getObject("attribs")->getValue<std::string>("city") == "New York");
    CHECK(statusIn(s, idOf(list)) == "unconfirmed");
    CHECK(s->getValue<std::string>("uuid").size() == 36);

    auto dup = server().post("/api/subscribers", R"({"email":")" + local + R"(@Example.COM"})", server().admin());
    CHECK(dup.status == 409);

    auto pre = server().post("/api/subscribers",
                             R"({"email":")" + unique("pre") + R"(@example.com","lists":)" + ids({idOf(list)}) +
                                 R"(,"preconfirm_subscriptions":true})",
                             server().admin());
    REQUIRE(pre.status == 200);
    CHECK(statusIn(pre.data(), idOf(list)) == "confirmed");
}

TEST_CASE("subscribers: PUT replaces lists and attribs, PATCH changes only what is sent", "[subscribers]") {
    auto a = createList(unique("a-"));
    auto b = createList(unique("b-"));
    auto s = createSubscriber(unique("upd") + "@example.com", {idOf(a)}, R"({"keep":"no"})");
    auto id = std::to_string(idOf(s));
    auto put = server().put("/api/subscribers/" + id, R"({"name":"New Name","lists":)" + ids({idOf(b)}) + "}", server().admin());
    REQUIRE(put.status == 200);
    auto after = fetch(idOf(s));
    CHECK(after->getValue<std::string>("name") == "New Name");
    CHECK(after->getObject("attribs")->size() == 0);
    CHECK(statusIn(after, idOf(a)).empty());
    CHECK(statusIn(after, idOf(b)) == "unconfirmed");

    auto patch = server().request("PATCH", "/api/subscribers/" + id, R"({"attribs":{"plan":"pro"}})", server().admin());
    REQUIRE(patch.status == 200);
    after = fetch(idOf(s));
    CHECK(after->getValue<std::string>("name") == "New Name");
    CHECK(after->getObject("attribs")->getValue<std::string>("plan") == "pro");
    CHECK(statusIn(after, idOf(b)) == "unconfirmed");
}

TEST_CASE("subscribers: list actions, blocklisting and deletion by id", "[subscribers]") {
    auto list = createList(unique("act-"));
    auto s1 = createSubscriber(unique("a1") + "@example.com");
    auto s2 = createSubscriber(unique("a2") + "@example.com");
    auto body = [&](const std::string& action, const std::string& extra = "") {
        return R"({"ids":)" + ids({idOf(s1), idOf(s2)}) + R"(,"action":")" + action + R"(","target_list_ids":)" +
               ids({idOf(list)}) + extra + "}";
    };
    REQUIRE(server().put("/api/subscribers/lists", body("add", R"(,"status":"confirmed")"), server().admin()).status == 200);
    CHECK(statusIn(fetch(idOf(s1)), idOf(list)) == "confirmed");
    REQUIRE(server().put("/api/subscribers/lists", body("unsubscribe"), server().admin()).status == 200);
    CHECK(statusIn(fetch(idOf(s2)), idOf(list)) == "unsubscribed");
    REQUIRE(server().put("/api/subscribers/lists", body("remove"), server().admin()).status == 200);
    CHECK(statusIn(fetch(idOf(s1)), idOf(list)).empty());

    REQUIRE(server().put("/api/subscribers/lists", body("add"), server().admin()).status == 200);
    REQUIRE(server().put("/api/subscribers/blocklist", R"({"ids":)" + ids({idOf(s1)}) + "}", server().admin()).status == 200);
    auto blocked = fetch(idOf(s1));
    CHECK(blocked->getValue<std::string>("status") == "blocklisted");
    CHECK(statusIn(blocked, idOf(list)) == "unsubscribed");

    auto del = server().del("/api/subscribers?id=" + std::to_string(idOf(s1)) + "&id=" + std::to_string(idOf(s2)),
                            server().admin());
    CHECK(del.status == 200);
    CHECK(server().get("/api/subscribers/" + std::to_string(idOf(s1)), server().admin()).status == 404);
    CHECK(server().get("/api/subscribers/" + std::to_string(idOf(s2)), server().admin()).status == 404);
}

TEST_CASE("subscribers: listing with list filters, query expressions, order and paging", "[subscribers][query]") {
    auto list = createList(unique("q-"));
    std::string city = unique("City");
    for (int i = 0; i < 5; ++i) {
        createSubscriber(unique("q" + std::to_string(i) + "-") + "@example.com", {idOf(list)},
                         i < 3 ? R"({"city":")" + city + R"("})" : std::string("{}"));
    }
    auto lid = std::to_string(idOf(list));
    auto byList = server().get("/api/subscribers?list_id=" + lid + "&per_page=2&order_by=email&order=desc", server().admin());
    REQUIRE(byList.status == 200);
    CHECK(byList.data()->getValue<int>("total") == 5);
    CHECK(byList.data()->getArray("results")->size() == 2);
    auto first = byList.data()->getArray("results")->getObject(0)->getValue<std::string>("email");
    auto second = byList.data()->getArray("results")->getObject(1)->getValue<std::string>("email");
    CHECK(first > second);

    auto all = server().get("/api/subscribers?list_id=" + lid + "&per_page=all", server().admin());
    REQUIRE(all.status == 200);
    CHECK(all.data()->getArray("results")->size() == 5);
    CHECK(all.data()->getValue<int>("total") == 5);
    CHECK(all.data()->getValue<int>("per_page") == 0);

    auto expr = server().get("/api/subscribers?query=" + std::string("subscribers.attribs-%3E%3E%27city%27%3D%27") + city +
                                 "%27",
                             server().admin());
    REQUIRE(expr.status == 200);
    CHECK(expr.data()->getValue<int>("total") == 3);

    auto status = server().get("/api/subscribers?list_id=" + lid + "&subscription_status=confirmed", server().admin());
    REQUIRE(status.status == 200);
    CHECK(status.data()->getValue<int>("total") == 0);
}

TEST_CASE("subscribers: bulk actions by query", "[subscribers][query]") {
    auto list = createList(unique("bulk-"));
    auto target = createList(unique("target-"));
    std::string tag = unique("t");
    for (int i = 0; i < 4; ++i) {
        createSubscriber(unique("b" + std::to_string(i) + "-") + "@example.com", {idOf(list)},
                         R"({"tag":")" + tag + R"(","i":)" + std::to_string(i) + "}");
    }
    std::string q = "subscribers.attribs->>'tag' = '" + tag + "'";
    auto add = server().put("/api/subscribers/query/lists",
                            json([&] {
                                Poco::JSON::Object o;
                                o.set("query", q);
                                o.set("action", "add");
                                Poco::JSON::Array t;
                                t.add(idOf(target));
                                o.set("target_list_ids", t);
                                o.set("status", "confirmed");
                                return o;
                            }()),
                            server().admin());
    INFO(add.body);
    REQUIRE(add.status == 200);
    auto in_target = server().get("/api/subscribers?list_id=" + std::to_string(idOf(target)), server().admin());
    CHECK(in_target.data()->getValue<int>("total") == 4);

    Poco::JSON::Object bl;
    bl.set("query", q + " AND (subscribers.attribs->>'i')::int < 2");
    REQUIRE(server().put("/api/subscribers/query/blocklist", json(bl), server().admin()).status == 200);
    CHECK(server().sql("SELECT count(*) FROM subscribers WHERE status = 'blocklisted' AND attribs->>'tag' = '" + tag + "'") == "2");

    Poco::JSON::Object del;
    del.set("query", q);
    auto d = server().post("/api/subscribers/query/delete", json(del), server().admin());
    REQUIRE(d.status == 200);
    CHECK(server().sql("SELECT count(*) FROM subscribers WHERE attribs->>'tag' = '" + tag + "'") == "0");

    // Without a query, search or all:true a bulk action selects nobody and is refused.
    CHECK(server().post("/api/subscribers/query/delete", "{}", server().admin()).status == 400);
}

TEST_CASE("admin export of one subscriber: listmonk's sections as a JSON download, subscribers:get, 404 for nobody",
          "[subscribers][export]") {
    auto pub = createList(unique("Export pub "), "public");
    auto priv = createList(unique("Export priv "), "private");
    const std::string email = unique("export") + "@example.com";
    auto s = createSubscriber(email, {idOf(pub), idOf(priv)});
    const std::string path = "/api/subscribers/" + std::to_string(idOf(s)) + "/export";

    // The subscriber's own export being off does not stop an administrator's.
    REQUIRE(server().put("/api/settings", R"({"privacy.allow_export": false})", server().admin()).status == 200);
    auto r = server().get(path, server().admin());
    REQUIRE(server().put("/api/settings", R"({"privacy.allow_export": true})", server().admin()).status == 200);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.headers["content-type"].rfind("application/json", 0) == 0);
    CHECK(r.headers["content-disposition"] == "attachment; filename=\"data.json\"");
    auto doc = r.json.extract<Poco::JSON::Object::Ptr>();
    CHECK_FALSE(doc->has("data"));  // a bare document, as listmonk sends it
    auto profile = doc->getArray("profile");
    REQUIRE(profile->size() == 1);
    CHECK(profile->getObject(0)->getValue<std::string>("email") == email);
    CHECK(profile->getObject(0)->getValue<std::string>("uuid") == s->getValue<std::string>("uuid"));
    auto subs = doc->getArray("subscriptions");
    REQUIRE(subs->size() == 2);
    std::set<std::string> names;
    for (std::size_t i = 0; i < subs->size(); ++i)
        names.insert(subs->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
    CHECK(names == std::set<std::string>{pub->getValue<std::string>("name"), "Private list"});
    CHECK(doc->getArray("campaign_views")->size() == 0);
    CHECK(doc->getArray("link_clicks")->size() == 0);

    // privacy.exportable picks the sections.
    REQUIRE(server().put("/api/settings", R"({"privacy.exportable": ["profile"]})", server().admin()).status == 200);
    auto only_profile = server().get(path, server().admin());
    REQUIRE(server().put("/api/settings",
                         R"({"privacy.exportable": ["profile", "subscriptions", "campaign_views", "link_clicks"]})",
                         server().admin()).status == 200);
    REQUIRE(only_profile.status == 200);
    auto limited = only_profile.json.extract<Poco::JSON::Object::Ptr>();
    CHECK(limited->has("profile"));
    CHECK_FALSE(limited->has("subscriptions"));
    CHECK_FALSE(limited->has("link_clicks"));

    // subscribers:get (or get_all) is required, as in listmonk.
    CHECK(server().get(path, createApiUser(server(), R"(["subscribers:get"])")).status == 200);
    CHECK(server().get(path, createApiUser(server(), R"(["subscribers:get_all"])")).status == 200);
    auto denied = server().get(path, createApiUser(server(), R"(["lists:get_all"])"));
    CHECK(denied.status == 403);
    CHECK(denied.message().find("subscribers:get") != std::string::npos);
    CHECK(server().get(path, Credentials::none()).status == 401);

    auto unknown = server().get("/api/subscribers/999999999/export", server().admin());
    CHECK(unknown.status == 404);
    CHECK(server().get("/api/subscribers/abc/export", server().admin()).status == 400);
}
