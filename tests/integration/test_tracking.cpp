// Tracking end to end: a campaign with tracked links and the view pixel is sent through a real
// SMTP server; the links in the received mail redirect and count clicks, the pixel counts views,
// and the counts show in the campaign, the analytics API and the subscriber's data export.
#include <catch2/catch.hpp>

#include <regex>

#include <Poco/JSON/Array.h>

#include "campaign_fixtures.hpp"

using namespace tidings::test;

namespace {

const std::map<std::string, std::string> kWithSmtp{{"TIDINGS_PLUGINS__ENABLED", "messenger-smtp"}};

// The body of a raw quoted-printable message, decoded (soft line breaks joined, =XX expanded).
std::string decoded(const std::string& raw) {
    std::string body = raw.substr(std::min(raw.find("\n\n") != std::string::npos ? raw.find("\n\n") : raw.size(),
                                           raw.find("\r\n\r\n")));
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '=') {
            out += body[i];
        } else if (i + 1 < body.size() && (body[i + 1] == '\n' || body[i + 1] == '\r')) {
            i += body[i + 1] == '\r' ? 2 : 1;  // soft line break
        } else if (i + 2 < body.size()) {
            out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
            i += 2;
        }
    }
    return out;
}

// Every "<root>/<kind>/..." URL in `text`, path only.
std::vector<std::string> paths(const std::string& text, const std::string& root, const std::string& kind) {
    std::vector<std::string> out;
    const std::regex re(std::regex_replace(root, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") + "(/" + kind +
                        R"(/[0-9a-f-]{36}/[0-9a-f-]{36}(?:/[0-9a-f-]{36}|/px\.png)))");
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) out.push_back((*it)[1]);
    return out;
}

std::string today(int offset_days = 0) {
    const std::time_t t = std::time(nullptr) + offset_days * 86400;
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
}

}  // namespace

TEST_CASE("tracked links redirect and count clicks, the pixel counts views", "[tracking]") {
    MailSink sink({"--pipelining"});
    TidingsServer server(kWithSmtp);
    configureSending(server, sink, 100000, 2, 50);
    REQUIRE(server.put("/api/settings", R"({"privacy.individual_tracking": true})", server.admin()).status == 200);
    const auto root = server.get("/api/settings", server.admin()).data()->getValue<std::string>("app.root_url");
    const auto list = makeList(server);
    addMembers(server, list, "reader", 3);

    const auto id = createCampaign(
        server, list,
        R"(<p>Hi {{ .Subscriber.Name }}</p><a href="{{ TrackLink "https://example.com/a?x=1&y=2" . }}">A</a>)"
        R"( <a href="https://example.com/b@TrackLink">B</a>{{ TrackView . }})");
    REQUIRE(setCampaignStatus(server, id, "running") == 200);
    REQUIRE(waitForCampaignStatus(server, id, "finished"));

    const auto mails = sink.messagesTo("reader1@send.test");
    REQUIRE(mails.size() == 1);
    const std::string text = decoded(mails[0]);
    const auto links = paths(text, root, "link");
    const auto pixels = paths(text, root, "campaign");
    INFO(text);
    REQUIRE(links.size() == 2);
    REQUIRE(!pixels.empty());  // the default template has its own pixel as well
    CHECK(text.find("https://example.com/a") == std::string::npos);  // only tracked links went out

    auto click = server.get(links[0], Credentials::none());
    CHECK(click.status == 307);
    CHECK(click.headers["location"] == "https://example.com/a?x=1&y=2");
    CHECK(click.headers["cache-control"].find("no-store") != std::string::npos);
    CHECK(server.get(links[1], Credentials::none()).headers["location"] == "https://example.com/b");
    CHECK(server.get(links[0], Credentials::none()).status == 307);

    auto px = server.get(pixels[0], Credentials::none());
    CHECK(px.status == 200);
    CHECK(px.headers["content-type"] == "image/png");
    CHECK(px.body.rfind("\x89PNG", 0) == 0);

    // Stale or mangled UUIDs never error towards the reader.
    const std::string link_uuid = links[0].substr(6, 36);
    CHECK(server.get("/link/" + link_uuid + "/not-a-uuid/00000000-0000-0000-0000-000000000000", Credentials::none())
              .status == 307);
    CHECK(server.get("/campaign/nope/nope/px.png", Credentials::none()).status == 200);
    CHECK(server.get("/link/00000000-0000-0000-0000-000000000000/a/b", Credentials::none()).status == 404);

    const auto c = campaignById(server, id);
    CHECK(c->getValue<std::int64_t>("clicks") == 3);  // the click with a mangled campaign UUID is not the campaign's
    CHECK(c->getValue<std::int64_t>("views") == 1);

    // Analytics: unique readers (individual tracking is on), today's hourly buckets.
    const std::string range = "?id=" + std::to_string(id) + "&from=" + today(-1) + "&to=" + today();
    auto views = server.get("/api/campaigns/analytics/views" + range, server.admin());
    REQUIRE(views.status == 200);
    auto series = views.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
    REQUIRE(series->size() == 1);
    CHECK(series->getObject(0)->getValue<std::int64_t>("count") == 1);
    CHECK(series->getObject(0)->getValue<std::int64_t>("campaign_id") == id);
    auto top = server.get("/api/campaigns/analytics/links" + range, server.admin());
    REQUIRE(top.status == 200);
    auto urls = top.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
    REQUIRE(urls->size() == 2);
    CHECK(urls->getObject(0)->getValue<std::string>("url") == "https://example.com/a?x=1&y=2");
    CHECK(server.get("/api/campaigns/analytics/nope" + range, server.admin()).status == 400);
    CHECK(server.get("/api/campaigns/analytics/views?id=" + std::to_string(id) + "&from=yesterday&to=" + today(),
                     server.admin())
              .status == 400);

    // The reader's data export, mailed to them as data.json, names what they opened and clicked.
    const std::string sub_uuid = pixels[0].substr(10 + 37, 36);
    const int before = sink.messageCount();
    auto exported = server.post("/subscription/export/" + sub_uuid, "", Credentials::none());
    REQUIRE(exported.status == 200);
    CHECK(exported.headers["content-type"].rfind("text/html", 0) == 0);
    REQUIRE(sink.waitForMessages(before + 1, std::chrono::seconds(20)));
    std::optional<std::string> data;
    for (const auto& mail : sink.messagesTo("reader1@send.test"))
        if (!data) data = attachmentOf(mail, "data.json");
    REQUIRE(data);
    INFO(*data);
    CHECK(std::regex_search(*data, std::regex(R"("views":\s*1\b)")));
    CHECK(data->find("https://example.com/a?x=1&y=2") != std::string::npos);
}

TEST_CASE("with privacy.disable_tracking, messages carry bare links and nothing is recorded", "[tracking]") {
    MailSink sink({"--pipelining"});
    TidingsServer server(kWithSmtp);
    configureSending(server, sink, 100000, 2, 50);
    REQUIRE(server.put("/api/settings", R"({"privacy.disable_tracking": true})", server.admin()).status == 200);
    const auto list = makeList(server);
    addMembers(server, list, "quiet", 1);
    const auto id = createCampaign(server, list, R"(<a href="{{ TrackLink "https://example.com/x" . }}">X</a>{{ TrackView . }})");
    REQUIRE(setCampaignStatus(server, id, "running") == 200);
    REQUIRE(waitForCampaignStatus(server, id, "finished"));
    const std::string text = decoded(sink.messagesTo("quiet1@send.test").at(0));
    CHECK(text.find("href=\"https://example.com/x\"") != std::string::npos);
    CHECK(text.find("px.png") == std::string::npos);
}
