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

TEST_CASE("config: languages, redirect URLs and CAPTCHA say what is true", "[settings][config]") {
    auto config = [] {
        auto r = server().get("/api/config", server().admin());
        REQUIRE(r.status == 200);
        return r.data();
    };
    // English is the only language Tidings has; asking for another changes nothing.
    REQUIRE(server().put("/api/settings", R"({"app.lang": "fr", "security.trusted_urls": ["https://example.org/thanks", "*"]})",
                         server().admin()).status == 200);
    auto c = config();
    auto langs = c->getArray("langs");
    REQUIRE(langs->size() == 1);
    CHECK(langs->getObject(0)->getValue<std::string>("code") == "en");
    CHECK(langs->getObject(0)->getValue<std::string>("name") == "English");
    CHECK(c->getValue<std::string>("lang") == "en");
    // "*" is an origin rule for CORS, never a page a form may redirect to.
    auto pub = c->getObject("public_subscription");
    auto redirects = pub->getArray("redirect_urls");
    REQUIRE(redirects->size() == 1);
    CHECK(redirects->getElement<std::string>(0) == "https://example.org/thanks");
    // No CAPTCHA plugin is loaded here, so none is in force, whatever security.captcha says.
    REQUIRE(server().put("/api/settings", R"({"security.captcha": {"altcha": {"enabled": true, "complexity": 1000},)"
                                          R"( "hcaptcha": {"enabled": true, "key": "k", "secret": "s"}}})",
                         server().admin()).status == 200);
    pub = config()->getObject("public_subscription");
    CHECK(pub->getValue<bool>("captcha_enabled") == false);
    CHECK(pub->isNull("captcha_provider"));
    CHECK(pub->isNull("captcha_key"));
    CHECK(pub->getValue<std::int64_t>("altcha_complexity") == 0);
}

TEST_CASE("settings: numbers outside their range are refused naming the key, and change nothing", "[settings][bad-input]") {
    const std::string before = server().get("/api/settings", server().admin()).body;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"app.message_rate", "1e39"},          {"app.concurrency", "1e39"},
        {"app.batch_size", "1e308"},           {"app.max_send_errors", "1e39"},
        {"app.concurrency", "1e19"},           {"app.concurrency", "2147483648"},
        {"app.concurrency", "18446744073709551616"}, {"app.batch_size", "1e-28"},
        {"app.batch_size", "9223372036854775807"},   {"app.message_rate", "-0"},
        {"app.message_rate", "1e-400"},        {"app.max_send_errors", "18446744073709551616"},
        {"app.message_rate", "9223372036854775807"}, {"app.concurrency", "1.5"},
        {"app.concurrency", "0"},              {"app.message_sliding_window_rate", "-5"},
        {"upload.max_file_size", "0"},
    };
    for (const auto& [key, value] : cases) {
        INFO(key << " = " << value);
        auto r = server().put("/api/settings", "{\"" + key + "\": " + value + "}", server().admin());
        CHECK(r.status == 400);
        CHECK(r.message().find(key) != std::string::npos);
        auto one = server().put("/api/settings/" + key, value, server().admin());
        CHECK(one.status == 400);
    }
    auto nested = server().put("/api/settings", R"({"smtp": [{"host": "h", "port": 70000}]})", server().admin());
    CHECK(nested.status == 400);
    CHECK(nested.message().find("'smtp[0].port'") != std::string::npos);
    auto altcha = server().put("/api/settings",
                               R"({"security.captcha": {"altcha": {"enabled": false, "complexity": 1e39}, "hcaptcha": {"enabled": false}}})",
                               server().admin());
    CHECK(altcha.status == 400);
    CHECK(server().get("/api/settings", server().admin()).body == before);

    // A whole number written in floating form is stored as the integer it is.
    REQUIRE(server().put("/api/settings", R"({"app.batch_size": 2.5e3})", server().admin()).status == 200);
    CHECK(server().sql("SELECT value FROM settings WHERE key = 'app.batch_size'") == "2500");
    REQUIRE(server().put("/api/settings", R"({"app.batch_size": 1000})", server().admin()).status == 200);
}

TEST_CASE("settings: an unusable stored value falls back to its default, also after a restart", "[settings]") {
    TidingsServer own;
    // What a hand-written UPDATE (or an older version) could leave behind.
    own.sql("BEGIN; INSERT INTO settings (key, value) VALUES ('app.message_rate', '1e39'), ('app.concurrency', '\"ten\"')"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
            " UPDATE settings_revision SET revision = revision + 1; COMMIT");
    auto settingsReadable = [](const TidingsServer& s) {
        for (int i = 0; i < 50; ++i) {
            auto r = s.get("/api/settings", s.admin());
            if (r.status != 200) return false;
            if (r.data()->getValue<std::int64_t>("app.message_rate") == 10) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    };
    CHECK(settingsReadable(own));
    CHECK(own.get("/api/settings", own.admin()).data()->getValue<std::int64_t>("app.concurrency") == 10);
    CHECK(own.put("/api/settings", R"({"app.site_name": "still writable"})", own.admin()).status == 200);
    CHECK(own.log().find("stored setting app.message_rate is unusable") != std::string::npos);

    TidingsServer restarted(own.sameDatabase());
    CHECK(settingsReadable(restarted));
    // Writing a good value repairs the row.
    REQUIRE(restarted.put("/api/settings", R"({"app.message_rate": 20, "app.concurrency": 4})", restarted.admin()).status == 200);
    CHECK(restarted.get("/api/settings", restarted.admin()).data()->getValue<std::int64_t>("app.message_rate") == 20);
}
