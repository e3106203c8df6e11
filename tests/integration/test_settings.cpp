// /api/settings and /api/config: listmonk's keys, masked secrets, live updates.
#include <thread>

#include "shared_server.hpp"

using namespace tidings::test;

TEST_CASE("settings: read, update live, masked secrets kept", "[settings]") {
    auto r = server().get("/api/settings", server().admin());
    REQUIRE(r.status == 200);
    auto s = r.data();
    for (const char* key : {"app.site_name", "app.root_url", "app.concurrency", "privacy.individual_tracking",
                            "security.captcha", "smtp", "messengers", "bounce.actions", "upload.provider"}) {
        CHECK(s->has(key));
    }

    std::string name = unique("Site ");
    auto put = server().put("/api/settings",
                            R"({"app.site_name":")" + name + R"(","smtp":[{"enabled":true,"host":"relay.example.com","port":587,"auth_protocol":"plain","username":"u","password":"s3cret-pass","max_conns":4}]})",
                            server().admin());
    INFO(put.body);
    REQUIRE(put.status == 200);
    auto after = server().get("/api/settings", server().admin()).data();
    CHECK(after->getValue<std::string>("app.site_name") == name);
    auto smtp = after->getArray("smtp")->getObject(0);
    CHECK(smtp->getValue<std::string>("host") == "relay.example.com");
    std::string masked = smtp->getValue<std::string>("password");
    CHECK(masked.find("s3cret") == std::string::npos);
    CHECK_FALSE(masked.empty());

    // Sending the masked value back keeps the stored secret.
    auto again = server().put("/api/settings",
                              R"({"smtp":[{"enabled":true,"host":"relay2.example.com","port":587,"password":")" + masked + R"("}]})",
                              server().admin());
    REQUIRE(again.status == 200);
    CHECK(server().sql("SELECT value->0->>'password' FROM settings WHERE key = 'smtp'") == "s3cret-pass");
    CHECK(server().sql("SELECT value->0->>'host' FROM settings WHERE key = 'smtp'") == "relay2.example.com");
}

TEST_CASE("settings changed in the database reach the running server within seconds", "[settings]") {
    // What another process's PUT /api/settings writes: the value and a new revision.
    std::string name = unique("Elsewhere ");
    server().sql("BEGIN; INSERT INTO settings (key, value) VALUES ('app.site_name', '\"" + name +
                 "\"') ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
                 " UPDATE settings_revision SET revision = revision + 1; COMMIT");
    bool seen = false;
    for (int i = 0; i < 50 && !seen; ++i) {
        auto s = server().get("/api/settings", server().admin()).data();
        seen = s->getValue<std::string>("app.site_name") == name;
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(seen);
}

TEST_CASE("config: what the admin UI needs", "[settings]") {
    auto r = server().get("/api/config", server().admin());
    REQUIRE(r.status == 200);
    auto c = r.data();
    for (const char* key : {"root_url", "from_email", "public_subscription", "privacy", "messengers", "lang",
                            "permissions", "version"}) {
        CHECK(c->has(key));
    }
}
