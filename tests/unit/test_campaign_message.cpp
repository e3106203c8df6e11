// The compiled campaign message: template grafting, Markdown, text parts, links and headers.
#include <catch2/catch.hpp>

#include "kernel/template/campaign_message.hpp"
#include "kernel/template/markdown.hpp"

using namespace tidings::kernel;

namespace {

sdk::Campaign campaign(std::string body, sdk::ContentType type = sdk::ContentType::Richtext) {
    sdk::Campaign c;
    c.id = 7;
    c.uuid = "c0ffee00-0000-4000-8000-000000000001";
    c.name = "Spring";
    c.subject = "Hello {{ .Subscriber.FirstName }}";
    c.body = std::move(body);
    c.content_type = type;
    c.headers_json = R"([{"X-Campaign-Name": "{{ .Campaign.Name }}"}, {"X-Static": "plain"}])";
    return c;
}

sdk::Subscriber ann() {
    sdk::Subscriber s;
    s.id = 3;
    s.uuid = "5ub5c71b-0000-4000-8000-000000000003";
    s.email = "ann@example.com";
    s.name = "Ann Marie Lee";
    s.attribs_json = R"({"city": "<Lyon>", "n": 1234567})";
    return s;
}

MessageContext context(bool tracking = false) {
    MessageContext ctx;
    ctx.root_url = "https://news.example/";
    ctx.default_from = "News <news@example.com>";
    ctx.tracking = tracking;
    return ctx;
}

sdk::Template wrapper() {
    sdk::Template t;
    t.body = R"(<html><body>{{ template "content" . }}<a href="{{ UnsubscribeURL }}">x</a>{{ TrackView }}</body></html>)";
    return t;
}

}  // namespace

TEST_CASE("campaign message: the body is grafted into the template and escaped", "[campaign_message]") {
    auto msg = CampaignMessage::compile(campaign("<p>{{ .Subscriber.Attribs.city }} {{ .Subscriber.Attribs.n }}</p>"),
                                        wrapper(), context());
    sdk::Message m = msg.render(ann());
    CHECK(m.to == std::vector<std::string>{"ann@example.com"});
    CHECK(m.from == "News <news@example.com>");
    CHECK(m.subject == "Hello Ann");
    CHECK(m.content_type == "html");
    // html/template escapes "+" as Go does.
    CHECK(m.body.find("<p>&lt;Lyon&gt; 1.234567e&#43;06</p>") != std::string::npos);
    CHECK(m.body.find(R"(href="https://news.example/subscription/c0ffee00-0000-4000-8000-000000000001/5ub5c71b-0000-4000-8000-000000000003")") !=
          std::string::npos);
    CHECK(m.body.find("px.png") == std::string::npos);  // tracking off
}

TEST_CASE("campaign message: headers, List-Unsubscribe and the messenger fields", "[campaign_message]") {
    sdk::Message m = CampaignMessage::compile(campaign("hi"), std::nullopt, context()).render(ann());
    auto header = [&](const std::string& name) {
        for (const auto& [k, v] : m.headers)
            if (k == name) return v;
        return std::string("<absent>");
    };
    CHECK(header("X-Campaign-Name") == "Spring");
    CHECK(header("X-Static") == "plain");
    CHECK(header("List-Unsubscribe") ==
          "<https://news.example/subscription/c0ffee00-0000-4000-8000-000000000001/5ub5c71b-0000-4000-8000-000000000003>");
    CHECK(header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");
    CHECK(header("X-Tidings-Campaign") == "c0ffee00-0000-4000-8000-000000000001");
    CHECK(m.campaign_uuid == "c0ffee00-0000-4000-8000-000000000001");
    CHECK(m.subscriber_uuid == "5ub5c71b-0000-4000-8000-000000000003");
    CHECK(m.body == "hi");
}

TEST_CASE("campaign message: tracking links and the pixel", "[campaign_message]") {
    MessageContext ctx = context(true);
    ctx.link_uuid = [](const std::string& url) { return url == "https://shop.example/a" ? std::string("l1") : std::string("l2"); };
    auto msg = CampaignMessage::compile(
        campaign(R"(<a href="https://shop.example/a@TrackLink">a</a><a href="{{ TrackLink "https://b.example" }}">b</a>)"),
        wrapper(), ctx);
    std::string body = msg.render(ann()).body;
    CHECK(body.find("https://news.example/link/l1/c0ffee00-0000-4000-8000-000000000001/5ub5c71b-0000-4000-8000-000000000003") !=
          std::string::npos);
    CHECK(body.find("https://news.example/link/l2/") != std::string::npos);
    CHECK(body.find("/campaign/c0ffee00-0000-4000-8000-000000000001/5ub5c71b-0000-4000-8000-000000000003/px.png") !=
          std::string::npos);
}

TEST_CASE("campaign message: Markdown bodies keep template actions intact", "[campaign_message]") {
    CHECK(markdownToHtml("# Hi\n\n**bold** and ~~gone~~") == "<h1>Hi</h1>\n<p><strong>bold</strong> and <del>gone</del></p>\n");
    auto msg = CampaignMessage::compile(
        campaign("Hello *{{ .Subscriber.Name }}*, [shop]({{ TrackLink \"https://shop.example/a_b_c\" }})",
                 sdk::ContentType::Markdown),
        std::nullopt, context());
    std::string body = msg.render(ann()).body;
    CHECK(body == "<p>Hello <em>Ann Marie Lee</em>, <a href=\"https://shop.example/a_b_c\">shop</a></p>\n");
}

TEST_CASE("campaign message: plain bodies, L and syntax errors", "[campaign_message]") {
    auto plain = CampaignMessage::compile(campaign("{{ L.T \"email.unsub\" }}: {{ UnsubscribeURL }}", sdk::ContentType::Plain),
                                          std::nullopt, context());
    sdk::Message m = plain.render(ann());
    CHECK(m.content_type == "plain");
    CHECK(m.body.rfind("Unsubscribe: https://news.example/subscription/", 0) == 0);
    CHECK_THROWS_AS(CampaignMessage::compile(campaign("{{ if }}"), std::nullopt, context()), TemplateError);
    CHECK_THROWS_WITH(CampaignMessage::compile(campaign("ok\n{{ .Subscriber.Name"), std::nullopt, context()),
                      Catch::Contains(":2:"));
}

TEST_CASE("campaign message: the preview subscriber", "[campaign_message]") {
    auto msg = CampaignMessage::compile(campaign("{{ .Subscriber.FirstName }} from {{ .Subscriber.Attribs.city }}"),
                                        std::nullopt, context());
    CHECK(msg.renderBody(previewSubscriber()) == "Demo from Bengaluru");
}
