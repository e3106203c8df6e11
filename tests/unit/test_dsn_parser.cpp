// The bounce-mailbox plugin's message reader: RFC 3464 reports as Postfix, Exim and Gmail write
// them, bounces that paste the original into their text, and what must not count as a bounce.
#include <catch2/catch.hpp>

#include <string>

#include "dsn_parser.hpp"

using namespace tidings::mailbox;
namespace sdk = tidings::sdk::v1;

namespace {

const std::string kCampaign = "2f6c1a9e-8c1b-4c8e-9a51-3d0f5c7b9e21";
const std::string kSubscriber = "7a1d9b4e-0f3c-4b6a-8e2d-5c9f1a3b7d64";

std::string crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// A Postfix DSN for a campaign message, with the original returned as message/rfc822.
std::string postfixDsn(const std::string& action, const std::string& status, const std::string& recipient,
                       const std::string& original_headers) {
    return crlf(R"(Return-Path: <>
Date: Tue,  1 Dec 2026 10:15:02 +0100 (CET)
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@news.example.com
Message-Id: <20261201091502.4B1A7C0123@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4B1A7C0123.1764580502/mx.example.net"
Auto-Submitted: auto-replied

This is a MIME-encapsulated message.

--4B1A7C0123.1764580502/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--4B1A7C0123.1764580502/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4B1A7C0123
Arrival-Date: Tue,  1 Dec 2026 10:15:01 +0100 (CET)

Final-Recipient: rfc822; )" + recipient + R"(
Original-Recipient: rfc822;)" + recipient + R"(
Action: )" + action + R"(
Status: )" + status + R"(
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 550 )" + status + R"( <)" + recipient + R"(>: Recipient address rejected

--4B1A7C0123.1764580502/mx.example.net
Content-Description: Undelivered Message
Content-Type: message/rfc822

)" + original_headers + R"(
<p>Hello</p>

--4B1A7C0123.1764580502/mx.example.net--
)");
}

std::string campaignHeaders(const std::string& to) {
    return "Return-Path: <bounces@news.example.com>\n"
           "From: News <news@news.example.com>\n"
           "To: <" + to + ">\n"
           "Subject: December news\n"
           "X-Tidings-Campaign: " + kCampaign + "\n"
           "X-Tidings-Subscriber: " + kSubscriber + "\n"
           "MIME-Version: 1.0\n"
           "Content-Type: text/html; charset=utf-8\n";
}

}  // namespace

TEST_CASE("dsn: a 5.1.1 failure is a hard bounce with the original's subscriber and campaign", "[unit][dsn]") {
    const auto m = parseBounceMessage(postfixDsn("failed", "5.1.1", "gone@example.org", campaignHeaders("gone@example.org")));
    INFO(m.why);
    REQUIRE(m.kind == MessageKind::Bounce);
    REQUIRE(m.bounces.size() == 1);
    const auto& b = m.bounces[0];
    CHECK(b.email == "gone@example.org");
    CHECK(b.subscriber_uuid == kSubscriber);
    CHECK(b.campaign_uuid == kCampaign);
    CHECK(b.type == sdk::BounceType::Hard);
    CHECK(b.status == "5.1.1");
    CHECK(b.action == "failed");
    CHECK(b.diagnostic.find("Recipient address rejected") != std::string::npos);
    CHECK(m.subject == "Undelivered Mail Returned to Sender");
    CHECK(m.message_id == "<20261201091502.4B1A7C0123@mx.example.net>");
    REQUIRE(m.date);
    // 10:15:02 +0100 is 09:15:02 UTC.
    CHECK(std::chrono::duration_cast<std::chrono::seconds>(m.date->time_since_epoch()).count() % 86400 ==
          9 * 3600 + 15 * 60 + 2);
}

TEST_CASE("dsn: 4.x.x and delayed reports are soft bounces", "[unit][dsn]") {
    auto m = parseBounceMessage(postfixDsn("failed", "4.2.2", "full@example.org", campaignHeaders("full@example.org")));
    REQUIRE(m.kind == MessageKind::Bounce);
    CHECK(m.bounces[0].type == sdk::BounceType::Soft);

    m = parseBounceMessage(postfixDsn("delayed", "4.4.1", "slow@example.org", campaignHeaders("slow@example.org")));
    REQUIRE(m.kind == MessageKind::Bounce);
    CHECK(m.bounces[0].type == sdk::BounceType::Soft);
    CHECK(m.bounces[0].reason == "dsn action delayed");
}

TEST_CASE("dsn: listmonk's header names identify mail sent before a migration", "[unit][dsn]") {
    std::string headers = campaignHeaders("old@example.org");
    headers.replace(headers.find("X-Tidings-Campaign"), 18, "X-Listmonk-Campaign");
    headers.replace(headers.find("X-Tidings-Subscriber"), 20, "X-Listmonk-Subscriber");
    const auto m = parseBounceMessage(postfixDsn("failed", "5.2.1", "old@example.org", headers));
    REQUIRE(m.kind == MessageKind::Bounce);
    CHECK(m.bounces[0].subscriber_uuid == kSubscriber);
    CHECK(m.bounces[0].campaign_uuid == kCampaign);
}

TEST_CASE("dsn: without Tidings headers the recipient address identifies the subscriber", "[unit][dsn]") {
    const auto m = parseBounceMessage(postfixDsn("failed", "5.1.1", "plain@example.org",
                                                 "From: someone@news.example.com\nTo: plain@example.org\nSubject: hi\n"));
    REQUIRE(m.kind == MessageKind::Bounce);
    CHECK(m.bounces[0].email == "plain@example.org");
    CHECK(m.bounces[0].subscriber_uuid.empty());
    CHECK(m.bounces[0].campaign_uuid.empty());
}

TEST_CASE("dsn: identity headers that are not UUIDs are ignored, the address still counts", "[unit][dsn]") {
    std::string headers = campaignHeaders("damaged@example.org");
    headers.replace(headers.find(kSubscriber), kSubscriber.size(), "not-a-uuid");
    headers.replace(headers.find(kCampaign), kCampaign.size(), "'; DROP TABLE campaigns; --");
    const auto m = parseBounceMessage(postfixDsn("failed", "5.1.1", "damaged@example.org", headers));
    REQUIRE(m.kind == MessageKind::Bounce);
    CHECK(m.bounces[0].subscriber_uuid.empty());
    CHECK(m.bounces[0].campaign_uuid.empty());
    CHECK(m.bounces[0].email == "damaged@example.org");
}

TEST_CASE("dsn: a success report is not a bounce", "[unit][dsn]") {
    const auto m = parseBounceMessage(postfixDsn("delivered", "2.0.0", "ok@example.org", campaignHeaders("ok@example.org")));
    CHECK(m.kind == MessageKind::NotBounce);
    CHECK(m.bounces.empty());
}

TEST_CASE("dsn: base64 parts and a report nested in multipart/mixed are read", "[unit][dsn]") {
    // "Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; b64@example.org\r\n
    //  Action: failed\r\nStatus: 5.7.1\r\n"
    const std::string status_b64 =
        "UmVwb3J0aW5nLU1UQTogZG5zOyBteC5leGFtcGxlLm5ldA0KDQpGaW5hbC1SZWNpcGllbnQ6IHJm\r\n"
        "YzgyMjsgYjY0QGV4YW1wbGUub3JnDQpBY3Rpb246IGZhaWxlZA0KU3RhdHVzOiA1LjcuMQ0K\r\n";
    const std::string raw = crlf(
        "From: postmaster@example.org\nSubject: Delivery Status Notification (Failure)\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer\n\n"
        "--outer\nContent-Type: multipart/report; report-type=delivery-status; boundary=inner\n\n"
        "--inner\nContent-Type: text/plain\n\nDelivery failed.\n"
        "--inner\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n") +
        status_b64 +
        crlf("--inner\nContent-Type: text/rfc822-headers\n\n" + campaignHeaders("b64@example.org") +
             "\n--inner--\n\n--outer--\n");
    const auto m = parseBounceMessage(raw);
    INFO(m.why);
    REQUIRE(m.kind == MessageKind::Bounce);
    CHECK(m.bounces[0].email == "b64@example.org");
    CHECK(m.bounces[0].status == "5.7.1");
    CHECK(m.bounces[0].type == sdk::BounceType::Hard);
    CHECK(m.bounces[0].subscriber_uuid == kSubscriber);
}

TEST_CASE("non-dsn: a bounce quoting the original in its text is classified from the text", "[unit][dsn]") {
    const std::string qmail = crlf(
        "From: MAILER-DAEMON@mail.example.org\nSubject: failure notice\nDate: Tue, 1 Dec 2026 09:00:00 +0000\n\n"
        "Hi. This is the qmail-send program at mail.example.org.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n"
        "<quoted@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
        "--- Below this line is a copy of the message.\n\n"
        "From: news@news.example.com\nTo: quoted@example.org\n"
        "X-Tidings-Campaign: " + kCampaign + "\nX-Tidings-Subscriber: " + kSubscriber + "\n\nHello\n");
    const auto m = parseBounceMessage(qmail);
    INFO(m.why);
    REQUIRE(m.kind == MessageKind::Bounce);
    CHECK(m.bounces[0].subscriber_uuid == kSubscriber);
    CHECK(m.bounces[0].campaign_uuid == kCampaign);
    CHECK(m.bounces[0].type == sdk::BounceType::Hard);
    CHECK(m.bounces[0].status == "5.1.1");

    // Without a status code, the wording decides; with neither, it is soft.
    std::string worded = qmail;
    worded.replace(worded.find(" (#5.1.1)"), 9, "");
    CHECK(parseBounceMessage(worded).bounces.at(0).type == sdk::BounceType::Hard);
    std::string vague = worded;
    vague.replace(vague.find("Sorry, no mailbox here by that name."), 36, "Temporary trouble, retrying later.");
    CHECK(parseBounceMessage(vague).bounces.at(0).type == sdk::BounceType::Soft);
}

TEST_CASE("non-dsn: replies, forwards and strangers' bounces are not bounces", "[unit][dsn]") {
    const std::string reply = crlf("From: Reader <reader@example.org>\nSubject: Re: December news\n\n"
                                   "Thanks!\n> X-Tidings-Subscriber: " + kSubscriber + "\n");
    CHECK(parseBounceMessage(reply).kind == MessageKind::NotBounce);

    const std::string foreign = crlf("From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail\n\n"
                                     "Your message to someone@example.org could not be delivered: 5.1.1\n");
    CHECK(parseBounceMessage(foreign).kind == MessageKind::NotBounce);
}

TEST_CASE("malformed messages are reported, never thrown", "[unit][dsn]") {
    // A report whose boundary never appears.
    const std::string no_boundary = crlf(
        "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"missing\"\n\n"
        "just text, no parts\n");
    auto m = parseBounceMessage(no_boundary);
    CHECK(m.kind == MessageKind::Malformed);
    CHECK_FALSE(m.why.empty());

    CHECK(parseBounceMessage("").kind == MessageKind::Malformed);
    CHECK(parseBounceMessage("\r\n\r\nno header at all").kind == MessageKind::Malformed);

    const std::string multipart_without_boundary =
        crlf("From: a@b\nContent-Type: multipart/report; report-type=delivery-status\n\nx\n");
    CHECK(parseBounceMessage(multipart_without_boundary).kind == MessageKind::Malformed);

    // A failure report that names nobody cannot be recorded.
    const std::string nobody = crlf(
        "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\nAction: failed\nStatus: 5.0.0\n"
        "--b--\n");
    CHECK(parseBounceMessage(nobody).kind == MessageKind::Malformed);
}

TEST_CASE("enhanced status codes map to bounce types", "[unit][dsn]") {
    CHECK(typeOfStatus("5.1.1") == sdk::BounceType::Hard);
    CHECK(typeOfStatus("4.2.2") == sdk::BounceType::Soft);
    CHECK_FALSE(typeOfStatus("2.0.0"));
    CHECK_FALSE(typeOfStatus("550"));
    CHECK_FALSE(typeOfStatus(""));
}
