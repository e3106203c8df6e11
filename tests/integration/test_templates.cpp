// /api/templates over HTTP: the shipped defaults, CRUD, the default flag, validation and
// previews.
#include <Poco/JSON/Array.h>

#include "shared_server.hpp"

using namespace tidings::test;

namespace {

Poco::JSON::Array::Ptr templates(bool no_body = false) {
    auto r = server().get(std::string("/api/templates") + (no_body ? "?no_body=true" : ""), server().admin());
    REQUIRE(r.status == 200);
    return r.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
}

Poco::JSON::Object::Ptr byName(const Poco::JSON::Array::Ptr& all, const std::string& name) {
    for (std::size_t i = 0; i < all->size(); ++i) {
        auto t = all->getObject(static_cast<unsigned>(i));
        if (t->getValue<std::string>("name") == name) return t;
    }
    return nullptr;
}

std::int64_t defaultId() {
    auto all = templates(true);
    for (std::size_t i = 0; i < all->size(); ++i) {
        auto t = all->getObject(static_cast<unsigned>(i));
        if (t->getValue<bool>("is_default")) return idOf(t);
    }
    FAIL("no default template");
    return 0;
}

HttpResult createTemplate(const Poco::JSON::Object& body) { return server().post("/api/templates", json(body), server().admin()); }

Poco::JSON::Object campaignTemplate(const std::string& name, const std::string& body =
                                        R"(<div class="wrap">{{ template "content" . }}</div>)") {
    Poco::JSON::Object t;
    t.set("name", name);
    t.set("type", "campaign");
    t.set("body", body);
    return t;
}

}  // namespace

TEST_CASE("templates: the shipped templates are installed on first start", "[templates]") {
    auto all = templates();
    auto campaign = byName(all, "Default campaign template");
    auto archive = byName(all, "Default archive template");
    auto tx = byName(all, "Sample transactional template");
    REQUIRE(campaign);
    REQUIRE(archive);
    REQUIRE(tx);
    CHECK(campaign->getValue<bool>("is_default"));
    CHECK_FALSE(archive->getValue<bool>("is_default"));
    CHECK(campaign->getValue<std::string>("type") == "campaign");
    CHECK(archive->getValue<std::string>("type") == "campaign");
    CHECK(tx->getValue<std::string>("type") == "tx");
    CHECK_FALSE(tx->getValue<std::string>("subject").empty());
    CHECK(campaign->getValue<std::string>("subject").empty());
    CHECK(campaign->getValue<std::string>("body").find(R"({{ template "content" . }})") != std::string::npos);
    for (const char* field : {"id", "name", "type", "subject", "body", "body_source", "is_default", "created_at", "updated_at"}) {
        INFO(field);
        CHECK(campaign->has(field));
    }
    CHECK(campaign->isNull("body_source"));

    auto light = byName(templates(true), "Default campaign template");
    REQUIRE(light);
    CHECK(light->getValue<std::string>("body").empty());
}

TEST_CASE("templates: create, read, update, set default, delete", "[templates]") {
    const std::string name = unique("tpl-");
    auto r = createTemplate(campaignTemplate(name));
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto created = r.data();
    const auto id = std::to_string(idOf(created));
    CHECK(created->getValue<std::string>("name") == name);
    CHECK(created->getValue<std::string>("type") == "campaign");
    CHECK_FALSE(created->getValue<bool>("is_default"));

    auto got = server().get("/api/templates/" + id, server().admin());
    REQUIRE(got.status == 200);
    CHECK(got.data()->getValue<std::string>("body") == created->getValue<std::string>("body"));

    auto renamed = server().put("/api/templates/" + id, R"({"name":"  Renamed  "})", server().admin());
    INFO(renamed.body);
    REQUIRE(renamed.status == 200);
    CHECK(renamed.data()->getValue<std::string>("name") == "Renamed");
    CHECK(renamed.data()->getValue<std::string>("body") == created->getValue<std::string>("body"));

    const auto previous_default = defaultId();
    auto made_default = server().put("/api/templates/" + id + "/default", "", server().admin());
    INFO(made_default.body);
    REQUIRE(made_default.status == 200);
    auto all = made_default.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
    REQUIRE(all);
    int defaults = 0;
    for (std::size_t i = 0; i < all->size(); ++i) {
        auto t = all->getObject(static_cast<unsigned>(i));
        if (t->getValue<bool>("is_default")) {
            ++defaults;
            CHECK(std::to_string(idOf(t)) == id);
        }
    }
    CHECK(defaults == 1);

    auto refused = server().del("/api/templates/" + id, server().admin());
    CHECK(refused.status == 400);
    CHECK(refused.message().find("default") != std::string::npos);

    REQUIRE(server().put("/api/templates/" + std::to_string(previous_default) + "/default", "", server().admin()).status == 200);
    CHECK(server().del("/api/templates/" + id, server().admin()).status == 200);
    CHECK(server().get("/api/templates/" + id, server().admin()).status == 404);
    CHECK(server().del("/api/templates/" + id, server().admin()).status == 404);
    CHECK(server().put("/api/templates/" + id, R"({"name":"x"})", server().admin()).status == 404);
    CHECK(server().put("/api/templates/" + id + "/default", "", server().admin()).status == 404);
}

TEST_CASE("templates: listed in the order asked for, unknown keys are a 400 naming them", "[templates]") {
    const std::string prefix = unique("sort-");
    std::vector<std::int64_t> ids;
    for (const char* suffix : {"b", "a", "c"}) {
        auto r = createTemplate(campaignTemplate(prefix + suffix));
        REQUIRE(r.status == 200);
        ids.push_back(idOf(r.data()));
    }
    auto names = [&](const std::string& query) {
        auto r = server().get("/api/templates?no_body=true&" + query, server().admin());
        INFO(query << ": " << r.body);
        REQUIRE(r.status == 200);
        std::string out;
        auto all = r.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
        for (std::size_t i = 0; i < all->size(); ++i) {
            const auto name = all->getObject(static_cast<unsigned>(i))->getValue<std::string>("name");
            if (name.rfind(prefix, 0) == 0) out += name.substr(prefix.size());
        }
        return out;
    };
    CHECK(names("order_by=name") == "abc");
    CHECK(names("order_by=name&order=DESC") == "cba");
    CHECK(names("order_by=templates.name&order=asc") == "abc");
    CHECK(names("order_by=id&order=desc") == "cab");
    CHECK(names("order_by=created_at") == "bac");
    CHECK(names("order_by=updated_at&order=asc") == "bac");
    CHECK(names("") == "bac");  // by id, as before

    for (const auto& [query, named] : std::vector<std::pair<std::string, std::string>>{
             {"order_by=body", "\"body\""}, {"order_by=name%3B%20DROP%20TABLE%20templates", "order_by"},
             {"order=sideways", "order"}}) {
        INFO(query);
        auto r = server().get("/api/templates?" + query, server().admin());
        CHECK(r.status == 400);
        CHECK_THAT(r.message(), Catch::Contains(named));
    }
    for (auto id : ids) CHECK(server().del("/api/templates/" + std::to_string(id), server().admin()).status == 200);
}

TEST_CASE("templates: a tx template cannot be the default", "[templates]") {
    Poco::JSON::Object tx;
    tx.set("name", unique("tx-"));
    tx.set("type", "tx");
    tx.set("subject", "Order {{ .Tx.Data.order }}");
    tx.set("body", "<p>Order {{ .Tx.Data.order }}</p>");
    auto r = createTemplate(tx);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.data()->getValue<std::string>("subject") == "Order {{ .Tx.Data.order }}");
    auto refused = server().put("/api/templates/" + std::to_string(idOf(r.data())) + "/default", "", server().admin());
    CHECK(refused.status == 400);
}

TEST_CASE("templates: every invalid field is a 400 naming it", "[templates]") {
    struct Case {
        const char* why;
        std::string body;
        const char* field;
    };
    const std::string slot = R"({{ template \"content\" . }})";
    const Case cases[] = {
        {"no name", R"({"type":"campaign","body":")" + slot + R"("})", "name:"},
        {"long name", R"({"name":")" + std::string(2001, 'n') + R"(","body":")" + slot + R"("})", "name:"},
        {"bad type", R"({"name":"x","type":"letter","body":")" + slot + R"("})", "type:"},
        {"no content slot", R"({"name":"x","type":"campaign","body":"<p>hi</p>"})", "body:"},
        {"tx without subject", R"({"name":"x","type":"tx","body":"<p>hi</p>"})", "subject:"},
        {"tx without body", R"({"name":"x","type":"tx","subject":"Hi","body":""})", "body:"},
        {"syntax error", R"({"name":"x","type":"campaign","body":")" + slot + R"(\n{{ if .Subscriber.Name }}"})", "body: line"},
        {"unknown function", R"({"name":"x","type":"campaign","body":")" + slot + R"( {{ Nope . }}"})", "body: line 1"},
        {"tx subject syntax", R"({"name":"x","type":"tx","subject":"Hi {{ .Subscriber.Name","body":"<p>x</p>"})", "subject: line"},
        {"visual without json", R"({"name":"x","type":"campaign_visual","body":"<p>x</p>"})", "body_source:"},
        {"name not a string", R"({"name":5,"type":"campaign","body":")" + slot + R"("})", "name:"},
        {"not json", "{nope", "invalid JSON"},
    };
    for (const auto& c : cases) {
        INFO(c.why << ": " << c.body);
        auto r = server().post("/api/templates", c.body, server().admin());
        INFO(r.body);
        CHECK(r.status == 400);
        CHECK(r.message().find(c.field) != std::string::npos);
    }

    auto created = createTemplate(campaignTemplate(unique("tpl-")));
    REQUIRE(created.status == 200);
    const auto id = std::to_string(idOf(created.data()));
    auto type_change = server().put("/api/templates/" + id, R"({"type":"tx","subject":"x"})", server().admin());
    CHECK(type_change.status == 400);
    CHECK(type_change.message().rfind("type:", 0) == 0);
    auto broken = server().put("/api/templates/" + id, R"({"body":"<p>no slot</p>"})", server().admin());
    CHECK(broken.status == 400);
    CHECK(server().get("/api/templates/abc", server().admin()).status == 400);
    CHECK(server().get("/api/templates/999999", server().admin()).status == 404);
}

TEST_CASE("templates: previews render with a sample subscriber and sample content", "[templates]") {
    auto r = server().post("/api/templates/preview",
                           R"({"template_type":"campaign","body":"<main>{{ template \"content\" . }}<p>{{ .Subscriber.Name }}</p><a href=\"{{ UnsubscribeURL }}\">u</a></main>"})",
                           server().admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.headers["content-type"].find("text/html") == 0);
    CHECK(r.body.find("<main>") == 0);
    CHECK(r.body.find("Lorem ipsum") != std::string::npos);
    CHECK(r.body.find("<p>Demo Subscriber</p>") != std::string::npos);
    CHECK(r.body.find(server().root() + "/subscription/00000000-0000-0000-0000-000000000000/") != std::string::npos);

    // Form-encoded, as listmonk's admin UI posts it.
    auto form = server().request("POST", "/api/templates/preview",
                                 "template_type=tx&body=%3Cp%3EHi+%7B%7B+.Subscriber.FirstName+%7D%7D%3C%2Fp%3E",
                                 server().admin(), "application/x-www-form-urlencoded");
    INFO(form.body);
    REQUIRE(form.status == 200);
    CHECK(form.body == "<p>Hi Demo</p>");

    auto broken = server().post("/api/templates/preview", R"({"template_type":"campaign","body":"{{ if }}"})", server().admin());
    CHECK(broken.status == 400);
    CHECK(server().post("/api/templates/preview", R"({"template_type":"zine","body":"x"})", server().admin()).status == 400);

    const auto id = std::to_string(defaultId());
    auto stored = server().get("/api/templates/" + id + "/preview", server().admin());
    REQUIRE(stored.status == 200);
    CHECK(stored.body.find("Lorem ipsum") != std::string::npos);
    CHECK(stored.body.find("Unsubscribe") != std::string::npos);
    auto overridden = server().post("/api/templates/" + id + "/preview",
                                    R"({"body":"<b>{{ template \"content\" . }}</b>"})", server().admin());
    REQUIRE(overridden.status == 200);
    CHECK(overridden.body.find("<b><h2>") == 0);
    CHECK(server().get("/api/templates/999999/preview", server().admin()).status == 404);
}

TEST_CASE("templates: reading needs templates:get, changing needs templates:manage", "[templates]") {
    auto reader = createApiUser(server(), R"(["templates:get"])");
    CHECK(server().get("/api/templates", reader).status == 200);
    CHECK(server().post("/api/templates/preview", R"({"template_type":"tx","body":"x"})", reader).status == 200);
    CHECK(server().post("/api/templates", json(campaignTemplate(unique("t-"))), reader).status == 403);
    CHECK(server().put("/api/templates/" + std::to_string(defaultId()) + "/default", "", reader).status == 403);
    CHECK(server().del("/api/templates/" + std::to_string(defaultId()), reader).status == 403);
    auto nobody = createApiUser(server(), R"(["subscribers:get"])");
    CHECK(server().get("/api/templates", nobody).status == 403);
}
