// /api/campaigns over HTTP against a real store and a real SMTP server: the JSON shape, CRUD,
// validation of every field, the status machine (allowed and forbidden moves), previews, test
// sends, the recipients ledger, running stats and permissions.
#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "campaign_fixtures.hpp"
#include "shared_server.hpp"

using namespace tidings::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kFrom = "Campaign Tests <campaigns@it.test>";

MailSink& sink() {
    static MailSink instance({"--pipelining"});
    return instance;
}

// One server per process with the SMTP messenger pointed at the sink. The sink is created
// first so that it outlives the server.
TidingsServer& srv() {
    static TidingsServer& instance = []() -> TidingsServer& {
        MailSink& mail = sink();
        static TidingsServer s(std::map<std::string, std::string>{{"TIDINGS_PLUGINS__ENABLED", "messenger-smtp"}});
        std::string settings = mail.smtpSettingsJson();
        settings.pop_back();
        settings += std::string(R"(,"app.from_email":")") + kFrom + R"("})";
        auto r = s.put("/api/settings", settings, s.admin());
        INFO(r.body);
        REQUIRE(r.status == 200);
        return s;
    }();
    return instance;
}

void pace(int message_rate, int concurrency) {
    auto r = srv().put("/api/settings",
                       R"({"app.message_rate":)" + std::to_string(message_rate) + R"(,"app.concurrency":)" +
                           std::to_string(concurrency) + R"(,"app.batch_size":10})",
                       srv().admin());
    REQUIRE(r.status == 200);
}

std::int64_t makeList(const std::string& optin = "single") { return tidings::test::makeList(srv(), optin); }

// `count` confirmed members <prefix><n>@camp.test.
void addMembers(std::int64_t list, const std::string& prefix, int count) {
    tidings::test::addMembers(srv(), list, prefix, count, "confirmed", "enabled", "camp.test");
}

Poco::JSON::Object campaignJson(std::int64_t list) {
    Poco::JSON::Object c;
    c.set("name", unique("campaign-"));
    c.set("subject", "Hello {{ .Subscriber.FirstName }}");
    Poco::JSON::Array lists;
    lists.add(list);
    c.set("lists", lists);
    c.set("body", "<p>Dear {{ .Subscriber.Name }}</p>");
    return c;
}

HttpResult create(const Poco::JSON::Object& c, const Credentials& who) { return srv().post("/api/campaigns", json(c), who); }

Poco::JSON::Object::Ptr createOk(const Poco::JSON::Object& c) {
    auto r = create(c, srv().admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data();
}

std::string path(const Poco::JSON::Object::Ptr& c, const std::string& suffix = "") {
    return "/api/campaigns/" + std::to_string(idOf(c)) + suffix;
}

HttpResult setStatus(const Poco::JSON::Object::Ptr& c, const std::string& status) {
    return srv().put(path(c, "/status"), R"({"status":")" + status + R"("})", srv().admin());
}

std::string statusOf(const Poco::JSON::Object::Ptr& c) {
    auto r = srv().get(path(c), srv().admin());
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::string>("status");
}

bool waitForStatus(const Poco::JSON::Object::Ptr& c, const std::string& status, std::chrono::seconds timeout = 30s) {
    return waitForCampaignStatus(srv(), idOf(c), status, timeout);
}

std::int64_t defaultTemplateId() {
    auto r = srv().get("/api/templates?no_body=true", srv().admin());
    REQUIRE(r.status == 200);
    auto all = r.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
    for (std::size_t i = 0; i < all->size(); ++i) {
        if (all->getObject(static_cast<unsigned>(i))->getValue<bool>("is_default")) {
            return idOf(all->getObject(static_cast<unsigned>(i)));
        }
    }
    FAIL("no default template");
    return 0;
}

std::string future(std::chrono::hours ahead = 24h) {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

void createSubscriberOn(const TidingsServer& on, const std::string& email, std::int64_t list) {
    auto r = on.post("/api/subscribers", R"({"email":")" + email + R"(","name":"Test Person","lists":[)" +
                                             std::to_string(list) + "]}", on.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

}  // namespace

TEST_CASE("campaigns: a new campaign has listmonk's shape and defaults", "[campaigns]") {
    const auto list = makeList();
    auto c = createOk(campaignJson(list));
    const char* fields[] = {"id", "uuid", "type", "name", "subject", "from_email", "body", "body_source", "altbody",
                            "send_at", "status", "content_type", "tags", "headers", "attribs", "template_id",
                            "messenger", "archive", "archive_slug", "archive_template_id", "archive_meta", "views",
                            "clicks", "bounces", "lists", "media", "started_at", "to_send", "sent", "created_at",
                            "updated_at", "segment", "failed"};
    for (const char* field : fields) {
        INFO(field);
        CHECK(c->has(field));
    }
    CHECK(c->getValue<std::string>("uuid").size() == 36);
    CHECK(c->getValue<std::string>("status") == "draft");
    CHECK(c->getValue<std::string>("type") == "regular");
    CHECK(c->getValue<std::string>("content_type") == "richtext");
    CHECK(c->getValue<std::string>("from_email") == kFrom);
    CHECK(c->getValue<std::string>("messenger") == "email");
    CHECK(c->getValue<std::int64_t>("template_id") == defaultTemplateId());
    CHECK(c->getValue<std::int64_t>("archive_template_id") == defaultTemplateId());
    CHECK(c->isNull("send_at"));
    CHECK(c->isNull("body_source"));
    CHECK(c->isNull("altbody"));
    CHECK(c->isNull("archive_slug"));
    CHECK(c->isNull("started_at"));
    CHECK_FALSE(c->getValue<bool>("archive"));
    CHECK(c->getArray("headers")->size() == 0);
    CHECK(c->getObject("attribs")->size() == 0);
    CHECK(c->getObject("archive_meta")->size() == 0);
    CHECK(c->getArray("media")->size() == 0);
    CHECK(c->getArray("tags")->size() == 0);
    for (const char* n : {"views", "clicks", "bounces", "to_send", "sent", "failed"}) {
        INFO(n);
        CHECK(c->getValue<std::int64_t>(n) == 0);
    }
    auto lists = c->getArray("lists");
    REQUIRE(lists->size() == 1);
    CHECK(lists->getObject(0)->getValue<std::int64_t>("id") == list);
    CHECK(lists->getObject(0)->getValue<std::string>("name").rfind("list-", 0) == 0);
}

TEST_CASE("campaigns: read, list, update and delete", "[campaigns]") {
    const auto list = makeList();
    const std::string tag = unique("tag");
    Poco::JSON::Object body = campaignJson(list);
    Poco::JSON::Array tags;
    tags.add(" " + tag + " x ");
    body.set("tags", tags);
    body.set("archive_slug", "  My Great Issue! ");
    Poco::JSON::Array headers;
    Poco::JSON::Object header;
    header.set("X-Edition", "{{ .Campaign.Name }}");
    headers.add(header);
    body.set("headers", headers);
    Poco::JSON::Object attribs;
    attribs.set("issue", 12);
    body.set("attribs", attribs);
    auto c = createOk(body);
    CHECK(c->getArray("tags")->getElement<std::string>(0) == tag + "-x");
    CHECK(c->getValue<std::string>("archive_slug") == "my-great-issue");
    CHECK(c->getArray("headers")->getObject(0)->getValue<std::string>("X-Edition") == "{{ .Campaign.Name }}");
    CHECK(c->getObject("attribs")->getValue<int>("issue") == 12);

    auto got = srv().get(path(c), srv().admin());
    REQUIRE(got.status == 200);
    CHECK(got.data()->getValue<std::string>("uuid") == c->getValue<std::string>("uuid"));

    auto listed = srv().get("/api/campaigns?tag=" + tag + "-x&status=draft&no_body=true", srv().admin());
    INFO(listed.body);
    REQUIRE(listed.status == 200);
    auto results = listed.data()->getArray("results");
    REQUIRE(results->size() == 1);
    CHECK(idOf(results->getObject(0)) == idOf(c));
    CHECK(results->getObject(0)->getValue<std::string>("body").empty());
    CHECK(listed.data()->getValue<int>("total") == 1);
    for (const char* key : {"query", "search", "per_page", "page"}) CHECK(listed.data()->has(key));
    auto searched = srv().get("/api/campaigns?query=" + c->getValue<std::string>("name"), srv().admin());
    REQUIRE(searched.status == 200);
    CHECK(searched.data()->getValue<int>("total") == 1);
    auto none = srv().get("/api/campaigns?tag=" + tag + "-x&status=running&status=paused", srv().admin());
    REQUIRE(none.status == 200);
    CHECK(none.data()->getValue<int>("total") == 0);
    CHECK(srv().get("/api/campaigns?order_by=password", srv().admin()).status == 400);
    CHECK(srv().get("/api/campaigns?status=sending", srv().admin()).status == 400);
    CHECK(srv().get("/api/campaigns?order_by=name&order=asc&per_page=all", srv().admin()).status == 200);

    auto updated = srv().put(path(c), R"({"subject":"Changed","content_type":"markdown","body":"# Hi"})", srv().admin());
    INFO(updated.body);
    REQUIRE(updated.status == 200);
    CHECK(updated.data()->getValue<std::string>("subject") == "Changed");
    CHECK(updated.data()->getValue<std::string>("content_type") == "markdown");
    CHECK(updated.data()->getValue<std::string>("name") == c->getValue<std::string>("name"));  // kept
    CHECK(updated.data()->getArray("lists")->size() == 1);                                      // kept

    CHECK(srv().del(path(c), srv().admin()).status == 200);
    CHECK(srv().get(path(c), srv().admin()).status == 404);
    CHECK(srv().del(path(c), srv().admin()).status == 404);
    CHECK(srv().put(path(c), R"({"name":"x"})", srv().admin()).status == 404);
    CHECK(srv().get("/api/campaigns/abc", srv().admin()).status == 400);

    auto a = createOk(campaignJson(list));
    auto b = createOk(campaignJson(list));
    CHECK(srv().del("/api/campaigns?id=" + std::to_string(idOf(a)) + "&id=" + std::to_string(idOf(b)), srv().admin()).status == 200);
    CHECK(srv().get(path(a), srv().admin()).status == 404);
    CHECK(srv().get(path(b), srv().admin()).status == 404);
    CHECK(srv().del("/api/campaigns", srv().admin()).status == 400);
}

TEST_CASE("campaigns: every invalid field is a 4xx naming it", "[campaigns]") {
    const auto list = makeList();
    Poco::JSON::Object tx;
    tx.set("name", unique("tx-"));
    tx.set("type", "tx");
    tx.set("subject", "s");
    tx.set("body", "<p>x</p>");
    auto tx_template = srv().post("/api/templates", json(tx), srv().admin());
    REQUIRE(tx_template.status == 200);
    const std::string tx_id = std::to_string(idOf(tx_template.data()));

    struct Case {
        const char* why;
        std::string field;
        std::string value;  // JSON text; empty removes the field
        int status;
        const char* message;
    };
    const Case cases[] = {
        {"no name", "name", "", 400, "name:"},
        {"blank name", "name", R"("   ")", 400, "name:"},
        {"long name", "name", "\"" + std::string(2001, 'n') + "\"", 400, "name:"},
        {"no subject", "subject", "", 400, "subject:"},
        {"long subject", "subject", "\"" + std::string(5001, 's') + "\"", 400, "subject:"},
        {"broken subject", "subject", R"("Hi {{ .Subscriber.Name ")", 400, "subject: line 1"},
        {"from not an address", "from_email", R"("nobody")", 400, "from_email:"},
        {"from with bad address", "from_email", R"("News <news@>")", 400, "from_email:"},
        {"content type", "content_type", R"("word")", 400, "content_type:"},
        {"type", "type", R"("blast")", 400, "type:"},
        {"send_at garbage", "send_at", R"("soon")", 400, "send_at:"},
        {"send_at past", "send_at", R"("2001-01-01T00:00:00Z")", 400, "send_at: must be in the future"},
        {"no lists", "lists", "[]", 400, "lists:"},
        {"lists not ids", "lists", R"(["x"])", 400, "lists:"},
        {"unknown list", "lists", "[999999]", 400, "lists:"},
        {"unknown messenger", "messenger", R"("pigeon")", 400, "messenger:"},
        {"headers not an array", "headers", R"({"X-A":"1"})", 400, "headers:"},
        {"header with two keys", "headers", R"([{"X-A":"1","X-B":"2"}])", 400, "headers:"},
        {"header injection", "headers", R"([{"X-A":"1\r\nBcc: x@y.z"}])", 400, "headers:"},
        {"attribs not an object", "attribs", "[1]", 400, "attribs:"},
        {"archive_meta not an object", "archive_meta", R"("x")", 400, "archive_meta:"},
        {"archive not a boolean", "archive", R"("maybe")", 400, "archive:"},
        {"unknown template", "template_id", "999999", 400, "template_id:"},
        {"tx template", "template_id", tx_id, 400, "template_id:"},
        {"unknown archive template", "archive_template_id", "999999", 400, "archive_template_id:"},
        {"broken body", "body", R"("<p>{{ if .Subscriber.Name }}</p>")", 400, "body: line 1"},
        {"unknown function", "body", R"("{{ Nope }}")", 400, "body: line 1"},
        {"broken altbody", "altbody", R"("{{ .Subscriber.Name ")", 400, "altbody: line 1"},
        {"attachments", "media", "[1]", 400, "media:"},
        {"long tag", "tags", "[\"" + std::string(101, 't') + "\"]", 400, "tags:"},
        {"segment outside the allowed tables", "segment", R"x("subscribers.id IN (SELECT id FROM users)")x", 400, ""},
        {"segment that does not parse", "segment", R"x("((")x", 400, ""},
    };
    for (const auto& c : cases) {
        INFO(c.why);
        Poco::JSON::Object body = campaignJson(list);
        if (c.value.empty()) {
            body.remove(c.field);
        } else {
            body.set(c.field, Poco::JSON::Parser().parse("[" + c.value + "]").extract<Poco::JSON::Array::Ptr>()->get(0));
        }
        auto r = create(body, srv().admin());
        INFO(r.body);
        CHECK(r.status == c.status);
        CHECK(r.message().find(c.message) != std::string::npos);
    }

    // Updates validate the merged campaign the same way.
    auto c = createOk(campaignJson(list));
    auto r = srv().put(path(c), R"({"lists":[]})", srv().admin());
    CHECK(r.status == 400);
    CHECK(r.message().rfind("lists:", 0) == 0);
    CHECK(srv().put(path(c), R"({"send_at":"2001-01-01T00:00:00Z"})", srv().admin()).status == 400);
    CHECK(srv().put(path(c), R"({"body":"{{ end }}"})", srv().admin()).status == 400);
    CHECK(srv().put(path(c), "[1]", srv().admin()).status == 400);

    // A unique archive slug.
    Poco::JSON::Object slugged = campaignJson(list);
    slugged.set("archive_slug", unique("slug-"));
    REQUIRE(create(slugged, srv().admin()).status == 200);
    slugged.set("name", unique("campaign-"));
    auto duplicate = create(slugged, srv().admin());
    CHECK(duplicate.status == 409);
    CHECK(duplicate.message().rfind("archive_slug:", 0) == 0);

    // An opt-in campaign needs a double opt-in list.
    Poco::JSON::Object optin = campaignJson(list);
    optin.set("type", "optin");
    auto single = create(optin, srv().admin());
    CHECK(single.status == 400);
    CHECK(single.message().rfind("lists:", 0) == 0);
}

TEST_CASE("campaigns: segments, visual templates and opt-in bodies", "[campaigns]") {
    Poco::JSON::Object segmented = campaignJson(makeList());
    segmented.set("lists", Poco::JSON::Array());
    segmented.set("segment", "subscribers.email LIKE '%@camp.test'");
    auto s = createOk(segmented);
    CHECK(s->getValue<std::string>("segment") == "subscribers.email LIKE '%@camp.test'");
    CHECK(s->getArray("lists")->size() == 0);

    Poco::JSON::Object visual;
    visual.set("name", unique("visual-"));
    visual.set("type", "campaign_visual");
    visual.set("body", "<table><tr><td>Hi {{ .Subscriber.Name }}</td></tr></table>");
    visual.set("body_source", R"({"blocks":[{"type":"text"}]})");
    auto t = srv().post("/api/templates", json(visual), srv().admin());
    INFO(t.body);
    REQUIRE(t.status == 200);
    Poco::JSON::Object from_visual = campaignJson(makeList());
    from_visual.set("template_id", idOf(t.data()));
    from_visual.remove("body");
    auto v = createOk(from_visual);
    CHECK(v->getValue<std::string>("content_type") == "visual");
    CHECK(v->isNull("template_id"));
    CHECK(v->getValue<std::string>("body") == "<table><tr><td>Hi {{ .Subscriber.Name }}</td></tr></table>");
    CHECK(v->getValue<std::string>("body_source") == R"({"blocks":[{"type":"text"}]})");

    Poco::JSON::Object optin = campaignJson(makeList("double"));
    optin.set("type", "optin");
    optin.remove("body");
    auto o = createOk(optin);
    CHECK(o->getValue<std::string>("type") == "optin");
    CHECK(o->getValue<std::string>("body").find("{{ OptinURL }}l=") != std::string::npos);
}

TEST_CASE("campaigns: the status machine allows listmonk's moves and refuses the others", "[campaigns][status]") {
    pace(1, 1);  // one message a second: the campaign is still running while the test moves it
    const auto list = makeList();
    addMembers(list, unique("st") + "-", 60);
    auto c = createOk(campaignJson(list));

    // Scheduling needs a date.
    auto no_date = setStatus(c, "scheduled");
    CHECK(no_date.status == 400);
    CHECK(no_date.message().rfind("send_at:", 0) == 0);
    REQUIRE(srv().put(path(c), R"({"send_at":")" + future() + R"("})", srv().admin()).status == 200);
    auto scheduled = setStatus(c, "scheduled");
    INFO(scheduled.body);
    REQUIRE(scheduled.status == 200);
    CHECK(scheduled.data()->getValue<std::string>("status") == "scheduled");
    // Clearing the date of a scheduled campaign makes it a draft again.
    // listmonk refuses these moves of a scheduled campaign: its date starts it.
    for (const char* refused : {"running", "scheduled", "paused", "cancelled"}) {
        INFO("scheduled -> " << refused);
        auto r = setStatus(c, refused);
        CHECK(r.status == 409);
        CHECK(r.message().rfind("status:", 0) == 0);
        CHECK(statusOf(c) == "scheduled");
    }
    auto cleared = srv().put(path(c), R"({"send_at":null})", srv().admin());
    REQUIRE(cleared.status == 200);
    CHECK(cleared.data()->getValue<std::string>("status") == "draft");
    CHECK(cleared.data()->isNull("send_at"));
    // Starting a campaign whose date lies ahead schedules it; unscheduling returns it to draft.
    REQUIRE(srv().put(path(c), R"({"send_at":")" + future() + R"("})", srv().admin()).status == 200);
    auto started_later = setStatus(c, "running");
    REQUIRE(started_later.status == 200);
    CHECK(started_later.data()->getValue<std::string>("status") == "scheduled");
    REQUIRE(setStatus(c, "draft").status == 200);
    CHECK(statusOf(c) == "draft");

    for (const char* refused : {"draft", "paused", "cancelled"}) {
        INFO("draft -> " << refused);
        CHECK(setStatus(c, refused).status == 409);
    }
    CHECK(setStatus(c, "finished").status == 400);
    CHECK(setStatus(c, "sending").status == 400);
    CHECK(srv().put(path(c, "/status"), "{}", srv().admin()).status == 400);
    CHECK(srv().put("/api/campaigns/999999/status", R"({"status":"running"})", srv().admin()).status == 404);

    REQUIRE(srv().put(path(c), R"({"send_at":null})", srv().admin()).status == 200);
    auto running = setStatus(c, "running");
    INFO(running.body);
    REQUIRE(running.status == 200);
    CHECK(running.data()->getValue<std::string>("status") == "running");
    CHECK(running.data()->getValue<std::int64_t>("to_send") == 60);
    CHECK_FALSE(running.data()->isNull("started_at"));
    for (const char* refused : {"running", "scheduled", "draft"}) {
        INFO("running -> " << refused);
        CHECK(setStatus(c, refused).status == 409);
    }
    auto edit_running = srv().put(path(c), R"({"name":"x"})", srv().admin());
    CHECK(edit_running.status == 409);
    CHECK(edit_running.message().rfind("status:", 0) == 0);

    auto stats = srv().get("/api/campaigns/running/stats", srv().admin());
    INFO(stats.body);
    REQUIRE(stats.status == 200);
    auto rows = stats.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
    bool found = false;
    for (std::size_t i = 0; rows && i < rows->size(); ++i) {
        auto row = rows->getObject(static_cast<unsigned>(i));
        if (idOf(row) != idOf(c)) continue;
        found = true;
        for (const char* key : {"status", "to_send", "sent", "started_at", "updated_at", "rate", "net_rate"}) {
            INFO(key);
            CHECK(row->has(key));
        }
        CHECK(row->getValue<std::int64_t>("to_send") == 60);
    }
    CHECK(found);

    REQUIRE(setStatus(c, "paused").status == 200);
    CHECK(statusOf(c) == "paused");
    for (const char* refused : {"paused", "draft"}) {
        INFO("paused -> " << refused);
        CHECK(setStatus(c, refused).status == 409);
    }
    CHECK(srv().put(path(c), R"({"subject":"Edited while paused"})", srv().admin()).status == 200);
    REQUIRE(setStatus(c, "running").status == 200);
    REQUIRE(setStatus(c, "cancelled").status == 200);
    CHECK(statusOf(c) == "cancelled");
    for (const char* refused : {"running", "paused", "draft", "scheduled", "cancelled"}) {
        INFO("cancelled -> " << refused);
        CHECK(setStatus(c, refused).status == 409);
    }
    CHECK(srv().put(path(c), R"({"name":"x"})", srv().admin()).status == 409);
    // A cancelled campaign can still be deleted, as in listmonk.
    CHECK(srv().del(path(c), srv().admin()).status == 200);
}

TEST_CASE("campaigns: previews render the campaign for a sample subscriber", "[campaigns]") {
    auto c = createOk(campaignJson(makeList()));
    auto html = srv().get(path(c, "/preview"), srv().admin());
    INFO(html.body);
    REQUIRE(html.status == 200);
    CHECK(html.headers["content-type"].find("text/html") == 0);
    CHECK(html.body.find("<p>Dear Demo Subscriber</p>") != std::string::npos);
    CHECK(html.body.find("Unsubscribe") != std::string::npos);  // wrapped in the default template
    CHECK(html.body.find("/subscription/00000000-0000-0000-0000-000000000000/") != std::string::npos);

    auto plain = srv().post(path(c, "/preview"), R"({"body":"Hi {{ .Subscriber.FirstName }} <3","content_type":"plain"})",
                            srv().admin());
    INFO(plain.body);
    REQUIRE(plain.status == 200);
    CHECK(plain.headers["content-type"].find("text/plain") == 0);
    CHECK(plain.body.find("Hi Demo") != std::string::npos);

    auto markdown = srv().request("POST", path(c, "/preview"), "content_type=markdown&body=%23+Title&template_id=0",
                                  srv().admin(), "application/x-www-form-urlencoded");
    INFO(markdown.body);
    REQUIRE(markdown.status == 200);
    CHECK(markdown.body.find("Title</h1>") != std::string::npos);

    CHECK(srv().post(path(c, "/preview"), R"({"body":"{{ if }}"})", srv().admin()).status == 400);
    CHECK(srv().post(path(c, "/preview"), R"({"template_id":999999})", srv().admin()).status == 400);
    CHECK(srv().get("/api/campaigns/999999/preview", srv().admin()).status == 404);
}

TEST_CASE("campaigns: /text renders the posted body as listmonk's preview handler does", "[campaigns]") {
    auto c = createOk(campaignJson(makeList()));
    // listmonk's admin turns HTML into text in the browser and posts it here, as a form.
    auto plain = srv().request("POST", path(c, "/text"),
                               "content_type=plain&body=Hello+%7B%7B+.Subscriber.FirstName+%7D%7D%0A%0ASee+you",
                               srv().admin(), "application/x-www-form-urlencoded");
    INFO(plain.body);
    REQUIRE(plain.status == 200);
    CHECK(plain.headers["content-type"].find("text/plain") == 0);
    CHECK(plain.body.find("Hello Demo\n\nSee you") != std::string::npos);
    auto html = srv().post(path(c, "/text"), R"({"body":"<p>Hi {{ .Subscriber.FirstName }}</p>","content_type":"html"})",
                           srv().admin());
    REQUIRE(html.status == 200);
    CHECK(html.headers["content-type"].find("text/html") == 0);
    CHECK(html.body.find("<p>Hi Demo</p>") != std::string::npos);
    // The campaign itself is untouched.
    CHECK(srv().get(path(c, ""), srv().admin()).data()->getValue<std::string>("body") == c->getValue<std::string>("body"));
    CHECK(srv().post(path(c, "/text"), R"({"body":"{{ if }}","content_type":"plain"})", srv().admin()).status == 400);
    CHECK(srv().post("/api/campaigns/999999/text", "{}", srv().admin()).status == 404);
    CHECK(srv().get(path(c, "/text"), srv().admin()).status == 405);
}

TEST_CASE("campaigns: Markdown bodies convert to HTML for the editor", "[campaigns]") {
    auto c = createOk(campaignJson(makeList()));
    auto r = srv().post(path(c, "/content"),
                        R"({"from":"markdown","to":"html","body":"# News\n\nHi **{{ .Subscriber.FirstName }}**"})",
                        srv().admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    const auto html = r.json.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("data");
    CHECK(html.find("<h1>News</h1>") != std::string::npos);
    CHECK(html.find("<strong>{{ .Subscriber.FirstName }}</strong>") != std::string::npos);
    CHECK(srv().post(path(c, "/content"), R"({"from":"markdown","to":"richtext","body":"*x*"})", srv().admin()).status == 200);
    // Nothing else converts, as in listmonk; the campaign itself is untouched.
    auto bad = srv().post(path(c, "/content"), R"({"from":"html","to":"markdown","body":"<p>x</p>"})", srv().admin());
    CHECK(bad.status == 400);
    CHECK(bad.message().find("markdown") != std::string::npos);
    CHECK(srv().get(path(c, ""), srv().admin()).data()->getValue<std::string>("body") == c->getValue<std::string>("body"));
}

TEST_CASE("campaigns: a test send reaches the given subscribers through the messenger", "[campaigns]") {
    const auto list = makeList();
    const std::string email = unique("test-") + "@camp.test";
    createSubscriberOn(srv(), email, list);
    auto c = createOk(campaignJson(list));
    const int before = sink().messageCount();
    auto r = srv().post(path(c, "/test"),
                        R"({"subject":"Proof for {{ .Subscriber.Email }}","subscribers":[")" + email + R"("]})",
                        srv().admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(sink().waitForMessages(before + 1, 10s));
    auto mails = sink().messagesTo(email);
    REQUIRE(mails.size() == 1);
    CHECK(mails[0].find("Subject: Proof for " + email) != std::string::npos);
    CHECK(mails[0].find("Dear ") != std::string::npos);
    // A test send changes nothing about the campaign.
    auto after = srv().get(path(c), srv().admin());
    CHECK(after.data()->getValue<std::string>("status") == "draft");
    CHECK(after.data()->getValue<std::string>("subject") == "Hello {{ .Subscriber.FirstName }}");
    CHECK(after.data()->getValue<std::int64_t>("sent") == 0);

    auto unknown = srv().post(path(c, "/test"), R"({"subscribers":["nobody@camp.test"]})", srv().admin());
    CHECK(unknown.status == 400);
    CHECK(unknown.message().rfind("subscribers:", 0) == 0);
    CHECK(srv().post(path(c, "/test"), R"({"subscribers":[]})", srv().admin()).status == 400);
    CHECK(srv().post(path(c, "/test"), R"({"subscribers":["not an address"]})", srv().admin()).status == 400);
    CHECK(srv().post(path(c, "/test"), R"({"body":"{{ end }}","subscribers":[")" + email + R"("]})", srv().admin()).status == 400);
    CHECK(srv().post("/api/campaigns/999999/test", R"({"subscribers":[")" + email + R"("]})", srv().admin()).status == 404);
}

TEST_CASE("campaigns: the recipients ledger lists who was sent what", "[campaigns]") {
    pace(100000, 2);
    const auto list = makeList();
    const std::string prefix = unique("led") + "-";
    addMembers(list, prefix, 3);
    auto c = createOk(campaignJson(list));
    REQUIRE(setStatus(c, "running").status == 200);
    REQUIRE(waitForStatus(c, "finished"));

    auto sent = srv().get(path(c, "/recipients?status=sent"), srv().admin());
    INFO(sent.body);
    REQUIRE(sent.status == 200);
    CHECK(sent.data()->getValue<int>("total") == 3);
    auto results = sent.data()->getArray("results");
    REQUIRE(results->size() == 3);
    auto first = results->getObject(0);
    for (const char* key : {"subscriber_id", "email", "status", "error", "attempts", "updated_at"}) {
        INFO(key);
        CHECK(first->has(key));
    }
    CHECK(first->getValue<std::string>("email").rfind(prefix, 0) == 0);
    CHECK(first->getValue<std::string>("status") == "sent");
    CHECK(first->getValue<std::string>("error").empty());
    CHECK(first->getValue<int>("attempts") == 1);

    auto page = srv().get(path(c, "/recipients?per_page=2&page=2"), srv().admin());
    REQUIRE(page.status == 200);
    CHECK(page.data()->getArray("results")->size() == 1);
    CHECK(page.data()->getValue<int>("total") == 3);
    auto failed = srv().get(path(c, "/recipients?status=failed"), srv().admin());
    REQUIRE(failed.status == 200);
    CHECK(failed.data()->getValue<int>("total") == 0);
    CHECK(srv().get(path(c, "/recipients?status=bounced"), srv().admin()).status == 400);
    CHECK(srv().get("/api/campaigns/999999/recipients", srv().admin()).status == 404);

    // The ledger is read by subscriber id, ascending: that order may be asked for, no other.
    auto ordered = srv().get(path(c, "/recipients?order_by=subscriber_id&order=ASC"), srv().admin());
    REQUIRE(ordered.status == 200);
    auto rows = ordered.data()->getArray("results");
    REQUIRE(rows->size() == 3);
    CHECK(rows->getObject(0)->getValue<std::int64_t>("subscriber_id") < rows->getObject(1)->getValue<std::int64_t>("subscriber_id"));
    CHECK(rows->getObject(1)->getValue<std::int64_t>("subscriber_id") < rows->getObject(2)->getValue<std::int64_t>("subscriber_id"));
    for (const auto& [query, named] : std::vector<std::pair<std::string, std::string>>{
             {"order_by=email", "\"email\""}, {"order_by=subscriber_id%3B%20DROP", "order_by"},
             {"order=desc", "order"}, {"order=sideways", "order"}}) {
        INFO(query);
        auto r = srv().get(path(c, "/recipients?" + query), srv().admin());
        CHECK(r.status == 400);
        CHECK_THAT(r.message(), Catch::Contains(named));
    }

    auto done = srv().get(path(c), srv().admin()).data();
    CHECK(done->getValue<std::int64_t>("sent") == 3);
    CHECK(done->getValue<std::int64_t>("to_send") == 3);
    CHECK(done->getValue<std::int64_t>("failed") == 0);
    CHECK(srv().put(path(c), R"({"name":"x"})", srv().admin()).status == 409);
    CHECK(setStatus(c, "running").status == 409);
}

TEST_CASE("campaigns: permissions", "[campaigns]") {
    const auto list = makeList();
    auto c = createOk(campaignJson(list));
    auto reader = createApiUser(srv(), R"(["campaigns:get"])");
    CHECK(srv().get("/api/campaigns", reader).status == 200);
    CHECK(srv().get(path(c), reader).status == 200);
    CHECK(srv().get(path(c, "/preview"), reader).status == 200);
    CHECK(create(campaignJson(list), reader).status == 403);
    CHECK(srv().del(path(c), reader).status == 403);
    CHECK(srv().put(path(c, "/status"), R"({"status":"running"})", reader).status == 403);

    auto manager = createApiUser(srv(), R"(["campaigns:manage"])");
    CHECK(create(campaignJson(list), manager).status == 200);
    CHECK(srv().put(path(c, "/status"), R"({"status":"running"})", manager).status == 403);
    Poco::JSON::Object segmented = campaignJson(list);
    segmented.set("segment", "subscribers.name <> ''");
    auto refused = create(segmented, manager);
    CHECK(refused.status == 403);
    CHECK(refused.message().find("subscribers:sql_query") != std::string::npos);

    auto analyst = createApiUser(srv(), R"(["campaigns:manage","subscribers:sql_query"])");
    CHECK(create(segmented, analyst).status == 200);
    CHECK(srv().get("/api/campaigns", createApiUser(srv(), R"(["lists:get_all"])")).status == 403);
}

TEST_CASE("campaigns: mails carry listmonk's identity headers and link to a view-in-browser page",
          "[campaigns][public]") {
    pace(100, 2);
    const auto list = makeList();
    const std::string email = unique("view-") + "@camp.test";
    createSubscriberOn(srv(), email, list);
    auto sub = srv().get("/api/subscribers?query=" + std::string("subscribers.email%3D%27") + email + "%27", srv().admin());
    REQUIRE(sub.status == 200);
    const std::string sub_uuid = sub.data()->getArray("results")->getObject(0)->getValue<std::string>("uuid");
    auto c = createOk(campaignJson(list));
    const std::string camp_uuid = c->getValue<std::string>("uuid");
    REQUIRE(setStatus(c, "running").status == 200);
    REQUIRE(waitForStatus(c, "finished"));
    auto mails = sink().messagesTo(email);
    REQUIRE(mails.size() == 1);
    CHECK(mails[0].find("X-Listmonk-Campaign: " + camp_uuid) != std::string::npos);
    CHECK(mails[0].find("X-Listmonk-Subscriber: " + sub_uuid) != std::string::npos);
    CHECK(mails[0].find("X-Tidings-Campaign: " + camp_uuid) != std::string::npos);

    auto page = srv().get("/campaign/" + camp_uuid + "/" + sub_uuid, Credentials::none());
    CHECK(page.status == 200);
    CHECK(page.headers["x-robots-tag"] == "noindex");
    CHECK(page.headers["content-type"].rfind("text/html", 0) == 0);
    CHECK(page.body.find("Dear Test Person") != std::string::npos);
    // The default template's own link points here.
    CHECK(page.body.find("/campaign/" + camp_uuid + "/" + sub_uuid) != std::string::npos);

    for (const std::string& bad : {"/campaign/" + camp_uuid + "/00000000-0000-0000-0000-000000000000",
                                   "/campaign/00000000-0000-0000-0000-000000000000/" + sub_uuid,
                                   "/campaign/" + camp_uuid + "/not-a-uuid", "/campaign/x/" + sub_uuid}) {
        INFO(bad);
        auto r = srv().get(bad, Credentials::none());
        CHECK(r.status == 404);
        CHECK(r.headers["content-type"].rfind("text/html", 0) == 0);
    }
}
