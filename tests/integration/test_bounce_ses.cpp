// bounce-ses end to end: SNS messages carrying SES bounce and complaint notifications (shapes
// from the SNS and SES developer guides), signed with an RSA key generated here whose
// self-signed certificate a local HTTP server serves. The server is the only origin the plugin
// is configured to trust (ses.sns_origin_pattern), and it also plays SNS's SubscribeURL.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include "bounce_fixtures.hpp"

using namespace tidings::test;

namespace {

/// What the fake SNS host serves and what it was asked.
struct SnsHostState {
    RsaSigner signer;         // the genuine key: its certificate is at /SimpleNotificationService-good.pem
    RsaSigner other_signer;   // a second genuine-looking certificate at /SimpleNotificationService-other.pem
    std::atomic<int> certificate_fetches{0};
    std::atomic<int> confirmations{0};
    std::mutex mutex;
    std::set<std::string> confirmed_tokens;
};

class SnsHostHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit SnsHostHandler(SnsHostState& state) : state_(state) {}
    void handleRequest(Poco::Net::HTTPServerRequest& rq, Poco::Net::HTTPServerResponse& rs) override {
        const Poco::URI uri(rq.getURI());
        if (uri.getPath() == "/SimpleNotificationService-good.pem") {
            ++state_.certificate_fetches;
            rs.setContentType("application/x-pem-file");
            rs.send() << state_.signer.certificatePem();
        } else if (uri.getPath() == "/SimpleNotificationService-other.pem") {
            ++state_.certificate_fetches;
            rs.send() << state_.other_signer.certificatePem();
        } else if (uri.getPath() == "/SimpleNotificationService-broken.pem") {
            ++state_.certificate_fetches;
            rs.send() << "<html>not a certificate</html>";
        } else if (uri.getPath() == "/" && rq.getURI().find("Action=ConfirmSubscription") != std::string::npos) {
            ++state_.confirmations;
            for (const auto& [k, v] : uri.getQueryParameters()) {
                if (k == "Token") {
                    std::lock_guard lock(state_.mutex);
                    state_.confirmed_tokens.insert(v);
                }
            }
            rs.setContentType("text/xml");
            rs.send() << "<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>"
                         "arn:aws:sns:us-east-1:123456789012:bounces:2bcfbf39</SubscriptionArn>"
                         "</ConfirmSubscriptionResult></ConfirmSubscriptionResponse>";
        } else {
            rs.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
            rs.send() << "not found";
        }
    }

private:
    SnsHostState& state_;
};

class SnsHostFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit SnsHostFactory(SnsHostState& state) : state_(state) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return std::make_unique<SnsHostHandler>(state_).release();
    }

private:
    SnsHostState& state_;
};

/// The fake SNS host, started once per test process.
struct SnsHost {
    SnsHostState state;
    Poco::Net::ServerSocket socket{Poco::Net::SocketAddress("127.0.0.1", 0)};
    // Poco takes ownership of the factory and the reference-counted parameters.
    Poco::Net::HTTPServer http{std::make_unique<SnsHostFactory>(state).release(), socket, new Poco::Net::HTTPServerParams};
    SnsHost() { http.start(); }
    ~SnsHost() { http.stopAll(true); }
    std::string origin() const { return "http://127.0.0.1:" + std::to_string(socket.address().port()); }
    std::string certUrl(const std::string& which = "good") const {
        return origin() + "/SimpleNotificationService-" + which + ".pem";
    }
};

SnsHost& snsHost() {
    static SnsHost host;
    return host;
}

TidingsServer& server() {
    static TidingsServer instance([] {
        auto env = bouncePluginEnv();
        std::string pattern = snsHost().origin();
        for (std::size_t at = pattern.find('.'); at != std::string::npos; at = pattern.find('.', at + 2))
            pattern.insert(at, "\\");
        env["TIDINGS_SES__SNS_ORIGIN_PATTERN"] = pattern;
        return env;
    }());
    return instance;
}

void configure() { enableBounces(server(), R"("bounce.ses_enabled": true)"); }

const std::string kTopic = "arn:aws:sns:us-east-1:123456789012:ses-bounces";

/// An SNS message under construction: fields as SNS names them, signed on demand.
struct Sns {
    std::map<std::string, std::string> fields;

    static Sns notification(const std::string& message) {
        Sns m;
        m.fields = {{"Type", "Notification"},
                    {"MessageId", unique("22b80b92-fdea-4c2c-8f9d-")},
                    {"TopicArn", kTopic},
                    {"Message", message},
                    {"Timestamp", rfc3339(std::chrono::system_clock::now())},
                    {"SignatureVersion", "1"},
                    {"SigningCertURL", snsHost().certUrl()},
                    {"UnsubscribeURL", snsHost().origin() + "/?Action=Unsubscribe&SubscriptionArn=" + kTopic + ":c9135db0"}};
        return m;
    }

    static Sns confirmation(const std::string& type, const std::string& token) {
        Sns m;
        m.fields = {{"Type", type},
                    {"MessageId", unique("165545c9-2a5c-472c-8df2-")},
                    {"Token", token},
                    {"TopicArn", kTopic},
                    {"Message", "You have chosen to subscribe to the topic " + kTopic +
                                    ".\nTo confirm the subscription, visit the SubscribeURL included in this message."},
                    {"SubscribeURL", snsHost().origin() + "/?Action=ConfirmSubscription&TopicArn=" + kTopic + "&Token=" + token},
                    {"Timestamp", rfc3339(std::chrono::system_clock::now())},
                    {"SignatureVersion", "1"},
                    {"SigningCertURL", snsHost().certUrl()}};
        return m;
    }

    /// SNS's string to sign, written out independently of the plugin's.
    std::string canonical() const {
        const bool notification = fields.at("Type") == "Notification";
        std::vector<std::string> keys = notification
            ? std::vector<std::string>{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
            : std::vector<std::string>{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"};
        std::string out;
        for (const auto& k : keys) {
            auto it = fields.find(k);
            if (it == fields.end()) continue;
            out += k + "\n" + it->second + "\n";
        }
        return out;
    }

    Sns& sign(const RsaSigner& key, bool sha256 = false) {
        fields["SignatureVersion"] = sha256 ? "2" : "1";
        fields["Signature"] = key.sign(canonical(), sha256);
        return *this;
    }
    Sns& sign() { return sign(snsHost().state.signer); }

    std::string body() const {
        Poco::JSON::Object o;
        for (const auto& [k, v] : fields) o.set(k, v);
        return json(o);
    }
};

HttpResult post(const Sns& m, const std::string& type_header = "") {
    return postWebhook(server(), "ses", m.body(),
                       {{"x-amz-sns-message-type", type_header.empty() ? m.fields.at("Type") : type_header},
                        {"x-amz-sns-topic-arn", kTopic},
                        {"Content-Type", "text/plain; charset=UTF-8"}});
}

/// An SES notification as SNS carries it in Message.
std::string sesBounce(const std::string& email, const std::string& bounce_type, const std::string& campaign_header = "",
                      const std::string& campaign = "", bool truncated = false) {
    Poco::JSON::Object recipient;
    recipient.set("emailAddress", email);
    recipient.set("action", "failed");
    recipient.set("status", bounce_type == "Permanent" ? "5.1.1" : "4.4.7");
    recipient.set("diagnosticCode", "smtp; 550 5.1.1 user unknown");
    Poco::JSON::Array recipients;
    recipients.add(recipient);
    Poco::JSON::Object bounce;
    bounce.set("feedbackId", "0100015fd2f1a3c4-ee4cd4f0-a74f-4a58-9d52-8a9d7e7b4bd1-000000");
    bounce.set("bounceType", bounce_type);
    bounce.set("bounceSubType", "General");
    bounce.set("bouncedRecipients", recipients);
    bounce.set("timestamp", "2024-03-01T10:20:30.456Z");
    bounce.set("reportingMTA", "dsn; a8-70.smtp-out.amazonses.com");

    Poco::JSON::Array headers;
    const auto header = [&](const std::string& name, const std::string& value) {
        Poco::JSON::Object h;
        h.set("name", name);
        h.set("value", value);
        headers.add(h);
    };
    header("From", "news@bounce.test");
    header("To", email);
    header("Subject", "Weekly news");
    if (!campaign_header.empty()) header(campaign_header, campaign);
    Poco::JSON::Array destination;
    destination.add(email);
    Poco::JSON::Object mail;
    mail.set("timestamp", "2024-03-01T10:20:29.000Z");
    mail.set("source", "news@bounce.test");
    mail.set("sourceArn", "arn:aws:ses:us-east-1:123456789012:identity/bounce.test");
    mail.set("sendingAccountId", "123456789012");
    mail.set("messageId", "0100015fd2f19d54-5bc2e6a0-98a0-4b0a-8b12-58d8e5b7ee7e-000000");
    mail.set("destination", destination);
    mail.set("headersTruncated", truncated);
    mail.set("headers", headers);

    Poco::JSON::Object root;
    root.set("notificationType", "Bounce");
    root.set("bounce", bounce);
    root.set("mail", mail);
    return json(root);
}

std::string sesComplaint(const std::string& email) {
    return R"({"notificationType":"Complaint","complaint":{"userAgent":"AnyCompany Feedback Loop V0.01",)"
           R"("complainedRecipients":[{"emailAddress":")" + email + R"("}],"complaintFeedbackType":"abuse",)"
           R"("arrivalDate":"2024-03-01T11:00:00.000Z","timestamp":"2024-03-01T11:00:01.000Z",)"
           R"("feedbackId":"000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000"},)"
           R"("mail":{"timestamp":"2024-03-01T10:59:00.000Z","messageId":"000001378603177f-7a5433e7","source":"news@bounce.test",)"
           R"("destination":[")" + email + R"("],"headersTruncated":false,"headers":[]}})";
}

}  // namespace

TEST_CASE("ses: a subscription confirmation visits SubscribeURL once", "[bounce][ses]") {
    configure();
    auto& state = snsHost().state;
    const int before = state.confirmations;
    auto m = Sns::confirmation("SubscriptionConfirmation", unique("2336412f37fb687f5d51e6e2425c464de"));
    m.sign();
    auto r = post(m);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(state.confirmations == before + 1);
    {
        std::lock_guard lock(state.mutex);
        CHECK(state.confirmed_tokens.count(m.fields["Token"]) == 1);
    }
    // Played back: refused, and SNS is not asked again.
    CHECK(post(m).status == 401);
    CHECK(state.confirmations == before + 1);

    // An unsubscribe confirmation is acknowledged without re-subscribing.
    auto u = Sns::confirmation("UnsubscribeConfirmation", unique("2336412f37fb687f5d51e6e2425c464df"));
    u.sign();
    CHECK(post(u).status == 200);
    CHECK(state.confirmations == before + 1);
    CHECK(bounceTotal(server(), "source=ses") == 0);
}

TEST_CASE("ses: bounce and complaint notifications are recorded (signature versions 1 and 2)", "[bounce][ses]") {
    configure();
    const auto [campaign_id, campaign_uuid] = makeCampaignRow(server());
    const std::string hard = unique("ses-hard-") + "@bounce.test";
    const std::string soft = unique("ses-soft-") + "@bounce.test";
    const std::string spam = unique("ses-spam-") + "@bounce.test";
    const std::string cut = unique("ses-cut-") + "@bounce.test";
    const auto hard_id = makeSubscriber(server(), hard);
    const auto soft_id = makeSubscriber(server(), soft);
    const auto spam_id = makeSubscriber(server(), spam);
    const auto cut_id = makeSubscriber(server(), cut);

    auto r = post(Sns::notification(sesBounce(hard, "Permanent", "X-Tidings-Campaign", campaign_uuid)).sign());
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto b = subscriberBounces(server(), hard_id);
    REQUIRE(b->size() == 1);
    CHECK(b->getObject(0)->getValue<std::string>("type") == "hard");
    CHECK(b->getObject(0)->getValue<std::string>("source") == "ses");
    CHECK(b->getObject(0)->getValue<std::string>("created_at").rfind("2024-03-01T10:20:30", 0) == 0);
    REQUIRE(b->getObject(0)->getObject("campaign"));
    CHECK(b->getObject(0)->getObject("campaign")->getValue<std::int64_t>("id") == campaign_id);
    CHECK(b->getObject(0)->getObject("meta")->getValue<std::string>("notificationType") == "Bounce");
    CHECK(subscriberStatus(server(), hard_id) == "blocklisted");

    // SignatureVersion 2 (SHA256withRSA), and listmonk's header name.
    auto soft_msg = Sns::notification(sesBounce(soft, "Transient", "X-Listmonk-Campaign", campaign_uuid));
    soft_msg.fields["Subject"] = "Amazon SES Email Event Notification";
    REQUIRE(post(soft_msg.sign(snsHost().state.signer, true)).status == 200);
    b = subscriberBounces(server(), soft_id);
    REQUIRE(b->size() == 1);
    CHECK(b->getObject(0)->getValue<std::string>("type") == "soft");
    REQUIRE(b->getObject(0)->getObject("campaign"));

    REQUIRE(post(Sns::notification(sesComplaint(spam)).sign()).status == 200);
    b = subscriberBounces(server(), spam_id);
    REQUIRE(b->size() == 1);
    CHECK(b->getObject(0)->getValue<std::string>("type") == "complaint");

    // Truncated headers: the campaign header cannot be trusted.
    REQUIRE(post(Sns::notification(sesBounce(cut, "Transient", "X-Tidings-Campaign", campaign_uuid, true)).sign()).status ==
            200);
    b = subscriberBounces(server(), cut_id);
    REQUIRE(b->size() == 1);
    CHECK(b->getObject(0)->isNull("campaign"));

    // Deliveries share the topic and record nothing.
    REQUIRE(post(Sns::notification(R"({"notificationType":"Delivery","mail":{"destination":[")" + hard +
                                   R"("]},"delivery":{"recipients":[")" + hard + R"("]}})")
                     .sign())
                .status == 200);
    CHECK(bounceTotal(server(), "source=ses") == 4);
    // The certificate was fetched once and then served from the cache.
    CHECK(snsHost().state.certificate_fetches <= 2);
}

TEST_CASE("ses: forged, foreign, stale, replayed and malformed messages are refused", "[bounce][ses]") {
    configure();
    const std::string email = unique("ses-bad-") + "@bounce.test";
    const auto id = makeSubscriber(server(), email);
    const auto message = [&] { return Sns::notification(sesBounce(email, "Permanent")); };

    // Unsigned.
    CHECK(post(message()).status == 400);
    auto empty_sig = message();
    empty_sig.fields["Signature"] = "";
    CHECK(post(empty_sig).status == 401);
    // Signed by a key whose certificate is not the one named.
    const auto forged = post(message().sign(snsHost().state.other_signer));
    CHECK(forged.status == 401);
    CHECK_THAT(forged.message(), Catch::Contains("signature does not match"));
    // Right key, wrong digest for the declared version.
    auto mislabelled = message().sign();
    mislabelled.fields["SignatureVersion"] = "2";
    CHECK(post(mislabelled).status == 401);
    auto v3 = message().sign();
    v3.fields["SignatureVersion"] = "3";
    CHECK(post(v3).status == 401);
    // Tampered after signing.
    auto tampered = message().sign();
    tampered.fields["Message"] = sesBounce(unique("victim-") + "@bounce.test", "Permanent");
    CHECK(post(tampered).status == 401);

    // A certificate from anywhere else is never fetched, whoever signed with it.
    const int fetches = snsHost().state.certificate_fetches;
    for (const std::string& url :
         {std::string("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem"),
          std::string("http://127.0.0.2:") + std::to_string(snsHost().socket.address().port()) + "/SimpleNotificationService-good.pem",
          snsHost().origin() + ".evil.test/SimpleNotificationService-good.pem",
          std::string("http://evil.test@127.0.0.1:") + std::to_string(snsHost().socket.address().port()) +
              "/SimpleNotificationService-good.pem",
          snsHost().origin() + "/SimpleNotificationService-good.pem.txt", std::string("file:///etc/ssl/cert.pem")}) {
        INFO(url);
        auto foreign = message();
        foreign.fields["SigningCertURL"] = url;
        const auto refused = post(foreign.sign());
        CHECK(refused.status == 401);
        CHECK_THAT(refused.message(), Catch::Contains("SigningCertURL"));
    }
    CHECK(snsHost().state.certificate_fetches == fetches);
    // An allowed URL that serves no certificate.
    auto broken = message();
    broken.fields["SigningCertURL"] = snsHost().certUrl("broken");
    CHECK(post(broken.sign()).status == 401);

    // Genuine but stale or from the future.
    auto stale = message();
    stale.fields["Timestamp"] = rfc3339(std::chrono::system_clock::now() - std::chrono::hours(2));
    const auto stale_answer = post(stale.sign());
    CHECK(stale_answer.status == 401);
    CHECK_THAT(stale_answer.message(), Catch::Contains("window"));
    auto future = message();
    future.fields["Timestamp"] = rfc3339(std::chrono::system_clock::now() + std::chrono::hours(2));
    CHECK(post(future.sign()).status == 401);

    // Malformed.
    CHECK(postWebhook(server(), "ses", "{not json", {}).status == 400);
    CHECK(postWebhook(server(), "ses", R"(["Notification"])", {}).status == 400);
    auto unknown_type = message();
    unknown_type.fields["Type"] = "Gossip";
    CHECK(post(unknown_type.sign()).status == 400);
    CHECK(post(message().sign(), "SubscriptionConfirmation").status == 400);
    CHECK(post(Sns::notification("not an SES notification").sign()).status == 400);
    CHECK(post(Sns::notification(R"({"notificationType":"Bounce","mail":{}})").sign()).status == 400);
    CHECK(post(Sns::notification(R"({"notificationType":"Bounce","bounce":{"bounceType":"Permanent"},"mail":{}})").sign())
              .status == 400);

    // A confirmation that would send us somewhere else.
    const int confirmations = snsHost().state.confirmations;
    auto elsewhere = Sns::confirmation("SubscriptionConfirmation", unique("tok"));
    elsewhere.fields["SubscribeURL"] = "http://127.0.0.2:9/?Action=ConfirmSubscription&Token=x";
    CHECK(post(elsewhere.sign()).status == 401);
    CHECK(snsHost().state.confirmations == confirmations);
    CHECK(subscriberBounces(server(), id)->size() == 0);

    // Replayed.
    const auto genuine = message().sign();
    CHECK(post(genuine).status == 200);
    const auto replay = post(genuine);
    CHECK(replay.status == 401);
    CHECK_THAT(replay.message(), Catch::Contains("replayed"));
    CHECK(subscriberBounces(server(), id)->size() == 1);

    // Switched off: no route.
    enableBounces(server(), R"("bounce.ses_enabled": false)");
    CHECK(post(message().sign()).status == 404);
    CHECK(subscriberBounces(server(), id)->size() == 1);
}
