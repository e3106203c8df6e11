// Campaign validation and defaults, and the status machine (no storage involved).
#include <catch2/catch.hpp>

#include "kernel/core/campaign_rules.hpp"
#include "kernel/core/status_error.hpp"

using namespace tidings::kernel;
using sdk::CampaignStatus;

namespace {

const sdk::Timestamp kNow = std::chrono::time_point_cast<std::chrono::microseconds>(
    std::chrono::sys_days{std::chrono::year{2030} / 6 / 1});

CampaignDefaults defaults() {
    CampaignDefaults d;
    d.from_email = "News <news@example.com>";
    d.messenger = [](const std::string& name) -> std::optional<std::string> {
        if (name == "email" || name == "postback") return name;
        if (name.rfind("email-", 0) == 0) return std::string("email");
        return std::nullopt;
    };
    return d;
}

CampaignInput minimal() {
    CampaignInput in;
    in.name = "Spring";
    in.subject = "Hello";
    in.lists = std::vector<sdk::Id>{3};
    return in;
}

sdk::CampaignDraft draft(const CampaignInput& in, const sdk::Campaign* existing = nullptr) {
    return campaignDraft(in, existing, defaults(), kNow);
}

// The message of the StatusError `fn` throws, or "" when it does not throw.
template <typename Fn>
std::string failure(Fn fn) {
    try {
        fn();
    } catch (const StatusError& e) {
        return e.status().message();
    }
    return "";
}

template <typename Fn>
sdk::StatusCode failureCode(Fn fn) {
    try {
        fn();
    } catch (const StatusError& e) {
        return e.status().code();
    }
    return sdk::StatusCode::Ok;
}

sdk::Campaign stored(CampaignStatus status, std::optional<sdk::Timestamp> send_at = std::nullopt) {
    sdk::Campaign c;
    c.id = 9;
    c.name = "Stored";
    c.subject = "Stored subject";
    c.from_email = "Old <old@example.com>";
    c.body = "<p>old</p>";
    c.status = status;
    c.send_at = send_at;
    c.messenger = "email";
    c.tags = {"a"};
    c.lists = {{3, "Three"}, {0, "Deleted list"}};
    return c;
}

}  // namespace

TEST_CASE("campaign defaults: from address, messenger, content type, headers", "[campaign_rules]") {
    auto d = draft(minimal());
    CHECK(d.from_email == "News <news@example.com>");
    CHECK(d.messenger == "email");
    CHECK(d.content_type == sdk::ContentType::Richtext);
    CHECK(d.type == sdk::CampaignType::Regular);
    CHECK(d.headers_json == "[]");
    CHECK(d.attribs_json == "{}");
    CHECK(d.archive_meta_json == "{}");
    CHECK_FALSE(d.send_at);
    CHECK(d.list_ids == std::vector<sdk::Id>{3});
}

TEST_CASE("campaign fields are validated and name the field", "[campaign_rules]") {
    auto with = [](auto change) {
        CampaignInput in = minimal();
        change(in);
        return failure([&] { draft(in); });
    };
    CHECK(with([](CampaignInput& in) { in.name = "  "; }) == "name: is required");
    CHECK(with([](CampaignInput& in) { in.name = std::string(2001, 'n'); }) == "name: longer than 2000 bytes");
    CHECK(with([](CampaignInput& in) { in.name = std::string(2000, 'n'); }).empty());
    CHECK(with([](CampaignInput& in) { in.subject.reset(); }) == "subject: is required");
    CHECK(with([](CampaignInput& in) { in.subject = std::string(5001, 's'); }) == "subject: longer than 5000 bytes");
    CHECK(with([](CampaignInput& in) { in.subject = "a\r\nBcc: x@y.z"; }).rfind("subject:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.from_email = "not an address"; }).rfind("from_email:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.from_email = "Name <broken>"; }).rfind("from_email:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.content_type = "word"; }).rfind("content_type:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.type = "blast"; }).rfind("type:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.send_at = "tomorrow"; }).rfind("send_at:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.send_at = "2030-05-31T23:59:59Z"; }) == "send_at: must be in the future");
    CHECK(with([](CampaignInput& in) { in.lists = std::vector<sdk::Id>{}; }).rfind("lists:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.messenger = "pigeon"; }).rfind("messenger:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.headers_json = "{}"; }).rfind("headers:", 0) == 0);
    CHECK(with([](CampaignInput& in) { in.media = std::vector<sdk::Id>{1}; }).rfind("media:", 0) == 0);
}

TEST_CASE("campaign field normalisation", "[campaign_rules]") {
    CampaignInput in = minimal();
    in.name = "  Spring  ";
    in.from_email = " Ann Lee <ann@example.com> ";
    in.send_at = "2030-06-02T10:00:00+02:00";
    in.tags = std::vector<std::string>{" big news ", ""};
    in.archive_slug = "  Spring News: 2030!  ";
    in.body_source = R"({"blocks": []})";
    in.messenger = "email-gone";
    in.lists = std::vector<sdk::Id>{5, 3, 5};
    in.template_id = 0;
    in.archive_template_id = 0;
    auto d = draft(in);
    CHECK(d.name == "Spring");
    CHECK(d.from_email == "Ann Lee <ann@example.com>");
    REQUIRE(d.send_at);
    CHECK(*d.send_at == kNow + std::chrono::hours(24 + 8));
    CHECK(d.tags == std::vector<std::string>{"big-news"});
    CHECK(d.archive_slug == std::optional<std::string>("spring-news-2030"));
    CHECK(d.body_source.empty());  // kept for visual campaigns only
    CHECK(d.messenger == "email");  // a named relay that is gone falls back to "email"
    CHECK(d.list_ids == std::vector<sdk::Id>{3, 5});
    CHECK_FALSE(d.template_id);
    CHECK_FALSE(d.archive_template_id);

    in.content_type = "visual";
    CHECK(draft(in).body_source == R"({"blocks": []})");

    in.archive_slug = "!!!";
    CHECK_FALSE(draft(in).archive_slug);
}

TEST_CASE("a segment may stand in for lists", "[campaign_rules]") {
    CampaignInput in = minimal();
    in.lists = std::vector<sdk::Id>{};
    in.segment = "  subscribers.attribs->>'city' = 'Lyon'  ";
    auto d = draft(in);
    CHECK(d.list_ids.empty());
    CHECK(d.segment == "subscribers.attribs->>'city' = 'Lyon'");
}

TEST_CASE("an update merges the request over the stored campaign", "[campaign_rules]") {
    const auto past = kNow - std::chrono::hours(1);
    const sdk::Campaign c = stored(CampaignStatus::Paused, past);
    CampaignInput in;
    in.subject = "New subject";
    auto d = draft(in, &c);
    CHECK(d.name == "Stored");
    CHECK(d.subject == "New subject");
    CHECK(d.from_email == "Old <old@example.com>");
    CHECK(d.body == "<p>old</p>");
    CHECK(d.tags == std::vector<std::string>{"a"});
    CHECK(d.list_ids == std::vector<sdk::Id>{3});  // the deleted list is dropped
    CHECK(d.send_at == past);                       // a kept date may lie in the past

    in.send_at = "";
    CHECK_FALSE(draft(in, &c).send_at);
    in.send_at = "2030-05-01T00:00:00Z";
    CHECK(failure([&] { draft(in, &c); }) == "send_at: must be in the future");
    in.from_email = "";
    in.send_at.reset();
    CHECK(draft(in, &c).from_email == "News <news@example.com>");
}

TEST_CASE("from addresses", "[campaign_rules]") {
    CHECK(validFromEmail("a@example.com") == "a@example.com");
    CHECK(validFromEmail("\"Lee, Ann\" <ann@example.com>") == "\"Lee, Ann\" <ann@example.com>");
    CHECK(validFromEmail("<ann@example.com>") == "<ann@example.com>");
    for (const char* bad : {"", "Ann", "Ann <>", "ann@", "Ann ann@example.com>", "Ann <a@example.com>\r\nBcc: b@c.de"}) {
        INFO(bad);
        CHECK_THROWS_AS(validFromEmail(bad), StatusError);
    }
}

TEST_CASE("headers are an array of one-key objects with safe values", "[campaign_rules]") {
    CHECK(validHeaders("") == "[]");
    CHECK(validHeaders(R"([ {"X-A": "1"}, {"Reply-To": "{{ .Subscriber.Email }}"} ])") ==
          R"([{"X-A":"1"},{"Reply-To":"{{ .Subscriber.Email }}"}])");
    for (const char* bad : {R"({"X-A": "1"})", R"([{"X-A": "1", "X-B": "2"}])", R"([{}])", R"(["X-A"])",
                            R"([{"X-A": 1}])", R"([{"X A": "1"}])", R"([{"X:A": "1"}])",
                            R"([{"X-A": "1\r\nBcc: x@y.z"}])", "[", "nope"}) {
        INFO(bad);
        CHECK(failure([&] { validHeaders(bad); }).rfind("headers:", 0) == 0);
    }
}

TEST_CASE("archive slugs", "[campaign_rules]") {
    CHECK(normaliseSlug("Hello World") == "hello-world");
    CHECK(normaliseSlug("  --Issue #12: Spring!-- ") == "issue-12-spring");
    CHECK(normaliseSlug("a__b") == "a-b");
    CHECK(normaliseSlug("Crème brûlée") == "crème-brûlée");
    CHECK(normaliseSlug("?!").empty());
}

TEST_CASE("send_at parsing", "[campaign_rules]") {
    CHECK(parseSendAt("2030-06-01T00:00:00Z") == kNow);
    CHECK(parseSendAt("2030-06-01T02:00:00.000+02:00") == kNow);
    CHECK_THROWS_AS(parseSendAt("June 1st"), StatusError);
    CHECK_THROWS_AS(parseSendAt(""), StatusError);
}

TEST_CASE("status machine: listmonk's allowed transitions", "[campaign_rules][status]") {
    const auto future = kNow + std::chrono::hours(1);
    const auto past = kNow - std::chrono::hours(1);
    struct Case {
        CampaignStatus from;
        std::optional<sdk::Timestamp> send_at;
        CampaignStatus requested;
        CampaignStatus expected;
    };
    const Case allowed[] = {
        {CampaignStatus::Draft, future, CampaignStatus::Scheduled, CampaignStatus::Scheduled},
        {CampaignStatus::Paused, future, CampaignStatus::Scheduled, CampaignStatus::Scheduled},
        {CampaignStatus::Scheduled, future, CampaignStatus::Draft, CampaignStatus::Draft},
        {CampaignStatus::Draft, std::nullopt, CampaignStatus::Running, CampaignStatus::Running},
        {CampaignStatus::Draft, past, CampaignStatus::Running, CampaignStatus::Running},
        {CampaignStatus::Draft, future, CampaignStatus::Running, CampaignStatus::Scheduled},
        {CampaignStatus::Paused, future, CampaignStatus::Running, CampaignStatus::Running},
        {CampaignStatus::Running, std::nullopt, CampaignStatus::Paused, CampaignStatus::Paused},
        {CampaignStatus::Running, std::nullopt, CampaignStatus::Cancelled, CampaignStatus::Cancelled},
        {CampaignStatus::Paused, std::nullopt, CampaignStatus::Cancelled, CampaignStatus::Cancelled},
    };
    for (const auto& c : allowed) {
        INFO(sdk::toString(c.from) << " -> " << sdk::toString(c.requested));
        auto change = planStatusChange(stored(c.from, c.send_at), c.requested, kNow);
        CHECK(change.from == c.from);
        CHECK(change.to == c.expected);
    }

    const std::pair<CampaignStatus, CampaignStatus> forbidden[] = {
        {CampaignStatus::Running, CampaignStatus::Scheduled}, {CampaignStatus::Finished, CampaignStatus::Scheduled},
        {CampaignStatus::Draft, CampaignStatus::Draft},       {CampaignStatus::Paused, CampaignStatus::Draft},
        {CampaignStatus::Running, CampaignStatus::Draft},     {CampaignStatus::Running, CampaignStatus::Running},
        {CampaignStatus::Cancelled, CampaignStatus::Running}, {CampaignStatus::Finished, CampaignStatus::Running},
        {CampaignStatus::Draft, CampaignStatus::Paused},      {CampaignStatus::Paused, CampaignStatus::Paused},
        {CampaignStatus::Draft, CampaignStatus::Cancelled},   {CampaignStatus::Scheduled, CampaignStatus::Cancelled},
        {CampaignStatus::Finished, CampaignStatus::Cancelled},
        // listmonk refuses these too: a scheduled campaign is started by its date, not by hand.
        {CampaignStatus::Scheduled, CampaignStatus::Running}, {CampaignStatus::Scheduled, CampaignStatus::Scheduled},
        {CampaignStatus::Scheduled, CampaignStatus::Paused},  {CampaignStatus::Finished, CampaignStatus::Draft},
        {CampaignStatus::Finished, CampaignStatus::Paused},   {CampaignStatus::Cancelled, CampaignStatus::Scheduled},
    };
    for (const auto& [from, to] : forbidden) {
        INFO(sdk::toString(from) << " -> " << sdk::toString(to));
        CHECK(failureCode([&] { planStatusChange(stored(from, future), to, kNow); }) == sdk::StatusCode::Conflict);
    }
    // Whatever the date: a scheduled campaign whose time has come is the engine's to start.
    CHECK(failureCode([&] { planStatusChange(stored(CampaignStatus::Scheduled, past), CampaignStatus::Running, kNow); }) ==
          sdk::StatusCode::Conflict);

    // Impossible requests are bad input rather than a conflict with the current state.
    CHECK(failure([&] { planStatusChange(stored(CampaignStatus::Draft), CampaignStatus::Scheduled, kNow); }) ==
          "send_at: a campaign needs a send_at date to be scheduled");
    CHECK(failureCode([&] { planStatusChange(stored(CampaignStatus::Running), CampaignStatus::Finished, kNow); }) ==
          sdk::StatusCode::Invalid);
}

TEST_CASE("the opt-in body lists the lists and links to the confirmation", "[campaign_rules]") {
    auto body = optinBody({{"u-1", "News <&> {{ x }}"}, {"u-2", "Deals"}});
    CHECK(body.find("{{ OptinURL }}l=u-1&amp;l=u-2") != std::string::npos);
    CHECK(body.find("<li>News &lt;&amp;&gt; &#123;&#123; x &#125;&#125;</li>") != std::string::npos);
    CHECK(body.find("<li>Deals</li>") != std::string::npos);
}

TEST_CASE("only draft, scheduled and paused campaigns are editable", "[campaign_rules][status]") {
    CHECK(editable(CampaignStatus::Draft));
    CHECK(editable(CampaignStatus::Scheduled));
    CHECK(editable(CampaignStatus::Paused));
    CHECK_FALSE(editable(CampaignStatus::Running));
    CHECK_FALSE(editable(CampaignStatus::Cancelled));
    CHECK_FALSE(editable(CampaignStatus::Finished));
}
