// bounce-mailbox end to end: a real dovecot POP3 server holds delivery status notifications for
// campaign mail, the plugin is configured through PUT /api/settings (listmonk's
// `bounce.mailboxes`) and the bounces must appear in the API while the mailbox empties.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <sstream>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/ServerSocket.h>

#include "bounce_fixtures.hpp"
#include "pop3_server.hpp"

using namespace tidings::test;

namespace {

TidingsServer& server() {
    static TidingsServer instance(std::map<std::string, std::string>{{"TIDINGS_PLUGINS__ENABLED", "bounce-mailbox"}});
    return instance;
}

Pop3Server& pop3() {
    static Pop3Server instance;
    return instance;
}

std::string crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

std::string subscriberUuid(std::int64_t id) {
    return server().get("/api/subscribers/" + std::to_string(id), server().admin()).data()->getValue<std::string>("uuid");
}

// The header block of a campaign message as the send engine writes it.
std::string campaignHeaders(const std::string& to, const std::string& campaign_uuid, const std::string& subscriber_uuid) {
    return "Return-Path: <bounces@news.bounce.test>\n"
           "Date: Tue, 01 Dec 2026 08:59:58 +0000\n"
           "From: \"Weekly news\" <news@bounce.test>\n"
           "To: <" + to + ">\n"
           "Subject: This week\n"
           "Message-Id: <" + unique("campaign-") + "@news.bounce.test>\n"
           "X-Tidings-Campaign: " + campaign_uuid + "\n"
           "X-Tidings-Subscriber: " + subscriber_uuid + "\n"
           "List-Unsubscribe: <https://news.bounce.test/subscription/x>\n"
           "MIME-Version: 1.0\n"
           "Content-Type: text/html; charset=utf-8\n";
}

// A Postfix delivery status notification returning the full original message.
std::string postfixDsn(const std::string& recipient, const std::string& action, const std::string& status,
                       const std::string& diagnostic, const std::string& original_headers, const std::string& marker) {
    const std::string boundary = unique("B7C2A") + "/mx.bounce.test";
    return crlf("Return-Path: <>\n"
                "Date: Tue,  1 Dec 2026 10:15:02 +0100 (CET)\n"
                "From: MAILER-DAEMON@mx.bounce.test (Mail Delivery System)\n"
                "Subject: Undelivered Mail Returned to Sender " + marker + "\n"
                "To: bounces@news.bounce.test\n"
                "Auto-Submitted: auto-replied\n"
                "MIME-Version: 1.0\n"
                "Content-Type: multipart/report; report-type=delivery-status;\n"
                "\tboundary=\"" + boundary + "\"\n"
                "Message-Id: <" + unique("dsn-") + "@mx.bounce.test>\n\n"
                "This is a MIME-encapsulated message.\n\n"
                "--" + boundary + "\n"
                "Content-Description: Notification\n"
                "Content-Type: text/plain; charset=us-ascii\n\n"
                "This is the mail system at host mx.bounce.test.\n\n"
                "I'm sorry to have to inform you that your message could not\n"
                "be delivered to one or more recipients.\n\n"
                "<" + recipient + ">: host mail.example.org said: " + diagnostic + "\n\n"
                "--" + boundary + "\n"
                "Content-Description: Delivery report\n"
                "Content-Type: message/delivery-status\n\n"
                "Reporting-MTA: dns; mx.bounce.test\n"
                "X-Postfix-Queue-ID: B7C2A0123\n"
                "Arrival-Date: Tue,  1 Dec 2026 10:00:01 +0100 (CET)\n\n"
                "Final-Recipient: rfc822; " + recipient + "\n"
                "Original-Recipient: rfc822;" + recipient + "\n"
                "Action: " + action + "\n"
                "Status: " + status + "\n"
                "Remote-MTA: dns; mail.example.org\n"
                "Diagnostic-Code: smtp; " + diagnostic + "\n\n"
                "--" + boundary + "\n"
                "Content-Description: Undelivered Message\n"
                "Content-Type: message/rfc822\n\n" +
                original_headers + "\n<p>Hello, this is the newsletter.</p>\n\n"
                "--" + boundary + "--\n");
}

std::string mailboxesJson(const std::string& extra_members = "", int port = 0, const std::string& auth = "userpass",
                          const std::string& tls = R"("tls_enabled": false, "tls_skip_verify": false)") {
    return R"([{"enabled": true, "type": "pop", "host": "127.0.0.1", "port": )" +
           std::to_string(port ? port : pop3().port()) + R"(, "auth_protocol": ")" + auth + R"(", "username": ")" +
           pop3().username() + R"(", "password": ")" + pop3().password() +
           R"(", "return_path": "bounces@news.bounce.test", "scan_interval": "1s", )" + tls + extra_members + "}]";
}

void putSettings(const std::string& members) {
    auto r = server().put("/api/settings", "{" + members + "}", server().admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

// True once `done` holds, polling for up to `timeout`.
bool eventually(const std::function<bool()>& done, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return true;
}

std::size_t messagesContaining(const std::string& marker) {
    std::size_t n = 0;
    for (const auto& m : pop3().messages())
        if (m.find(marker) != std::string::npos) ++n;
    return n;
}

int freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
}

}  // namespace

TEST_CASE("mailbox: DSNs become bounces with subscriber, campaign and type, and handled mail is deleted",
          "[bounce][mailbox]") {
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string hard_email = unique("mb-hard-") + "@bounce.test";
    const std::string soft_email = unique("mb-soft-") + "@bounce.test";
    const auto hard_id = makeSubscriber(server(), hard_email);
    const auto soft_id = makeSubscriber(server(), soft_email);
    const std::string marker = unique("run-");

    pop3().deliver(postfixDsn(hard_email, "failed", "5.1.1", "550 5.1.1 <" + hard_email + ">: Recipient address rejected: User unknown",
                              campaignHeaders(hard_email, campaign_uuid, subscriberUuid(hard_id)), marker));
    pop3().deliver(postfixDsn(soft_email, "failed", "4.2.2", "452 4.2.2 Mailbox full",
                              campaignHeaders(soft_email, campaign_uuid, subscriberUuid(soft_id)), marker));
    pop3().deliver(crlf("From: Reader <reader@example.org>\nTo: bounces@news.bounce.test\n"
                        "Subject: Re: This week " + marker + "\nDate: Tue, 01 Dec 2026 11:00:00 +0000\n\n"
                        "Thanks for the newsletter!\n"));
    pop3().deliver(crlf("From: MAILER-DAEMON@mx.bounce.test\nSubject: Undelivered " + marker + " malformed\n"
                        "MIME-Version: 1.0\n"
                        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"never-there\"\n\n"
                        "The parts of this report were lost.\n"));
    REQUIRE(messagesContaining(marker) == 4);

    // Nothing is scanned while bounce processing is off.
    putSettings(R"("bounce.enabled": false, "bounce.mailboxes": )" + mailboxesJson());
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(messagesContaining(marker) == 4);
    CHECK(subscriberBounces(server(), hard_id)->size() == 0);

    putSettings(R"("bounce.enabled": true, "bounce.mailboxes": )" + mailboxesJson());
    const bool scanned = eventually([&] {
        return subscriberBounces(server(), hard_id)->size() == 1 && subscriberBounces(server(), soft_id)->size() == 1 &&
               messagesContaining(marker) == 1;
    });
    INFO(server().log());
    INFO(pop3().log());
    REQUIRE(scanned);

    const auto hard = subscriberBounces(server(), hard_id)->getObject(0);
    CHECK(hard->getValue<std::string>("type") == "hard");
    // listmonk names mailbox bounces after the POP3 host.
    CHECK(hard->getValue<std::string>("source") == "127.0.0.1");
    REQUIRE(hard->getObject("campaign"));
    CHECK(hard->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    CHECK(hard->getObject("meta")->getValue<std::string>("status") == "5.1.1");
    CHECK(hard->getObject("meta")->getValue<std::string>("recipient") == hard_email);
    // The DSN's Date (10:15:02 +0100) is when the bounce happened.
    CHECK(hard->getValue<std::string>("created_at").rfind("2026-12-01T09:15:02", 0) == 0);
    CHECK(subscriberStatus(server(), hard_id) == "blocklisted");

    const auto soft = subscriberBounces(server(), soft_id)->getObject(0);
    CHECK(soft->getValue<std::string>("type") == "soft");
    REQUIRE(soft->getObject("campaign"));
    CHECK(soft->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    // listmonk's default needs two soft bounces before any action.
    CHECK(subscriberStatus(server(), soft_id) == "enabled");

    CHECK(bounceTotal(server(), "source=127.0.0.1&campaign_id=" + std::to_string(campaign_id)) == 2);

    // The malformed message stays for an operator to look at; the reply is gone.
    std::string left;
    for (const auto& m : pop3().messages())
        if (m.find(marker) != std::string::npos) left = m;
    CHECK(left.find("never-there") != std::string::npos);
    CHECK(server().log().find("malformed") != std::string::npos);
}

TEST_CASE("mailbox: the password is masked in GET /api/settings and survives a masked PUT", "[bounce][mailbox]") {
    putSettings(R"("bounce.enabled": true, "bounce.mailboxes": )" + mailboxesJson());
    auto r = server().get("/api/settings", server().admin());
    REQUIRE(r.status == 200);
    CHECK(r.body.find(pop3().password()) == std::string::npos);
    const auto mailboxes = r.data()->getArray("bounce.mailboxes");
    REQUIRE(mailboxes);
    REQUIRE(mailboxes->size() == 1);
    const std::string masked = mailboxes->getObject(0)->getValue<std::string>("password");
    CHECK_FALSE(masked.empty());
    CHECK(masked != pop3().password());

    // Sending the settings back as the admin UI does, masked password and all, keeps the real one.
    std::ostringstream body;
    mailboxes->stringify(body);
    putSettings(R"("bounce.mailboxes": )" + body.str());
    const std::string email = unique("mb-masked-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string marker = unique("masked-");
    pop3().deliver(postfixDsn(email, "failed", "5.1.1", "550 5.1.1 User unknown",
                              "From: news@bounce.test\nTo: " + email + "\nSubject: hi\nX-Tidings-Subscriber: " +
                                  subscriberUuid(id) + "\n",
                              marker));
    INFO(server().log());
    CHECK(eventually([&] { return subscriberBounces(server(), id)->size() == 1 && messagesContaining(marker) == 0; }));
}

TEST_CASE("mailbox: a server that is down is logged and retried while the others are still scanned", "[bounce][mailbox]") {
    const int dead_port = freePort();
    const std::string down = mailboxesJson("", dead_port);
    const std::string up = mailboxesJson();
    // Both arrays hold one object: splice them into one array of two.
    putSettings(R"("bounce.enabled": true, "bounce.mailboxes": )" + down.substr(0, down.size() - 1) + ", " + up.substr(1));

    const std::string email = unique("mb-down-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string marker = unique("down-");
    pop3().deliver(postfixDsn(email, "delayed", "4.4.1", "connect to mail.example.org timed out",
                              "From: news@bounce.test\nTo: " + email + "\nSubject: hi\n", marker));
    INFO(server().log());
    REQUIRE(eventually([&] { return subscriberBounces(server(), id)->size() == 1 && messagesContaining(marker) == 0; }));
    CHECK(subscriberBounces(server(), id)->getObject(0)->getValue<std::string>("type") == "soft");
    // Retried on every interval, each attempt logged.
    CHECK(eventually([&] {
        const std::string log = server().log();
        const std::string line = "127.0.0.1:" + std::to_string(dead_port) + ": scan failed, retrying";
        const auto first = log.find(line);
        return first != std::string::npos && log.find(line, first + 1) != std::string::npos;
    }));
}

TEST_CASE("mailbox: CRAM-MD5 login", "[bounce][mailbox]") {
    putSettings(R"("bounce.enabled": true, "bounce.mailboxes": )" + mailboxesJson("", 0, "cram"));
    const std::string email = unique("mb-cram-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string marker = unique("cram-");
    pop3().deliver(postfixDsn(email, "failed", "5.2.1", "550 5.2.1 Mailbox disabled",
                              "From: news@bounce.test\nTo: " + email + "\nSubject: hi\n", marker));
    INFO(server().log());
    CHECK(eventually([&] { return subscriberBounces(server(), id)->size() == 1 && messagesContaining(marker) == 0; }));
}

TEST_CASE("mailbox: implicit TLS, with the certificate verified unless told not to", "[bounce][mailbox]") {
    const std::string email = unique("mb-tls-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const std::string marker = unique("tls-");

    // The test server's certificate is self-signed: verification must refuse it and keep the mail.
    putSettings(R"("bounce.enabled": true, "bounce.mailboxes": )" +
                mailboxesJson("", pop3().tlsPort(), "userpass", R"("tls_enabled": true, "tls_skip_verify": false)"));
    pop3().deliver(postfixDsn(email, "failed", "5.1.1", "550 5.1.1 User unknown",
                              "From: news@bounce.test\nTo: " + email + "\nSubject: hi\n", marker));
    const std::string refused = "127.0.0.1:" + std::to_string(pop3().tlsPort()) + ": scan failed";
    INFO(server().log());
    REQUIRE(eventually([&] { return server().log().find(refused) != std::string::npos; }));
    {
        const std::string log = server().log();
        const auto at = log.find(refused);
        CHECK(log.substr(at, log.find('\n', at) - at).find("certificate") != std::string::npos);
    }
    CHECK(messagesContaining(marker) == 1);
    CHECK(subscriberBounces(server(), id)->size() == 0);

    putSettings(R"("bounce.mailboxes": )" +
                mailboxesJson("", pop3().tlsPort(), "userpass", R"("tls_enabled": true, "tls_skip_verify": true)"));
    CHECK(eventually([&] { return subscriberBounces(server(), id)->size() == 1 && messagesContaining(marker) == 0; }));
}

TEST_CASE("mailbox: malformed messages are deleted only when delete_malformed is set", "[bounce][mailbox]") {
    const std::string marker = unique("broken-");
    pop3().deliver(crlf("From: MAILER-DAEMON@mx.bounce.test\nSubject: Undelivered " + marker + "\n"
                        "Content-Type: multipart/report; report-type=delivery-status\n\nno boundary parameter\n"));
    putSettings(R"("bounce.enabled": true, "bounce.mailboxes": )" + mailboxesJson());
    // Scanned more than once at a one-second interval, and still there, logged each time.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const std::string log = server().log();
    INFO(log);
    CHECK(messagesContaining(marker) == 1);
    CHECK(log.find("multipart without a boundary); left in the mailbox") != std::string::npos);

    putSettings(R"("bounce.mailboxes": )" + mailboxesJson(R"(, "delete_malformed": true)"));
    CHECK(eventually([&] { return messagesContaining(marker) == 0; }));
}
