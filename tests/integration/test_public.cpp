// The public API and pages: public lists, subscription by JSON and by form (and where the form
// sends people next), preferences, CORS and rate limiting.
#include <thread>

#include <Poco/URI.h>

#include "shared_server.hpp"

using namespace tidings::test;

namespace {

std::string subscribeJson(const std::string& email, const std::vector<std::string>& uuids) {
    Poco::JSON::Object o;
    o.set("email", email);
    o.set("name", "Pat");
    Poco::JSON::Array arr;
    for (const auto& u : uuids) arr.add(u);
    o.set("list_uuids", arr);
    return json(o);
}

std::string formEncode(const std::string& text) {
    std::string out;
    Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]\\", out);
    return out;
}

HttpResult postForm(const std::string& path, const std::string& body) {
    return server().request("POST", path, body, Credentials::none(), "application/x-www-form-urlencoded");
}

Poco::JSON::Object::Ptr subscriberByEmail(const std::string& email) {
    auto r = server().get("/api/subscribers?search=" + email, server().admin());
    REQUIRE(r.status == 200);
    auto results = r.data()->getArray("results");
    REQUIRE(results->size() == 1);
    return results->getObject(0);
}

}  // namespace

TEST_CASE("public lists show only public, active lists with six fields", "[public]") {
    auto pub = createList(unique("Public "), "public", "double");
    auto priv = createList(unique("Private "), "private");
    auto r = server().get("/api/public/lists", Credentials::none());
    REQUIRE(r.status == 200);
    auto arr = r.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
    bool found_public = false;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        auto l = arr->getObject(static_cast<unsigned>(i));
        CHECK(l->getValue<std::string>("type") == "public");
        CHECK(l->getValue<std::int64_t>("id") != idOf(priv));
        for (const char* f : {"id", "uuid", "name", "type", "optin", "description"}) CHECK(l->has(f));
        if (l->getValue<std::int64_t>("id") == idOf(pub)) found_public = true;
    }
    CHECK(found_public);
}

TEST_CASE("public subscription: single opt-in is confirmed at once, re-subscribing keeps the profile",
          "[public]") {
    auto single = createList(unique("Single "), "public", "single");
    std::string email = unique("pub") + "@example.com";
    auto r = server().post("/api/public/subscription", subscribeJson(email, {single->getValue<std::string>("uuid")}),
                           Credentials::none());
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.data()->getValue<bool>("has_optin") == false);
    CHECK_FALSE(r.data()->getValue<std::string>("message").empty());
    auto s = subscriberByEmail(email);
    CHECK(s->getValue<std::string>("name") == "Pat");
    CHECK(s->getArray("lists")->getObject(0)->getValue<std::string>("subscription_status") == "confirmed");

    // Re-subscribing with another name adds lists but does not change the name.
    auto other = createList(unique("Other "), "public", "single");
    Poco::JSON::Object o;
    o.set("email", email);
    o.set("name", "Someone Else");
    Poco::JSON::Array arr;
    arr.add(other->getValue<std::string>("uuid"));
    o.set("list_uuids", arr);
    REQUIRE(server().post("/api/public/subscription", json(o), Credentials::none()).status == 200);
    s = subscriberByEmail(email);
    CHECK(s->getValue<std::string>("name") == "Pat");
    CHECK(s->getArray("lists")->size() == 2);
}

TEST_CASE("public subscription by form with repeated l fields", "[public]") {
    auto a = createList(unique("FormA "), "public", "single");
    auto b = createList(unique("FormB "), "public", "single");
    std::string email = unique("form") + "@example.com";
    std::string body = "email=" + email + "&name=Form+User&l=" + a->getValue<std::string>("uuid") +
                       "&l=" + b->getValue<std::string>("uuid");
    auto r = server().request("POST", "/api/public/subscription", body, Credentials::none(),
                              "application/x-www-form-urlencoded");
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(subscriberByEmail(email)->getArray("lists")->size() == 2);
}

TEST_CASE("public subscription refuses bad input and writes nothing", "[public]") {
    auto pub = createList(unique("Pub "), "public", "single");
    auto priv = createList(unique("Priv "), "private", "single");
    auto before = server().sql("SELECT count(*) || '/' || (SELECT count(*) FROM subscriber_lists) FROM subscribers");
    std::string uuid = pub->getValue<std::string>("uuid");
    struct Case {
        std::string body;
        int status;
    };
    for (const auto& c : std::vector<Case>{
             {subscribeJson("not-an-email", {uuid}), 400},
             {subscribeJson(unique("x") + "@example.com", {}), 400},
             {subscribeJson(unique("x") + "@example.com", {"not-a-uuid"}), 400},
             {subscribeJson(unique("x") + "@example.com", {"5e5e7e5e-5e5e-5e5e-5e5e-5e5e7e5e7e5e"}), 400},
             {subscribeJson(unique("x") + "@example.com", {priv->getValue<std::string>("uuid")}), 400},
             {subscribeJson(unique("x") + "@example.com", {uuid, priv->getValue<std::string>("uuid")}), 400},
             {R"({"email": "x@example.com", "list_uuids": "oops"})", 400},
             {R"({"email": )", 400},
         }) {
        INFO(c.body);
        auto r = server().post("/api/public/subscription", c.body, Credentials::none());
        CHECK(r.status == c.status);
        CHECK_FALSE(r.message().empty());
    }
    CHECK(server().sql("SELECT count(*) || '/' || (SELECT count(*) FROM subscriber_lists) FROM subscribers") == before);
}

TEST_CASE("a blocklisted address cannot subscribe again", "[public]") {
    auto pub = createList(unique("Block "), "public", "single");
    std::string email = unique("blocked") + "@example.com";
    auto s = createSubscriber(email);
    REQUIRE(server().put("/api/subscribers/blocklist", R"({"ids":[)" + std::to_string(idOf(s)) + "]}", server().admin()).status == 200);
    auto r = server().post("/api/public/subscription", subscribeJson(email, {pub->getValue<std::string>("uuid")}),
                           Credentials::none());
    CHECK(r.status == 403);
    CHECK(subscriberByEmail(email)->getArray("lists")->size() == 0);
}

TEST_CASE("CORS: allowed origins get headers, others none", "[public][cors]") {
    TidingsServer cors(std::map<std::string, std::string>{{"TIDINGS_SECURITY__CORS_ORIGINS", R"(["https://example.com"])"}});
    auto ok = cors.request("OPTIONS", "/api/public/subscription", "", Credentials::none(), "",
                           {{"Origin", "https://example.com"}, {"Access-Control-Request-Method", "POST"}});
    CHECK(ok.status == 204);
    CHECK(ok.headers["access-control-allow-origin"] == "https://example.com");
    CHECK(ok.headers["access-control-allow-methods"].find("POST") != std::string::npos);
    auto evil = cors.request("OPTIONS", "/api/public/subscription", "", Credentials::none(), "",
                             {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    CHECK(evil.headers.count("access-control-allow-origin") == 0);
    auto actual = cors.request("GET", "/api/public/lists", "", Credentials::none(), "", {{"Origin", "https://example.com"}});
    CHECK(actual.headers["access-control-allow-origin"] == "https://example.com");
    auto admin = cors.request("GET", "/api/lists", "", cors.admin(), "", {{"Origin", "https://example.com"}});
    CHECK(admin.headers.count("access-control-allow-origin") == 0);
}

TEST_CASE("rate limiting: a flood of posts from one client gets 429 with Retry-After, reads never do",
          "[public][ratelimit]") {
    TidingsServer limited(std::map<std::string, std::string>{{"TIDINGS_SECURITY__RATE_LIMIT", "1"}, {"TIDINGS_SECURITY__RATE_BURST", "5"}});
    // A site that renders its sign-up box on every page view reads the public lists and pages far
    // above the limit, from one address; none of that is limited.
    for (int i = 0; i < 30; ++i) {
        for (const char* path : {"/api/public/lists", "/subscription/form", "/health", "/robots.txt", "/"}) {
            auto r = limited.get(path, Credentials::none());
            INFO(path);
            REQUIRE(r.status != 429);
        }
    }
    int answered = 0, limited_count = 0;
    std::string retry_after;
    for (int i = 0; i < 20; ++i) {
        // Bad input is answered 400, but still spends the client's allowance.
        auto r = limited.post("/api/public/subscription", "{}", Credentials::none());
        if (r.status == 400) ++answered;
        if (r.status == 429) {
            ++limited_count;
            retry_after = r.headers["retry-after"];
        }
    }
    // The burst is always served; how many more pass depends on how fast the loop runs, which
    // no test should assume.
    CHECK(answered >= 5);
    CHECK(limited_count > 0);
    CHECK_FALSE(retry_after.empty());
    // Every other kind of public post is limited too: a flood of each meets a 429.
    const std::string uuid = "00000000-0000-4000-8000-000000000000";
    const std::vector<std::string> posts{"/subscription/form", "/subscription/optin/" + uuid,
                                         "/subscription/" + uuid + "/" + uuid, "/subscription/export/" + uuid,
                                         "/subscription/wipe/" + uuid};
    for (const auto& path : posts) {
        INFO(path);
        int refused = 0;
        for (int i = 0; i < 10; ++i) {
            if (limited.request("POST", path, "", Credentials::none(), "application/x-www-form-urlencoded").status == 429)
                ++refused;
        }
        CHECK(refused > 0);
    }
    // Reads still pass while the client is limited, and admin routes are never limited.
    CHECK(limited.get("/api/public/lists", Credentials::none()).status == 200);
    CHECK(limited.get("/api/lists", limited.admin()).status == 200);
}

TEST_CASE("public lists carry a strong ETag and a short max-age, and a matching If-None-Match gets 304",
          "[public][etag]") {
    auto first = server().get("/api/public/lists", Credentials::none());
    REQUIRE(first.status == 200);
    const std::string etag = first.headers["etag"];
    REQUIRE(etag.size() > 2);
    CHECK(etag.front() == '"');
    CHECK(etag.back() == '"');
    CHECK(etag.rfind("W/", 0) == std::string::npos);
    CHECK(first.headers["cache-control"] == "public, max-age=60");

    auto again = server().request("GET", "/api/public/lists", "", Credentials::none(), "", {{"If-None-Match", etag}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.headers["etag"] == etag);
    auto listed = server().request("GET", "/api/public/lists", "", Credentials::none(), "",
                                   {{"If-None-Match", "\"other\", W/" + etag}});
    CHECK(listed.status == 304);
    auto stale = server().request("GET", "/api/public/lists", "", Credentials::none(), "", {{"If-None-Match", "\"other\""}});
    CHECK(stale.status == 200);
    CHECK(stale.body == first.body);

    // The tag follows the content: a new public list changes it, and the old one no longer matches.
    createList(unique("ETag "), "public", "single");
    auto changed = server().request("GET", "/api/public/lists", "", Credentials::none(), "", {{"If-None-Match", etag}});
    CHECK(changed.status == 200);
    CHECK(changed.headers["etag"] != etag);
    CHECK(changed.body != first.body);
}

TEST_CASE("public: health, robots.txt, the landing page and the custom stylesheet and script", "[public]") {
    auto health = server().get("/health", Credentials::none());
    CHECK(health.status == 200);
    CHECK(health.body == R"({"data":true})");
    auto robots = server().get("/robots.txt", Credentials::none());
    CHECK(robots.status == 200);
    CHECK(robots.headers["content-type"].rfind("text/plain", 0) == 0);
    CHECK(robots.body.find("Disallow: /campaign/") != std::string::npos);
    auto home = server().get("/", Credentials::none());
    CHECK(home.status == 200);
    CHECK(home.body.find("/subscription/form") != std::string::npos);

    REQUIRE(server().put("/api/settings",
                         R"({"appearance.public.custom_css": "body { color: #123456; }", "appearance.public.custom_js": "window.x = 1;"})",
                         server().admin()).status == 200);
    auto css = server().get("/public/custom.css", Credentials::none());
    CHECK(css.status == 200);
    CHECK(css.headers["content-type"].rfind("text/css", 0) == 0);
    CHECK(css.body == "body { color: #123456; }");
    auto js = server().get("/public/custom.js", Credentials::none());
    CHECK(js.status == 200);
    CHECK(js.body == "window.x = 1;");
    // The public pages load both.
    auto form = server().get("/subscription/form", Credentials::none());
    CHECK(form.body.find("/public/custom.css") != std::string::npos);
    CHECK(form.body.find("/public/custom.js") != std::string::npos);
    REQUIRE(server().put("/api/settings", R"({"appearance.public.custom_css": "", "appearance.public.custom_js": ""})",
                         server().admin()).status == 200);

    // Monitors poll /health far above the public rate limit.
    for (int i = 0; i < 60; ++i) REQUIRE(server().get("/health", Credentials::none()).status == 200);
}

TEST_CASE("subscription form: a trusted next redirects with 303 after subscribing, any other renders the page",
          "[public][next]") {
    const std::string uuid = createList(unique("Next "), "public", "single")->getValue<std::string>("uuid");
    REQUIRE(server().put("/api/settings", R"({"security.trusted_urls": ["https://example.org/thanks", "*"]})",
                         server().admin()).status == 200);
    const std::string root = server().root();  // http://127.0.0.1:<port>
    const std::string host = root.substr(std::string("http://").size());
    struct Case {
        std::string next;
        std::string location;  ///< Empty: no redirect.
    };
    const std::vector<Case> cases{
        {"https://example.org/thanks", "https://example.org/thanks"},
        {" https://example.org/thanks\n", "https://example.org/thanks"},  // trimmed, as listmonk does
        {root + "/welcome?from=form", root + "/welcome?from=form"},       // the site's own pages
        {root, root},
        {"https://example.org/thanks/", ""},  // a trusted URL matches by its exact text
        {"https://example.org/other", ""},
        {"https://evil.example.com/", ""},  // "*" trusts origins for CORS, never a redirect
        {"http://evil.example.com\\@" + host + "/", ""},
        {"http://someone@" + host + "/", ""},
        {root + ".evil.example.com/", ""},
        {"https://" + host + "/", ""},  // another scheme is another origin
        {"//evil.example.com/", ""},
        {"/thanks", ""},
        {"https://example.org/thanks\r\nSet-Cookie: x=1", ""},
    };
    const auto before = std::stoll(server().sql("SELECT count(*) FROM subscribers"));
    for (const auto& c : cases) {
        INFO(c.next);
        const std::string email = unique("next") + "@example.com";
        auto r = postForm("/subscription/form", "email=" + formEncode(email) + "&l=" + uuid + "&next=" + formEncode(c.next));
        if (c.location.empty()) {
            CHECK(r.status == 200);
            CHECK(r.headers.count("location") == 0);
            CHECK_THAT(r.body, Catch::Contains("You are now subscribed"));
        } else {
            CHECK(r.status == 303);
            CHECK(r.headers["location"] == c.location);
        }
        CHECK(subscriberByEmail(email)->getArray("lists")->size() == 1);
    }
    CHECK(std::stoll(server().sql("SELECT count(*) FROM subscribers")) == before + static_cast<long long>(cases.size()));

    // A refused subscription goes nowhere, however trusted the next page.
    auto refused = postForm("/subscription/form", "email=not-an-email&l=" + uuid + "&next=" + formEncode("https://example.org/thanks"));
    CHECK(refused.status == 400);
    CHECK(refused.headers.count("location") == 0);
    CHECK(std::stoll(server().sql("SELECT count(*) FROM subscribers")) == before + static_cast<long long>(cases.size()));
}

TEST_CASE("preferences: a blank name is a 400 page that changes nothing", "[public][preferences]") {
    auto keep = createList(unique("PrefKeep "), "public", "single");
    auto drop = createList(unique("PrefDrop "), "public", "single");
    const std::string email = unique("pref") + "@example.com";
    auto s = createSubscriber(email, {idOf(keep), idOf(drop)});
    const std::string path = "/subscription/00000000-0000-0000-0000-000000000000/" + s->getValue<std::string>("uuid");
    const std::string id = std::to_string(idOf(s));
    auto state = [&] {
        return server().sql("SELECT name FROM subscribers WHERE id = " + id) + "/" +
               server().sql("SELECT count(*) FROM subscriber_lists WHERE status = 'unsubscribed' AND subscriber_id = " + id);
    };
    const std::string before = state();
    const std::string keep_uuid = keep->getValue<std::string>("uuid");
    for (const std::string& body : {"manage=true&name=&l=" + keep_uuid, "manage=true&name=+%09+&l=" + keep_uuid,
                                    "manage=true&l=" + keep_uuid}) {
        INFO(body);
        auto r = postForm(path, body);
        CHECK(r.status == 400);
        CHECK_THAT(r.headers["content-type"], Catch::StartsWith("text/html"));
        CHECK_THAT(r.body, Catch::Contains("name: is required"));
    }
    CHECK(state() == before);

    // With a name the same form saves: the name, and the unchecked list is left.
    auto saved = postForm(path, "manage=true&name=New+Name&l=" + keep_uuid);
    CHECK(saved.status == 200);
    CHECK(state() == "New Name/1");
}
