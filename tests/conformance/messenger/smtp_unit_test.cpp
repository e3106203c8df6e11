// Unit tests of the pure parts of messenger-smtp: settings parsing, the DATA payload transform
// (dot-stuffing, CRLF) and header encoding. No network.
#include <catch2/catch.hpp>

#include "mime_composer.hpp"
#include "smtp_connection.hpp"
#include "smtp_settings.hpp"

using namespace tidings::smtp;

TEST_CASE("durations parse like Go's", "[smtp][unit]") {
    CHECK(parseDuration("15s") == std::chrono::seconds(15));
    CHECK(parseDuration("500ms") == std::chrono::milliseconds(500));
    CHECK(parseDuration("1m30s") == std::chrono::seconds(90));
    CHECK(parseDuration("2") == std::chrono::seconds(2));
    CHECK_THROWS_AS(parseDuration("soon"), std::invalid_argument);
}

TEST_CASE("the smtp setting parses listmonk's fields with its clamping", "[smtp][unit]") {
    const auto servers = parseServers(R"([
      {"enabled": true, "name": "Primary Relay", "host": "mx.example.com", "port": 587,
       "auth_protocol": "login", "username": "u", "password": "p", "tls_type": "STARTTLS",
       "tls_skip_verify": true, "max_conns": 3, "idle_timeout": "20s", "wait_timeout": "500ms",
       "max_msg_retries": 0, "email_headers": [{"X-A": "1"}, {"X-B": "2"}]},
      {"enabled": false, "host": "off.example.com"},
      {"host": "old.example.com", "port": "2525", "tls_enabled": true, "auth_protocol": "cram"}])");
    REQUIRE(servers.size() == 2);
    const auto& a = servers[0];
    CHECK(a.name == "primary-relay");
    CHECK(a.port == 587);
    CHECK(a.auth == AuthProtocol::Login);
    CHECK(a.tls == TlsMode::StartTls);
    CHECK(a.tls_skip_verify);
    CHECK(a.max_conns == 3);
    CHECK(a.idle_timeout == std::chrono::seconds(20));
    CHECK(a.wait_timeout == std::chrono::seconds(2));  // < 1s becomes 2s, as in listmonk
    CHECK(a.max_msg_retries == 1);                      // 0 becomes 1
    REQUIRE(a.email_headers.size() == 2);
    CHECK(a.email_headers[1].first == "X-B");
    const auto& b = servers[1];
    CHECK(b.port == 2525);
    CHECK(b.tls == TlsMode::StartTls);  // older tls_enabled flag
    CHECK(b.auth == AuthProtocol::CramMd5);
    CHECK_THROWS_WITH(parseServers(R"([{"host":"x","tls_type":"bogus"}])"), Catch::Contains("smtp[0].tls_type"));
    CHECK_THROWS_WITH(parseServers(R"([{"host":"x","port":70000}])"), Catch::Contains("smtp[0].port"));
    CHECK(parseServers("[]").empty());
}

TEST_CASE("DATA payload is dot-stuffed with canonical line ends", "[smtp][unit]") {
    std::string out;
    appendDataPayload(out, ".start\nmiddle\r\n..two\rlast");
    CHECK(out == "..start\r\nmiddle\r\n...two\r\nlast\r\n.\r\n");
    out.clear();
    appendDataPayload(out, "ends with newline\r\n");
    CHECK(out == "ends with newline\r\n.\r\n");
    out.clear();
    appendDataPayload(out, ".");
    CHECK(out == "..\r\n.\r\n");
}

TEST_CASE("header values are RFC 2047 encoded only when needed and never inject", "[smtp][unit]") {
    CHECK(encodeHeaderValue("plain ascii") == "plain ascii");
    CHECK(encodeHeaderValue("a\r\nBcc: x@y") == "a Bcc: x@y");
    const std::string enc = encodeHeaderValue("Grüße aus Köln — 東京からこんにちは、ありがとうございます");
    CHECK(enc.rfind("=?UTF-8?B?", 0) == 0);
    std::size_t start = 0;
    while (start < enc.size()) {  // every encoded word within 75 characters
        auto end = enc.find("\r\n ", start);
        if (end == std::string::npos) end = enc.size();
        CHECK(end - start <= 75);
        start = end + 3;
    }
}

TEST_CASE("mailboxes parse and bad addresses are refused", "[smtp][unit]") {
    CHECK(parseMailbox("Name <a@b.c>").address == "a@b.c");
    CHECK(parseMailbox("\"Doe, Jane\" <j@d.e>").name == "Doe, Jane");
    CHECK(parseMailbox("bare@x.y").name.empty());
    CHECK_THROWS_AS(parseMailbox("not an address"), std::invalid_argument);
    CHECK_THROWS_AS(parseMailbox("a@b>\r\nRCPT TO:<evil@x"), std::invalid_argument);
}
