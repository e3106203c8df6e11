// messenger-smtp against a real SMTP server (aiosmtpd), loaded as the kernel loads it.
#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <thread>

#include "smtp_test_support.hpp"

using namespace smtp_test;
using sdk::StatusCode;

namespace {

std::string setting(const std::vector<std::string>& relays) {
    std::string s = "[";
    for (std::size_t i = 0; i < relays.size(); ++i) s += (i ? "," : "") + relays[i];
    return s + "]";
}

// Text parts carry canonical CRLF line breaks, which decoders hand back in their own convention
// (Python's QP decoder: "\n"); compare text with line breaks as "\n".
std::string lf(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
        out.push_back(s[i]);
    }
    return out;
}

std::vector<std::string> pipeliningOption(bool on) { return on ? std::vector<std::string>{"--pipelining"} : std::vector<std::string>{}; }

}  // namespace

TEST_CASE("a plain message arrives with its headers, subject and body intact", "[smtp]") {
    const bool pipelining = GENERATE(false, true);
    CAPTURE(pipelining);
    SmtpServer server(pipeliningOption(pipelining));
    LoadedPlugin plugin(setting({relayJson(server.port(), R"("email_headers":[{"X-Relay":"relay-value"},{"X-Campaign":"from-relay"}])")}));
    auto* email = plugin.messenger("email");
    REQUIRE(email);

    sdk::Message m;
    m.from = "Zoë Überweg <zoe@example.com>";
    m.to = {"Jane Reader <reader@example.org>"};
    m.subject = "Grüße aus Köln — a subject long enough to need more than one encoded word 東京";
    m.content_type = "plain";
    // Dot lines, trailing spaces, a long line, '=' signs, non-ASCII and a lone CR: all must survive.
    m.body = "Hallo Zoë,\n.\n.leading dot\ntrailing spaces   \n" + std::string(200, 'x') +
             "\na=b and =3D\n€ ünïcödé 東京\nlast line without newline";
    m.headers = {{"X-Campaign", "from-message"}, {"X-Custom", "custom value"}, {"Content-Type", "evil/override"}};
    REQUIRE(email->push(m).ok());
    REQUIRE(server.waitForMessages(1));

    const ParsedMail mail = server.parse(1);
    CHECK(mail.defects().empty());
    CHECK(mail.header("subject") == m.subject);
    CHECK(mail.header("from") == "Zoë Überweg <zoe@example.com>");
    CHECK(mail.header("to") == "Jane Reader <reader@example.org>");
    CHECK(mail.header("x-relay") == "relay-value");
    CHECK(mail.header("x-campaign") == "from-relay");  // the relay's header wins, as in listmonk
    CHECK(mail.header("x-custom") == "custom value");
    CHECK(mail.header("mime-version") == "1.0");
    CHECK(mail.header("message-id").find("@example.com>") != std::string::npos);
    CHECK_FALSE(mail.header("date").empty());
    REQUIRE(mail.partCount() == 1);
    CHECK(mail.partType(0) == "text/plain");
    CHECK(mail.partField(0, "charset") == "utf-8");
    CHECK(lf(mail.partPayload(0)) == m.body);  // no newline added at the end either
    const auto env = server.envelope(1);
    CHECK(env->getValue<std::string>("mail_from") == "zoe@example.com");
    CHECK(env->getArray("rcpt_tos")->getElement<std::string>(0) == "reader@example.org");
}

TEST_CASE("alt_body makes multipart/alternative with both parts decoding exactly", "[smtp]") {
    SmtpServer server({"--pipelining"});
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    sdk::Message m = simpleMessage();
    m.content_type = "html";
    m.body = "<html><body><p>Hello <b>Zoë</b></p>\n<p>" + std::string(120, 'y') + "</p></body></html>\n";
    m.alt_body = "Hello Zoë\n\n" + std::string(120, 'y') + "\n";
    REQUIRE(plugin.messenger("email")->push(m).ok());
    REQUIRE(server.waitForMessages(1));
    const ParsedMail mail = server.parse(1);
    CHECK(mail.defects().empty());
    CHECK(mail.json->getValue<std::string>("content_type") == "multipart/alternative");
    REQUIRE(mail.partCount() == 2);
    CHECK(mail.partType(0) == "text/plain");
    CHECK(mail.partType(1) == "text/html");
    CHECK(lf(mail.partPayload(0)) == m.alt_body);
    CHECK(lf(mail.partPayload(1)) == m.body);
}

TEST_CASE("attachments arrive byte-exact inside multipart/mixed", "[smtp]") {
    SmtpServer server;
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    sdk::Message m = simpleMessage();
    m.content_type = "html";
    m.body = "<p>see attached</p>";
    m.alt_body = "see attached";
    std::string binary(10007, '\0');
    std::mt19937 rng(42);
    for (auto& c : binary) c = static_cast<char>(rng());
    m.attachments.push_back({"data.bin", "application/octet-stream", binary});
    m.attachments.push_back({"notiz für dich.txt", "text/plain", "line one\r\n.line two\r\n"});
    REQUIRE(plugin.messenger("email")->push(m).ok());
    REQUIRE(server.waitForMessages(1));
    const ParsedMail mail = server.parse(1);
    CHECK(mail.defects().empty());
    CHECK(mail.json->getValue<std::string>("content_type") == "multipart/mixed");
    REQUIRE(mail.partCount() == 4);  // plain, html, two attachments
    CHECK(mail.partType(0) == "text/plain");
    CHECK(mail.partType(1) == "text/html");
    CHECK(mail.partField(2, "filename") == "data.bin");
    CHECK(mail.partField(2, "disposition") == "attachment");
    CHECK(mail.partPayload(2) == binary);
    CHECK(mail.partField(3, "filename") == "notiz für dich.txt");
    CHECK(mail.partPayload(3) == "line one\r\n.line two\r\n");
}

TEST_CASE("AUTH PLAIN, LOGIN and CRAM-MD5 log in, and a wrong password fails fast", "[smtp][auth]") {
    const std::string protocol = GENERATE(std::string("plain"), std::string("login"), std::string("cram"));
    CAPTURE(protocol);
    SmtpServer server({"--auth", "mailer:s3cret pass"});
    {
        LoadedPlugin plugin(setting({relayJson(server.port(), R"("auth_protocol":")" + protocol +
                                                                  R"(","username":"mailer","password":"s3cret pass")")}));
        REQUIRE(plugin.messenger("email")->push(simpleMessage()).ok());
        REQUIRE(server.waitForMessages(1));
        CHECK(server.envelope(1)->getValue<bool>("auth"));
    }
    {
        LoadedPlugin plugin(setting({relayJson(server.port(), R"("auth_protocol":")" + protocol +
                                                                  R"(","username":"mailer","password":"wrong")")}));
        const auto st = plugin.messenger("email")->push(simpleMessage());
        CHECK(st.code() == StatusCode::Unavailable);
        CHECK_THAT(st.message(), Catch::Contains("authentication failed") && Catch::Contains("535"));
        CHECK_THAT(st.message(), !Catch::Contains("wrong"));  // never echo the secret
    }
    CHECK(server.messageCount() == 1);
}

TEST_CASE("a server requiring auth refuses an unauthenticated client with an error", "[smtp][auth]") {
    SmtpServer server({"--auth", "mailer:pw"});
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    const auto st = plugin.messenger("email")->push(simpleMessage());
    CHECK_FALSE(st.ok());
    CHECK_THAT(st.message(), Catch::Contains("530"));
}

TEST_CASE("STARTTLS and implicit TLS encrypt the session, and verification is honoured", "[smtp][tls]") {
    const auto& tls = tlsFiles();
    SECTION("STARTTLS with tls_skip_verify") {
        SmtpServer server({"--cert", tls.cert, "--key", tls.key, "--starttls", "--auth", "u:p", "--pipelining"});
        LoadedPlugin plugin(setting({relayJson(server.port(),
            R"("tls_type":"STARTTLS","tls_skip_verify":true,"auth_protocol":"login","username":"u","password":"p")")}));
        REQUIRE(plugin.messenger("email")->push(simpleMessage()).ok());
        REQUIRE(server.waitForMessages(1));
        CHECK(server.envelope(1)->getValue<bool>("tls"));
        CHECK(server.envelope(1)->getValue<bool>("auth"));
    }
    SECTION("STARTTLS verifying a self-signed certificate fails") {
        SmtpServer server({"--cert", tls.cert, "--key", tls.key, "--starttls"});
        LoadedPlugin plugin(setting({relayJson(server.port(), R"("tls_type":"STARTTLS")")}));
        const auto st = plugin.messenger("email")->push(simpleMessage());
        CHECK(st.code() == StatusCode::Unavailable);
        CHECK(server.messageCount() == 0);
    }
    SECTION("STARTTLS required but not offered") {
        SmtpServer server;
        LoadedPlugin plugin(setting({relayJson(server.port(), R"("tls_type":"STARTTLS")")}));
        const auto st = plugin.messenger("email")->push(simpleMessage());
        CHECK_THAT(st.message(), Catch::Contains("does not offer"));
    }
    SECTION("implicit TLS") {
        SmtpServer server({"--cert", tls.cert, "--key", tls.key, "--implicit-tls"});
        LoadedPlugin plugin(setting({relayJson(server.port(), R"("tls_type":"TLS","tls_skip_verify":true)")}));
        REQUIRE(plugin.messenger("email")->push(simpleMessage()).ok());
        REQUIRE(server.waitForMessages(1));
        CHECK(server.envelope(1)->getValue<bool>("tls"));
    }
}

TEST_CASE("sessions are reused across messages", "[smtp][pool]") {
    const bool pipelining = GENERATE(false, true);
    CAPTURE(pipelining);
    SmtpServer server(pipeliningOption(pipelining));
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    auto* email = plugin.messenger("email");
    for (int i = 0; i < 60; ++i) REQUIRE(email->push(simpleMessage("r" + std::to_string(i) + "@example.org")).ok());
    REQUIRE(server.waitForMessages(60));
    CHECK(server.stat("connections") == 1);
    // Every message went to its own recipient, once.
    for (int i = 1; i <= 60; i += 17)
        CHECK(server.envelope(i)->getArray("rcpt_tos")->size() == 1);
}

TEST_CASE("the pool never opens more than max_conns sessions under concurrency", "[smtp][pool]") {
    SmtpServer server({"--pipelining", "--data-delay", "0.005"});
    std::string relay = relayJson(server.port());
    relay.replace(relay.find("\"max_conns\":4"), 13, "\"max_conns\":3");
    LoadedPlugin plugin(setting({relay}));
    auto* email = plugin.messenger("email");
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i)
                if (!email->push(simpleMessage("t" + std::to_string(t) + "-" + std::to_string(i) + "@example.org")).ok())
                    ++failures;
        });
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    REQUIRE(server.waitForMessages(200));
    CHECK(server.stat("max_concurrent") <= 3);
    CHECK(server.stat("connections") <= 3);
}

TEST_CASE("a relay that is down gives Unavailable within wait_timeout", "[smtp][errors]") {
    const RefusingPort down;
    LoadedPlugin plugin(setting({relayJson(down.port(), R"("wait_timeout":"2s")")}));
    const auto started = std::chrono::steady_clock::now();
    const auto st = plugin.messenger("email")->push(simpleMessage());
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(st.code() == StatusCode::Unavailable);
    CHECK_THAT(st.message(), Catch::Contains("cannot connect"));
    CHECK(took < std::chrono::seconds(2));
}

TEST_CASE("a 451 is retried on the same session and the message is delivered once", "[smtp][errors]") {
    const bool pipelining = GENERATE(false, true);
    CAPTURE(pipelining);
    auto options = pipeliningOption(pipelining);
    options.insert(options.end(), {"--tempfail", "2"});
    SmtpServer server(options);
    LoadedPlugin plugin(setting({relayJson(server.port())}));  // max_msg_retries 2
    REQUIRE(plugin.messenger("email")->push(simpleMessage()).ok());
    REQUIRE(server.waitForMessages(1));
    CHECK(server.stat("tempfailed") == 2);
    CHECK(server.stat("messages") == 1);
    CHECK(server.stat("connections") == 1);  // a 4xx leaves the session in step
}

TEST_CASE("a reply lost after the final dot is Unconfirmed and never sent again", "[smtp][errors]") {
    const bool pipelining = GENERATE(false, true);
    CAPTURE(pipelining);
    auto options = pipeliningOption(pipelining);
    options.insert(options.end(), {"--lose-reply-every", "2"});
    SmtpServer server(options);
    LoadedPlugin plugin(setting({relayJson(server.port())}));  // max_msg_retries 2
    auto* email = plugin.messenger("email");
    REQUIRE(email->push(simpleMessage("first@example.org")).ok());
    const auto st = email->push(simpleMessage("second@example.org"));
    CHECK(st.code() == StatusCode::Unconfirmed);
    CHECK_THAT(st.message(), Catch::Contains("may have accepted"));
    REQUIRE(server.waitForMessages(2));
    CHECK(server.stat("lost_replies") == 1);
    // The relay kept it: a retry would have been a second copy on a second session.
    CHECK(server.stat("messages") == 2);
    CHECK(server.stat("connections") == 1);
    // The broken session is gone; the next message gets a fresh one.
    REQUIRE(email->push(simpleMessage("third@example.org")).ok());
    REQUIRE(server.waitForMessages(3));
    CHECK(server.stat("connections") == 2);
}

TEST_CASE("a relay that never answers the final dot times out into Unconfirmed", "[smtp][errors]") {
    SmtpServer server({"--pipelining", "--hang-after-dot", "1"});
    LoadedPlugin plugin(setting({relayJson(server.port(), R"("wait_timeout":"2s")")}));
    const auto st = plugin.messenger("email")->push(simpleMessage());
    CHECK(st.code() == StatusCode::Unconfirmed);
    CHECK_THAT(st.message(), Catch::Contains("timed out") && Catch::Contains("may have accepted"));
    CHECK(server.stat("lost_replies") == 1);
    CHECK(server.stat("messages") == 1);
    CHECK(server.stat("connections") == 1);
}

TEST_CASE("a connection lost before DATA is retried on a fresh session", "[smtp][errors]") {
    const bool pipelining = GENERATE(false, true);
    CAPTURE(pipelining);
    auto options = pipeliningOption(pipelining);
    options.insert(options.end(), {"--drop-at-rcpt", "2"});
    SmtpServer server(options);
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    auto* email = plugin.messenger("email");
    REQUIRE(email->push(simpleMessage("first@example.org")).ok());
    REQUIRE(email->push(simpleMessage("second@example.org")).ok());
    REQUIRE(server.waitForMessages(2));
    CHECK(server.stat("dropped") == 1);
    CHECK(server.stat("messages") == 2);
    CHECK(server.stat("connections") == 2);
}

TEST_CASE("451 beyond max_msg_retries gives Unavailable", "[smtp][errors]") {
    SmtpServer server({"--tempfail", "5"});
    LoadedPlugin plugin(setting({relayJson(server.port(), R"("max_msg_retries":1)")}));
    const auto st = plugin.messenger("email")->push(simpleMessage());
    CHECK(st.code() == StatusCode::Unavailable);
    CHECK_THAT(st.message(), Catch::Contains("451"));
    CHECK(server.stat("tempfailed") == 2);
}

TEST_CASE("a 550 is Invalid with the relay's text and is not retried", "[smtp][errors]") {
    const bool pipelining = GENERATE(false, true);
    CAPTURE(pipelining);
    auto options = pipeliningOption(pipelining);
    options.insert(options.end(), {"--reject-prefix", "nobody"});
    SmtpServer server(options);
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    auto* email = plugin.messenger("email");
    const auto st = email->push(simpleMessage("nobody@example.org"));
    CHECK(st.code() == StatusCode::Invalid);
    CHECK_THAT(st.message(), Catch::Contains("550") && Catch::Contains("mailbox unavailable"));
    CHECK(server.stat("rejected") == 1);
    // The session is still good (RSET) and a valid message goes through on it.
    REQUIRE(email->push(simpleMessage("somebody@example.org")).ok());
    REQUIRE(server.waitForMessages(1));
    CHECK(server.stat("connections") == 1);
    // A message with one refused recipient among several is not delivered to anyone.
    sdk::Message both = simpleMessage("ok@example.org");
    both.to.push_back("nobody2@example.org");
    CHECK(email->push(both).code() == StatusCode::Invalid);
    REQUIRE(email->push(simpleMessage("after@example.org")).ok());
    REQUIRE(server.waitForMessages(2));
    CHECK(server.stat("messages") == 2);
}

TEST_CASE("invalid messages are refused before any SMTP traffic", "[smtp][errors]") {
    SmtpServer server;
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    sdk::Message m = simpleMessage();
    m.to.clear();
    CHECK(plugin.messenger("email")->push(m).code() == StatusCode::Invalid);
    m = simpleMessage("not-an-address");
    CHECK(plugin.messenger("email")->push(m).code() == StatusCode::Invalid);
    CHECK(server.stat("connections") == 0);
}

TEST_CASE("a settings change of host/port applies live, without a restart", "[smtp][settings]") {
    SmtpServer a, b;
    LoadedPlugin plugin(setting({relayJson(a.port(), R"("name":"main")")}));
    auto* email = plugin.messenger("email");
    REQUIRE(email->push(simpleMessage()).ok());
    REQUIRE(a.waitForMessages(1));
    plugin.host().setSetting("smtp", setting({relayJson(b.port(), R"("name":"main")")}));
    REQUIRE(email->push(simpleMessage()).ok());
    REQUIRE(plugin.messenger("email-main")->push(simpleMessage()).ok());
    REQUIRE(b.waitForMessages(2));
    CHECK(a.messageCount() == 1);
    // The old pool was retired: its idle session to a was closed.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(a.stat("concurrent") == 0);
}

TEST_CASE("named relays are messengers of their own, and email spreads over all", "[smtp][settings]") {
    SmtpServer a, b;
    LoadedPlugin plugin(setting({relayJson(a.port(), R"("name":"Alpha")"), relayJson(b.port(), R"("name":"beta")"),
                                 relayJson(b.port(), R"("name":"off","enabled":false)")}));
    const auto names = plugin.messengerNames();
    CHECK(names == std::vector<std::string>{"email", "email-alpha", "email-beta"});
    REQUIRE(plugin.messenger("email-beta")->push(simpleMessage()).ok());
    REQUIRE(b.waitForMessages(1));
    CHECK(a.messageCount() == 0);
    for (int i = 0; i < 10; ++i) REQUIRE(plugin.messenger("email")->push(simpleMessage()).ok());
    CHECK(a.messageCount() >= 3);
    CHECK(b.messageCount() >= 4);
    // A named relay removed from the settings: its messenger reports it, "email" still works.
    plugin.host().setSetting("smtp", setting({relayJson(a.port(), R"("name":"alpha")")}));
    const auto st = plugin.messenger("email-beta")->push(simpleMessage());
    CHECK(st.code() == StatusCode::Unavailable);
    CHECK_THAT(st.message(), Catch::Contains("beta"));
}

TEST_CASE("email fails over to a working relay when one is down", "[smtp][settings]") {
    SmtpServer up;
    const RefusingPort down;
    LoadedPlugin plugin(setting({relayJson(down.port()), relayJson(up.port())}));
    for (int i = 0; i < 6; ++i) REQUIRE(plugin.messenger("email")->push(simpleMessage()).ok());
    CHECK(up.messageCount() == 6);
}

TEST_CASE("pushBatch sends over one session and reports per message", "[smtp][batch]") {
    SmtpServer server({"--pipelining", "--reject-prefix", "nobody"});
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    std::vector<sdk::Message> batch;
    for (int i = 0; i < 10; ++i) batch.push_back(simpleMessage(i == 4 ? "nobody@example.org" : "r" + std::to_string(i) + "@example.org"));
    std::vector<sdk::Status> results;
    REQUIRE(plugin.messenger("email")->pushBatch(batch, results).ok());
    REQUIRE(results.size() == 10);
    for (int i = 0; i < 10; ++i) CHECK(results[static_cast<std::size_t>(i)].ok() == (i != 4));
    REQUIRE(server.waitForMessages(9));
    CHECK(server.stat("connections") == 1);
}

TEST_CASE("pushBatch reports an unconfirmed message and carries on with the rest", "[smtp][batch]") {
    SmtpServer server({"--pipelining", "--lose-reply-every", "3"});
    LoadedPlugin plugin(setting({relayJson(server.port())}));
    std::vector<sdk::Message> batch;
    for (int i = 0; i < 5; ++i) batch.push_back(simpleMessage("r" + std::to_string(i) + "@example.org"));
    std::vector<sdk::Status> results;
    REQUIRE(plugin.messenger("email")->pushBatch(batch, results).ok());
    REQUIRE(results.size() == 5);
    for (int i = 0; i < 5; ++i) {
        INFO(i);
        CHECK(results[static_cast<std::size_t>(i)].code() == (i == 2 ? StatusCode::Unconfirmed : StatusCode::Ok));
    }
    REQUIRE(server.waitForMessages(5));
    CHECK(server.stat("messages") == 5);  // each once, the unconfirmed one included
    CHECK(server.stat("connections") == 2);
}

TEST_CASE("with an empty smtp setting the INI defaults are used", "[smtp][settings]") {
    SmtpServer server;
    LoadedPlugin plugin(std::string("[]"), {{"smtp.port", std::to_string(server.port())}, {"smtp.host", "127.0.0.1"}});
    const auto declared = plugin.host().declaredKeys();
    CHECK(declared.count("smtp.host") == 1);
    CHECK(declared.at("smtp.password").secret);
    REQUIRE(plugin.messenger("email")->push(simpleMessage()).ok());
    REQUIRE(server.waitForMessages(1));
}
