// The bounce-mailbox plugin's reading of listmonk's `bounce.mailboxes` setting.
#include <catch2/catch.hpp>

#include "mailbox_settings.hpp"

using namespace tidings::mailbox;

TEST_CASE("mailboxes: listmonk's entry shape is read, disabled entries skipped", "[unit][mailbox]") {
    const auto s = parseMailboxes(R"([
        {"enabled": true, "type": "pop", "host": "pop.example.com", "port": 995, "auth_protocol": "userpass",
         "username": "bounces", "password": "pw", "return_path": "bounces@example.com", "scan_interval": "15m",
         "tls_enabled": true, "tls_skip_verify": false},
        {"enabled": false, "type": "pop", "host": "off.example.com"},
        {"enabled": true, "host": "cram.example.com", "auth_protocol": "cram", "username": "u", "scan_interval": "30s",
         "delete_malformed": true}])");
    CHECK(s.problems.empty());
    REQUIRE(s.mailboxes.size() == 2);
    const auto& a = s.mailboxes[0];
    CHECK(a.host == "pop.example.com");
    CHECK(a.port == 995);
    CHECK(a.auth == AuthProtocol::UserPass);
    CHECK(a.password == "pw");
    CHECK(a.tls_enabled);
    CHECK(a.scan_interval == std::chrono::minutes(15));
    CHECK(a.describe() == "bounces@pop.example.com:995");
    const auto& b = s.mailboxes[1];
    CHECK(b.port == 110);  // POP3's port when TLS is off and none is given
    CHECK(b.auth == AuthProtocol::Cram);
    CHECK(b.scan_interval == std::chrono::seconds(30));
    CHECK(b.delete_malformed);
}

TEST_CASE("mailboxes: unusable entries are reported by index and field, the rest kept", "[unit][mailbox]") {
    const auto s = parseMailboxes(R"([
        {"enabled": true, "type": "imap", "host": "a"},
        {"enabled": true, "host": ""},
        {"enabled": true, "host": "b", "port": 70000},
        {"enabled": true, "host": "c", "auth_protocol": "kerberos", "username": "u"},
        {"enabled": true, "host": "d", "username": "u", "scan_interval": "soon"},
        {"enabled": true, "host": "e", "auth_protocol": "userpass"},
        {"enabled": true, "host": "f", "auth_protocol": "none", "scan_interval": "1ms"}])");
    REQUIRE(s.problems.size() == 6);
    CHECK(s.problems[0].find("bounce.mailboxes[0].type") == 0);
    CHECK(s.problems[1].find("bounce.mailboxes[1].host") == 0);
    CHECK(s.problems[2].find("bounce.mailboxes[2].port") == 0);
    CHECK(s.problems[3].find("bounce.mailboxes[3].auth_protocol") == 0);
    CHECK(s.problems[4].find("bounce.mailboxes[4].scan_interval") == 0);
    CHECK(s.problems[5].find("bounce.mailboxes[5].username") == 0);
    REQUIRE(s.mailboxes.size() == 1);
    CHECK(s.mailboxes[0].host == "f");
    // A typo cannot make the scanner spin.
    CHECK(s.mailboxes[0].scan_interval == std::chrono::seconds(1));
}

TEST_CASE("mailboxes: a value that is not an array yields nothing, without throwing", "[unit][mailbox]") {
    CHECK(parseMailboxes("{}").mailboxes.empty());
    CHECK(parseMailboxes("{}").problems.size() == 1);
    CHECK(parseMailboxes("not json").problems.size() == 1);
    CHECK(parseMailboxes("[]").problems.empty());
    CHECK(parseMailboxes("[42]").problems.size() == 1);
}
