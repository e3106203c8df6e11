// Mail sent outside campaigns — opt-in confirmations and data exports — goes through the durable
// outbox: it is sent for admin-created subscribers too, can be re-sent, and survives a relay
// outage.
#include <thread>

#include <catch2/catch.hpp>

#include "mail_sink.hpp"
#include "shared_server.hpp"

using namespace tidings::test;
using namespace std::chrono_literals;

namespace {

const std::map<std::string, std::string> kWithSmtp{{"TIDINGS_PLUGINS__ENABLED", "messenger-smtp"}};

void pointAt(const TidingsServer& server, const MailSink& sink) {
    auto r = server.put("/api/settings", sink.smtpSettingsJson(), server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

Poco::JSON::Object::Ptr postOk(const TidingsServer& server, const std::string& path, const std::string& body) {
    auto r = server.post(path, body, server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data();
}

// The mail with quoted-printable soft line breaks and '=' escapes undone, enough to find URLs.
std::string unfolded(std::string mail) {
    for (std::size_t at; (at = mail.find("=\r\n")) != std::string::npos;) mail.erase(at, 3);
    for (std::size_t at; (at = mail.find("=3D")) != std::string::npos;) mail.replace(at, 3, "=");
    return mail;
}

// Waits until `email` got `n` mails; returns them.
std::vector<std::string> mailsTo(const MailSink& sink, const std::string& email, std::size_t n,
                                 std::chrono::seconds timeout = 30s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    auto mails = sink.messagesTo(email);
    while (mails.size() < n && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(100ms);
        mails = sink.messagesTo(email);
    }
    return mails;
}

}  // namespace

TEST_CASE("an admin-created subscriber on a double opt-in list gets the opt-in mail, and it can be re-sent",
          "[mail][optin]") {
    MailSink sink;
    TidingsServer server(kWithSmtp);
    pointAt(server, sink);
    const auto doubled = postOk(server, "/api/lists", R"({"name": "Double", "type": "public", "optin": "double"})");
    const auto single = postOk(server, "/api/lists", R"({"name": "Single", "type": "public", "optin": "single"})");
    const std::string lists = "[" + std::to_string(idOf(doubled)) + ", " + std::to_string(idOf(single)) + "]";

    const auto sub = postOk(server, "/api/subscribers", R"({"email": "new@optin.test", "name": "New", "lists": )" + lists + "}");
    auto mails = mailsTo(sink, "new@optin.test", 1);
    REQUIRE(mails.size() == 1);
    CHECK(unfolded(mails[0]).find("/subscription/optin/" + sub->getValue<std::string>("uuid")) != std::string::npos);
    CHECK(mails[0].find("X-Listmonk-Subscriber: " + sub->getValue<std::string>("uuid")) != std::string::npos);

    // POST /api/subscribers/:id/optin sends it again.
    auto again = server.post("/api/subscribers/" + std::to_string(idOf(sub)) + "/optin", "", server.admin());
    CHECK(again.status == 200);
    CHECK(again.body == R"({"data":true})");
    CHECK(mailsTo(sink, "new@optin.test", 2).size() == 2);
    CHECK(server.post("/api/subscribers/999999/optin", "", server.admin()).status == 404);

    // Preconfirmed subscriptions and single opt-in lists get none.
    postOk(server, "/api/subscribers",
           R"({"email": "pre@optin.test", "name": "Pre", "preconfirm_subscriptions": true, "lists": )" + lists + "}");
    postOk(server, "/api/subscribers",
           R"({"email": "one@optin.test", "name": "One", "lists": [)" + std::to_string(idOf(single)) + "]}");
    // A mail sent after those two arrives after them (one worker, in order), so its arrival
    // proves they were not queued.
    postOk(server, "/api/subscribers", R"({"email": "last@optin.test", "name": "Last", "lists": )" + lists + "}");
    REQUIRE(mailsTo(sink, "last@optin.test", 1).size() == 1);
    CHECK(sink.messagesTo("pre@optin.test").empty());
    CHECK(sink.messagesTo("one@optin.test").empty());
}

TEST_CASE("a relay outage delays opt-in mail but neither loses it nor fails the subscription", "[mail][outbox]") {
    int port = 0;
    {
        MailSink probe;  // finds a free port, then goes away: nothing listens there now
        port = probe.port();
    }
    TidingsServer server(kWithSmtp);
    auto settings = server.put("/api/settings",
                               R"({"smtp":[{"enabled":true,"host":"127.0.0.1","port":)" + std::to_string(port) +
                                   R"(,"auth_protocol":"none","tls_type":"none","max_conns":2,"max_msg_retries":0}]})",
                               server.admin());
    REQUIRE(settings.status == 200);
    const auto list = postOk(server, "/api/lists", R"({"name": "Double", "type": "public", "optin": "double"})");

    auto r = server.post("/api/public/subscription",
                         R"({"email": "patient@optin.test", "name": "Patient", "list_uuids": [")" +
                             list->getValue<std::string>("uuid") + R"("]})",
                         Credentials::none());
    INFO(r.body);
    CHECK(r.status == 200);
    CHECK(r.data()->getValue<bool>("has_optin"));
    CHECK(server.sql("SELECT count(*) FROM subscribers WHERE email = 'patient@optin.test'") == "1");

    // The first attempt fails and is logged; the relay comes back and the mail goes out.
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (server.log().find("failed (attempt 1)") == std::string::npos && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(100ms);
    CHECK(server.log().find("failed (attempt 1)") != std::string::npos);
    MailSink relay({}, port);
    const auto mails = mailsTo(relay, "patient@optin.test", 1, 40s);
    REQUIRE(mails.size() == 1);
    CHECK(mails[0].find("Confirm") != std::string::npos);
    // Exactly once.
    std::this_thread::sleep_for(1s);
    CHECK(relay.messagesTo("patient@optin.test").size() == 1);
}
