// The public archive over HTTP: which campaigns it shows, each rendered with archive_meta as the
// reader, the listing page, valid RSS 2.0, and the switch that turns it all off.
#include <catch2/catch.hpp>

#include <sstream>

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/JSON/Array.h>

#include "campaign_fixtures.hpp"

using namespace tidings::test;

namespace {

const std::map<std::string, std::string> kWithSmtp{{"TIDINGS_PLUGINS__ENABLED", "messenger-smtp"}};

std::int64_t archivedCampaign(const TidingsServer& server, std::int64_t list, const std::string& slug,
                              const std::string& subject) {
    Poco::JSON::Object c;
    c.set("name", unique("archived-"));
    c.set("subject", subject);
    c.set("from_email", "News <news@archive.test>");
    Poco::JSON::Array lists;
    lists.add(list);
    c.set("lists", lists);
    c.set("content_type", "html");
    c.set("body", "<p>Hello {{ .Subscriber.Name }}, this is issue {{ .Campaign.Subject }}.</p>");
    c.set("archive", true);
    c.set("archive_slug", slug);
    Poco::JSON::Object meta;
    meta.set("name", "Archive Reader");
    c.set("archive_meta", meta);
    auto r = server.post("/api/campaigns", json(c), server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

}  // namespace

TEST_CASE("archive: sent campaigns are listed, rendered, and syndicated as RSS", "[archive]") {
    MailSink sink({"--pipelining"});
    TidingsServer server(kWithSmtp);
    configureSending(server, sink, 1000, 1, 10);
    REQUIRE(server.put("/api/settings", R"({"app.enable_public_archive": true, "app.enable_public_archive_rss_content": true})",
                       server.admin()).status == 200);
    const auto list = makeList(server);
    addMembers(server, list, "arch", 2, "confirmed", "enabled", "archive.test");
    const std::string slug = unique("issue-");
    const auto id = archivedCampaign(server, list, slug, "News & <views>");
    const std::string uuid = campaignById(server, id)->getValue<std::string>("uuid");

    // Not sent yet: not in the archive.
    CHECK(server.get("/archive/" + slug, Credentials::none()).status == 404);

    REQUIRE(setCampaignStatus(server, id, "running") == 200);
    REQUIRE(waitForCampaignStatus(server, id, "finished"));

    auto api = server.get("/api/public/archive?per_page=50", Credentials::none());
    REQUIRE(api.status == 200);
    auto results = api.data()->getArray("results");
    bool listed = false;
    for (std::size_t i = 0; i < results->size(); ++i) {
        auto item = results->getObject(static_cast<unsigned>(i));
        if (item->getValue<std::string>("uuid") != uuid) continue;
        listed = true;
        CHECK(item->getValue<std::string>("subject") == "News & <views>");
        CHECK(item->getValue<std::string>("url") == server.root() + "/archive/" + slug);
    }
    CHECK(listed);

    for (const std::string& path : {"/archive/" + slug, "/archive/" + uuid, std::string("/archive/latest")}) {
        INFO(path);
        auto page = server.get(path, Credentials::none());
        REQUIRE(page.status == 200);
        CHECK(page.headers["content-type"].rfind("text/html", 0) == 0);
        CHECK(page.body.find("Hello Archive Reader, this is issue News &amp; &lt;views&gt;.") != std::string::npos);
        CHECK(page.body.find("px.png") == std::string::npos);  // archive pages are not tracked
    }
    CHECK(server.get("/archive/no-such-slug", Credentials::none()).status == 404);

    auto listing = server.get("/archive", Credentials::none());
    REQUIRE(listing.status == 200);
    CHECK(listing.body.find("News &amp; &lt;views&gt;") != std::string::npos);
    CHECK(listing.body.find("<views>") == std::string::npos);

    auto rss = server.get("/archive.xml", Credentials::none());
    REQUIRE(rss.status == 200);
    CHECK(rss.headers["content-type"].rfind("application/rss+xml", 0) == 0);
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> doc = parser.parseString(rss.body);  // throws on malformed XML
    REQUIRE(doc->documentElement()->nodeName() == "rss");
    CHECK(doc->documentElement()->getAttribute("version") == "2.0");
    Poco::AutoPtr<Poco::XML::NodeList> titles = doc->getElementsByTagName("title");
    bool in_feed = false;
    for (unsigned long i = 0; i < titles->length(); ++i) in_feed = in_feed || titles->item(i)->innerText() == "News & <views>";
    CHECK(in_feed);
    CHECK(rss.body.find("Hello Archive Reader") != std::string::npos);

    // A finished campaign cannot be edited, but its archive fields can (PUT .../archive).
    const std::string cid = "/api/campaigns/" + std::to_string(id);
    CHECK(server.put(cid, R"({"name":"renamed"})", server.admin()).status == 409);
    auto hidden = server.put(cid + "/archive", R"({"archive": false})", server.admin());
    INFO(hidden.body);
    REQUIRE(hidden.status == 200);
    CHECK_FALSE(hidden.data()->getValue<bool>("archive"));
    CHECK(server.get("/archive/" + slug, Credentials::none()).status == 404);
    const std::string moved = slug + "-moved";
    auto shown = server.put(cid + "/archive", R"({"archive": true, "archive_slug": ")" + moved + R"("})", server.admin());
    REQUIRE(shown.status == 200);
    CHECK(shown.data()->getValue<std::string>("archive_slug") == moved);
    CHECK(shown.data()->getValue<std::string>("name") != "renamed");
    CHECK(server.get("/archive/" + moved, Credentials::none()).status == 200);
    CHECK(server.put(cid + "/archive", R"({"archive_template_id": 999999})", server.admin()).status == 400);
    CHECK(server.put("/api/campaigns/999999/archive", R"({"archive": true})", server.admin()).status == 404);

    REQUIRE(server.put("/api/settings", R"({"app.enable_public_archive": false})", server.admin()).status == 200);
    for (const std::string& path : std::vector<std::string>{"/archive", "/archive.xml", "/archive/" + moved, "/api/public/archive"}) {
        INFO(path);
        CHECK(server.get(path, Credentials::none()).status == 404);
    }
}

TEST_CASE("archive preview: any campaign rendered with the posted archive template and archive_meta", "[archive][preview]") {
    TidingsServer server(kWithSmtp);
    const auto list = makeList(server);
    const auto id = archivedCampaign(server, list, unique("preview-"), "Preview issue");
    const std::string path = "/api/campaigns/" + std::to_string(id) + "/preview/archive";

    Poco::JSON::Object tpl;
    tpl.set("name", unique("archive-tpl-"));
    tpl.set("type", "campaign");
    tpl.set("body", R"(<main class="archive-frame">{{ template "content" . }}</main>)");
    auto created = server.post("/api/templates", json(tpl), server.admin());
    INFO(created.body);
    REQUIRE(created.status == 200);
    const std::string tpl_id = std::to_string(created.data()->getValue<std::int64_t>("id"));

    // A draft, with the archive off for the public: the preview still renders it, as listmonk's
    // admin does, with the campaign's own archive_meta when none is posted.
    auto own = server.post(path, "{}", server.admin());
    INFO(own.body);
    REQUIRE(own.status == 200);
    CHECK(own.headers["content-type"].rfind("text/html", 0) == 0);
    CHECK_THAT(own.body, Catch::Contains("Hello Archive Reader, this is issue Preview issue."));

    // listmonk's admin posts a form: template_id and archive_meta as JSON text.
    auto posted = server.request("POST", path,
                                 "template_id=" + tpl_id + "&archive_meta=" +
                                     "%7B%22name%22%3A%22Posted%20Reader%22%7D",
                                 server.admin(), "application/x-www-form-urlencoded");
    INFO(posted.body);
    REQUIRE(posted.status == 200);
    CHECK_THAT(posted.body, Catch::Contains(R"(<main class="archive-frame">)"));
    CHECK_THAT(posted.body, Catch::Contains("Hello Posted Reader,"));
    // JSON clients may send the object itself.
    auto as_json = server.post(path, R"({"template_id": )" + tpl_id + R"(, "archive_meta": {"name": "Json Reader"}})",
                               server.admin());
    REQUIRE(as_json.status == 200);
    CHECK_THAT(as_json.body, Catch::Contains("Hello Json Reader,") && Catch::Contains("archive-frame"));
    // Nothing was saved: the campaign keeps its archive_meta.
    auto again = server.post(path, "{}", server.admin());
    CHECK_THAT(again.body, Catch::Contains("Hello Archive Reader,"));

    // Bad input is refused, naming the field.
    auto bad_meta = server.post(path, R"({"archive_meta": "not json"})", server.admin());
    CHECK(bad_meta.status == 400);
    CHECK(bad_meta.message().rfind("archive_meta:", 0) == 0);
    auto list_meta = server.post(path, R"({"archive_meta": [1, 2]})", server.admin());
    CHECK(list_meta.status == 400);
    CHECK(list_meta.message().rfind("archive_meta:", 0) == 0);
    auto bad_tpl = server.post(path, R"({"template_id": 999999})", server.admin());
    CHECK(bad_tpl.status == 400);
    CHECK(bad_tpl.message().rfind("template_id:", 0) == 0);
    CHECK(server.post("/api/campaigns/999999/preview/archive", "{}", server.admin()).status == 404);
    auto apiUser = [&](const std::string& permissions) {
        auto role = server.post("/api/roles/users", R"({"name":")" + unique("role-") + R"(","permissions":)" + permissions + "}",
                                server.admin());
        REQUIRE(role.status == 200);
        auto user = server.post("/api/users",
                                R"({"username":")" + unique("api-") + R"(","type":"api","user_role_id":)" +
                                    std::to_string(role.data()->getValue<std::int64_t>("id")) + "}",
                                server.admin());
        REQUIRE(user.status == 200);
        return Credentials::bearer(user.data()->getValue<std::string>("password"));
    };
    CHECK(server.post(path, "{}", apiUser(R"(["campaigns:get"])")).status == 200);
    CHECK(server.post(path, "{}", apiUser(R"(["lists:get_all"])")).status == 403);
}
