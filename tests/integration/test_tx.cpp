// POST /api/tx against a real SMTP server: the seeds' client payload as written, data rendered
// into subject and body, attachments through multipart, the recipient modes, and bad input.
#include <catch2/catch.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "campaign_fixtures.hpp"
#include "multipart_body.hpp"

using namespace tidings::test;

namespace {

const std::map<std::string, std::string> kWithSmtp{{"TIDINGS_PLUGINS__ENABLED", "messenger-smtp"}};

std::int64_t txTemplate(const TidingsServer& server) {
    Poco::JSON::Object t;
    t.set("name", unique("order-"));
    t.set("type", "tx");
    t.set("subject", "Order {{ .Tx.Data.order_id }} for {{ .Subscriber.Name }}");
    t.set("body", "<p>Hello {{ .Subscriber.Name }}, order {{ .Tx.Data.order_id }} ships on {{ .Tx.Data.date }}.</p>"
                  "<p>{{ .Tx.Data.note }}</p>");
    auto r = server.post("/api/templates", json(t), server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

void addSubscriber(const TidingsServer& server, const std::string& email, const std::string& name) {
    auto r = server.post("/api/subscribers", R"({"email":")" + email + R"(","name":")" + name + R"("})", server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

// The one message in `mails` that contains `marker` (the sink's order is arbitrary), or "".
std::string withText(const std::vector<std::string>& mails, const std::string& marker) {
    for (const auto& m : mails)
        if (m.find(marker) != std::string::npos) return m;
    return {};
}

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << bytes;
    enc.close();
    return out.str();
}

}  // namespace

TEST_CASE("tx: the seeds' client payload sends one rendered message per recipient", "[tx]") {
    MailSink sink({"--pipelining"});
    TidingsServer server(kWithSmtp);
    configureSending(server, sink, 1000, 1, 10);
    const auto tpl = txTemplate(server);
    addSubscriber(server, "ada@tx.test", "Ada Lovelace");
    addSubscriber(server, "bob@tx.test", "Bob");

    // As the seeds' TypeScript client sends it: subscriber_emails, template_id, data.
    auto r = server.post("/api/tx",
                         R"({"subscriber_emails":["ada@tx.test","bob@tx.test"],"template_id":)" + std::to_string(tpl) +
                             R"(,"data":{"order_id":"42","date":"Monday","note":"<b>fragile</b>"}})",
                         server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.body == R"({"data":true})");
    REQUIRE(sink.waitForMessages(2, std::chrono::seconds(10)));
    const auto ada = sink.messagesTo("ada@tx.test");
    REQUIRE(ada.size() == 1);
    CHECK(ada[0].find("Subject: Order 42 for Ada Lovelace") != std::string::npos);
    CHECK(ada[0].find("Hello Ada Lovelace, order 42 ships on Monday.") != std::string::npos);
    CHECK(ada[0].find("&lt;b&gt;fragile&lt;") != std::string::npos);  // data is escaped in HTML
    CHECK(sink.messagesTo("bob@tx.test").size() == 1);

    SECTION("singular fields, a subject override, headers and from_email") {
        r = server.post("/api/tx",
                        R"({"subscriber_email":"ada@tx.test","template_id":)" + std::to_string(tpl) +
                            R"(,"subject":"Re: {{ .Tx.Data.order_id }}","from_email":"Shop <shop@tx.test>",)"
                            R"("headers":[{"X-Order":"42"}],"data":{"order_id":"43"}})",
                        server.admin());
        INFO(r.body);
        REQUIRE(r.status == 200);
        REQUIRE(sink.waitForMessages(3, std::chrono::seconds(10)));
        const auto mails = sink.messagesTo("ada@tx.test");
        REQUIRE(mails.size() == 2);
        const std::string reply = withText(mails, "Subject: Re: 43");
        CHECK(reply.find("X-Order: 42") != std::string::npos);
        CHECK(reply.find("shop@tx.test") != std::string::npos);
    }
    SECTION("an attachment sent as multipart arrives intact") {
        std::string pdf = "%PDF-1.4\n";
        for (int i = 0; i < 2000; ++i) pdf += static_cast<char>(i * 7 % 256);
        const std::string data = R"({"subscriber_emails":["bob@tx.test"],"template_id":)" + std::to_string(tpl) +
                                 R"(,"data":{"order_id":"7"}})";
        r = server.request("POST", "/api/tx",
                           multipart({{"data", data}}, {FilePart{"file", "invoice.pdf", "application/pdf", pdf}}),
                           server.admin(), multipartContentType());
        INFO(r.body);
        REQUIRE(r.status == 200);
        REQUIRE(sink.waitForMessages(3, std::chrono::seconds(10)));
        const auto mails = sink.messagesTo("bob@tx.test");
        REQUIRE(mails.size() == 2);
        const std::string with_file = withText(mails, "invoice.pdf");
        std::string flat;
        for (char c : with_file)
            if (c != '\r' && c != '\n') flat += c;
        CHECK(flat.find(base64(pdf)) != std::string::npos);
    }
    SECTION("fallback and external modes reach addresses that are not subscribers") {
        r = server.post("/api/tx",
                        R"({"subscriber_mode":"external","subscriber_emails":["stranger@tx.test"],"template_id":)" +
                            std::to_string(tpl) + R"(,"data":{"order_id":"9"}})",
                        server.admin());
        REQUIRE(r.status == 200);
        REQUIRE(sink.waitForMessages(3, std::chrono::seconds(10)));
        CHECK(sink.messagesTo("stranger@tx.test").size() == 1);
    }
}

TEST_CASE("tx: bad requests are 4xx naming the problem and send nothing", "[tx]") {
    MailSink sink({"--pipelining"});
    TidingsServer server(kWithSmtp);
    configureSending(server, sink, 1000, 1, 10);
    const auto tpl = std::to_string(txTemplate(server));
    addSubscriber(server, "ada@tx.test", "Ada");
    auto campaign_template = server.get("/api/templates?no_body=true", server.admin());

    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"template_id":)" + tpl + "}", "subscriber_emails"},
        {R"({"subscriber_emails":["ada@tx.test"]})", "template_id"},
        {R"({"subscriber_emails":["ada@tx.test"],"template_id":9999})", "template 9999 not found"},
        {R"({"subscriber_emails":["ada@tx.test"],"subscriber_ids":[1],"template_id":)" + tpl + "}", "not both"},
        {R"({"subscriber_emails":["not-an-email"],"template_id":)" + tpl + "}", "invalid e-mail"},
        {R"({"subscriber_emails":["ada@tx.test"],"template_id":)" + tpl + R"(,"data":[1]})", "data"},
        {R"({"subscriber_emails":["ada@tx.test"],"template_id":)" + tpl + R"(,"messenger":"pigeon"})", "messenger"},
        {R"({"subscriber_emails":["ada@tx.test"],"template_id":)" + tpl + R"(,"headers":[{"X-A":"b\r\nBcc: x@y.z"}]})", "headers"},
        {R"({"subscriber_emails":["ada@tx.test"],"template_id":)" + tpl + R"(,"subscriber_mode":"magic"})", "subscriber_mode"},
        {R"({"subscriber_emails":["nobody@tx.test"],"template_id":)" + tpl + "}", "nobody@tx.test"},
        {"not json", "body"},
    };
    for (const auto& [body, expected] : cases) {
        INFO(body);
        auto r = server.post("/api/tx", body, server.admin());
        CHECK(r.status == 400);
        CHECK(r.message().find(expected) != std::string::npos);
    }
    CHECK(server.post("/api/tx", "{}", Credentials::none()).status == 401);
    CHECK(sink.messageCount() == 0);
}
