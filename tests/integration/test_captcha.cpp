// CAPTCHA enforcement on the public subscription endpoints, end to end: the captcha plugins
// loaded by the real server, switched on through /api/settings, with hCaptcha verified against a
// local server that speaks the siteverify protocol; and what /api/config and the form page say.
#include <atomic>

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include "shared_server.hpp"

using namespace tidings::test;

namespace {

/// siteverify: answers success only for the token "good-token" with the expected secret.
class SiteVerify final : public Poco::Net::HTTPRequestHandler {
public:
    explicit SiteVerify(std::atomic<int>& calls) : calls_(calls) {}
    void handleRequest(Poco::Net::HTTPServerRequest& rq, Poco::Net::HTTPServerResponse& rs) override {
        ++calls_;
        Poco::Net::HTMLForm form(rq, rq.stream());
        bool ok = form.get("secret", "") == "test-secret" && form.get("response", "") == "good-token";
        rs.setContentType("application/json");
        rs.send() << (ok ? R"({"success": true})" : R"({"success": false, "error-codes": ["invalid-input-response"]})");
    }

private:
    std::atomic<int>& calls_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(std::atomic<int>& calls) : calls_(calls) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return std::make_unique<SiteVerify>(calls_).release();
    }

private:
    std::atomic<int>& calls_;
};

std::string subscription(const std::string& list_uuid, const std::string& extra) {
    return R"({"email":")" + unique("cap") + R"(@example.com","name":"C","list_uuids":[")" + list_uuid + R"("])" + extra + "}";
}

}  // namespace

TEST_CASE("with hCaptcha enabled, only verified subscriptions get in", "[public][captcha]") {
    std::atomic<int> calls{0};
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    // Poco takes ownership of the factory and the (reference-counted) parameters.
    Poco::Net::HTTPServer verifier(std::make_unique<Factory>(calls).release(), socket, new Poco::Net::HTTPServerParams);
    verifier.start();
    std::string url = "http://127.0.0.1:" + std::to_string(socket.address().port()) + "/siteverify";

    TidingsServer server(std::map<std::string, std::string>{
        {"TIDINGS_PLUGINS__ENABLED", "captcha-altcha, captcha-hcaptcha"},
        {"TIDINGS_HCAPTCHA__VERIFY_URL", url}});
    auto list = server.post("/api/lists", R"({"name":"Cap","type":"public","optin":"single"})", server.admin());
    REQUIRE(list.status == 200);
    std::string uuid = list.data()->getValue<std::string>("uuid");

    // Off by default: no solution needed.
    CHECK(server.post("/api/public/subscription", subscription(uuid, ""), Credentials::none()).status == 200);

    REQUIRE(server.put("/api/settings",
                       R"({"security.captcha":{"altcha":{"enabled":false,"complexity":1000},"hcaptcha":{"enabled":true,"key":"site-key","secret":"test-secret"}}})",
                       server.admin()).status == 200);
    auto before = server.sql("SELECT count(*) FROM subscribers");
    auto missing = server.post("/api/public/subscription", subscription(uuid, ""), Credentials::none());
    CHECK(missing.status == 403);
    CHECK_THAT(missing.message(), Catch::Contains("captcha"));
    CHECK(calls == 0);  // no solution: refused without asking the service
    auto wrong = server.post("/api/public/subscription", subscription(uuid, R"(,"h-captcha-response":"forged")"),
                             Credentials::none());
    CHECK(wrong.status == 403);
    CHECK(server.sql("SELECT count(*) FROM subscribers") == before);

    auto good = server.post("/api/public/subscription", subscription(uuid, R"(,"h-captcha-response":"good-token")"),
                            Credentials::none());
    CHECK(good.status == 200);
    // The HTML form checks it too.
    auto form = server.request("POST", "/subscription/form", "email=" + unique("f") + "%40example.com&l=" + uuid,
                               Credentials::none(), "application/x-www-form-urlencoded");
    CHECK(form.status == 403);
    CHECK(calls >= 2);

    // Altcha takes precedence when both are on: the challenge endpoint works and a missing
    // solution is refused.
    REQUIRE(server.put("/api/settings",
                       R"({"security.captcha":{"altcha":{"enabled":true,"complexity":1000},"hcaptcha":{"enabled":true,"key":"site-key","secret":"test-secret"}}})",
                       server.admin()).status == 200);
    auto challenge = server.get("/api/public/captcha/altcha", Credentials::none());
    CHECK(challenge.status == 200);
    CHECK(challenge.body.find("\"signature\"") != std::string::npos);
    CHECK(server.post("/api/public/subscription", subscription(uuid, R"(,"h-captcha-response":"good-token")"),
                      Credentials::none()).status == 403);
    verifier.stop();
}

TEST_CASE("config reports the CAPTCHA in force with listmonk's keys, and the form shows the same one", "[public][captcha]") {
    TidingsServer server(std::map<std::string, std::string>{{"TIDINGS_PLUGINS__ENABLED", "captcha-altcha, captcha-hcaptcha"}});
    auto captcha = [&](const std::string& settings) {
        REQUIRE(server.put("/api/settings", R"({"security.captcha":)" + settings + "}", server.admin()).status == 200);
        auto r = server.get("/api/config", server.admin());
        REQUIRE(r.status == 200);
        return r.data()->getObject("public_subscription");
    };
    auto form = [&] { return server.get("/subscription/form", Credentials::none()).body; };

    auto off = captcha(R"({"altcha":{"enabled":false,"complexity":1000},"hcaptcha":{"enabled":false,"key":"site-key","secret":"s"}})");
    CHECK(off->getValue<bool>("captcha_enabled") == false);
    CHECK(off->isNull("captcha_provider"));
    CHECK(off->isNull("captcha_key"));
    CHECK(off->getValue<std::int64_t>("altcha_complexity") == 0);

    auto hcaptcha = captcha(R"({"altcha":{"enabled":false,"complexity":1000},"hcaptcha":{"enabled":true,"key":"site-key","secret":"s"}})");
    CHECK(hcaptcha->getValue<bool>("captcha_enabled") == true);
    CHECK(hcaptcha->getValue<std::string>("captcha_provider") == "hcaptcha");
    CHECK(hcaptcha->getValue<std::string>("captcha_key") == "site-key");
    CHECK(hcaptcha->getValue<std::int64_t>("altcha_complexity") == 0);
    CHECK_THAT(form(), Catch::Contains(R"(data-sitekey="site-key")"));

    // Both on: Altcha is the one asked for, so it is the one reported.
    auto altcha = captcha(R"({"altcha":{"enabled":true,"complexity":1000},"hcaptcha":{"enabled":true,"key":"site-key","secret":"s"}})");
    CHECK(altcha->getValue<bool>("captcha_enabled") == true);
    CHECK(altcha->getValue<std::string>("captcha_provider") == "altcha");
    CHECK(altcha->isNull("captcha_key"));
    CHECK(altcha->getValue<std::int64_t>("altcha_complexity") == 1000);
    CHECK_THAT(form(), Catch::Contains("altcha-widget") && !Catch::Contains("data-sitekey"));
}

TEST_CASE("the Altcha challenge endpoint is rate limited, the form page that embeds it is not", "[public][captcha][ratelimit]") {
    TidingsServer server(std::map<std::string, std::string>{{"TIDINGS_PLUGINS__ENABLED", "captcha-altcha"},
                                                            {"TIDINGS_SECURITY__RATE_LIMIT", "1"},
                                                            {"TIDINGS_SECURITY__RATE_BURST", "3"}});
    REQUIRE(server.put("/api/settings", R"({"security.captcha":{"altcha":{"enabled":true,"complexity":1000}}})",
                       server.admin()).status == 200);
    int limited = 0;
    for (int i = 0; i < 20; ++i) {
        auto r = server.get("/api/public/captcha/altcha", Credentials::none());
        if (r.status == 429) ++limited;
    }
    CHECK(limited > 0);
    for (int i = 0; i < 20; ++i) REQUIRE(server.get("/subscription/form", Credentials::none()).status == 200);
}
