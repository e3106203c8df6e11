// Templates in the style of listmonk's shipped campaign and opt-in templates (written for these
// tests), the @TrackLink shorthand, and concurrent rendering.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "helpers.hpp"

using namespace tpltest;
using tidings::kernel::tmpl::rewriteListmonkShorthands;
using tidings::kernel::tmpl::TemplateBuilder;
using tidings::kernel::tmpl::toText;

namespace {

using Args = std::span<const Value>;

// The functions listmonk's campaign renderer provides, faked with fixed URLs.
FunctionTable campaignFunctions() {
    FunctionTable f = FunctionTable::builtins();
    f.add("TrackLink", [](Args a) {
        return Value("https://news.example/link/" + a[0].str() + "?s=" + a[1].find("Subscriber")->find("UUID")->str());
    });
    f.add("TrackView", [](Args a) {
        return Value::safeHtml("<img src=\"https://news.example/view/" + a[0].find("Subscriber")->find("UUID")->str() +
                               "\" width=\"1\" height=\"1\" alt=\"\">");
    });
    f.add("UnsubscribeURL", [](Args a) {
        return Value("https://news.example/subscription/c1/" + a[0].find("Subscriber")->find("UUID")->str());
    });
    f.add("MessageURL", [](Args) { return Value("https://news.example/campaign/c1/s1"); });
    f.add("Safe", [](Args a) { return Value::safeHtml(toText(a[0])); });
    f.add("L", [](Args) {
        static const Value l = Value::map({
            {"T", Value::function([](Args a) { return Value(a[0].str() == "email.unsub" ? "Unsubscribe" : "Not interested?"); })},
            {"Ts", Value::function([](Args a) { return Value("[" + a[0].str() + "]"); })},
        });
        return l;
    });
    return f;
}

const char* kBase = R"(<!doctype html>
<html>
<head>
  <style>
    body { background: #f0f1f3; font-family: 'Helvetica Neue', sans-serif; }
    /* a comment the escaper drops */
    .wrap { padding: 30px; }
  </style>
</head>
<body>
  <div class="wrap">
    {{ template "content" . }}
  </div>
  <div class="footer">
    <p>{{ L.T "email.unsubHelp" }} <a href="{{ UnsubscribeURL }}">{{ L.T "email.unsub" }}</a></p>
    <p><a href="{{ MessageURL }}">View online</a></p>
  </div>
  <div>{{ TrackView }}</div>
</body>
</html>
)";

const char* kContent = R"(<h1>Hello {{ .Subscriber.FirstName }}</h1>
<p>{{ .Campaign.Subject }} for {{ .Subscriber.Attribs.city | default "your city" }}.</p>
<p><a href="https://shop.example/sale?ref=mail&x=1@TrackLink">Shop</a></p>
<ul>{{ range $i, $item := .Campaign.Items }}
  <li{{ if eq $i 0 }} class="first"{{ end }}>{{ $item.Title }} &mdash; {{ printf "%.2f" $item.Price }}</li>
{{- end }}
</ul>)";

Value subscriber(const std::string& name, const Value& attribs) {
    return Value::map({{"UUID", "u-1"}, {"Name", name}, {"FirstName", name.substr(0, name.find(' '))},
                       {"Email", "ann@example.com"}, {"Attribs", attribs}});
}

Value campaignData(const std::string& name, const Value& attribs) {
    Value::List items;
    for (int i = 0; i < 2; ++i) {
        items.push_back(Value::map({{"Title", "Item " + std::to_string(i)}, {"Price", 9.5 + i}}));
    }
    return Value::map({{"Subscriber", subscriber(name, attribs)},
                       {"Campaign", Value::map({{"Subject", "Spring sale"}, {"Items", Value::list(std::move(items))}})}});
}

Template campaign() {
    TemplateBuilder b(Mode::Html, campaignFunctions());
    b.add("base", rewriteListmonkShorthands(kBase));
    b.add("content", rewriteListmonkShorthands(kContent));
    return b.build("base");
}

}  // namespace

TEST_CASE("listmonk: shorthand rewrites", "[template][listmonk]") {
    CHECK(rewriteListmonkShorthands(R"~(<a href="https://x.com/a?b=1&c=(2)@TrackLink">)~") ==
          R"~(<a href="{{ TrackLink "https://x.com/a?b=1&c=(2)" . }}">)~");
    CHECK(rewriteListmonkShorthands(R"({{TrackLink "https://x.com"}} {{ TrackLink   "u"   }})") ==
          R"({{ TrackLink "https://x.com" . }} {{ TrackLink "u" . }})");
    CHECK(rewriteListmonkShorthands("{{ TrackView }}{{UnsubscribeURL}}{{  ManageURL }}{{ OptinURL}}{{ MessageURL }}") ==
          "{{ TrackView . }}{{ UnsubscribeURL . }}{{ ManageURL . }}{{ OptinURL . }}{{ MessageURL . }}");
    CHECK(rewriteListmonkShorthands("{{ TrackView . }} plain http://x text @TrackLink") ==
          "{{ TrackView . }} plain http://x text @TrackLink");
    CHECK(rewriteListmonkShorthands("https://a.com@TrackLink and http://b.com/x@TrackLink.") ==
          R"({{ TrackLink "https://a.com" . }} and {{ TrackLink "http://b.com/x" . }}.)");
}

TEST_CASE("listmonk: a campaign template with content, tracking and i18n", "[template][listmonk]") {
    std::string out = campaign().render(campaignData("Ann Lee", Value::map({{"city", "Lyon"}})));
    CHECK(out.find("<h1>Hello Ann</h1>") != std::string::npos);
    CHECK(out.find("<p>Spring sale for Lyon.</p>") != std::string::npos);
    CHECK(out.find(R"(<a href="https://news.example/link/https://shop.example/sale?ref=mail&amp;x=1?s=u-1">Shop</a>)") !=
          std::string::npos);
    CHECK(out.find("<li class=\"first\">Item 0 &mdash; 9.50</li>\n  <li>Item 1 &mdash; 10.50</li>\n</ul>") != std::string::npos);
    CHECK(out.find(R"(<p>Not interested? <a href="https://news.example/subscription/c1/u-1">Unsubscribe</a></p>)") !=
          std::string::npos);
    CHECK(out.find(R"(<div><img src="https://news.example/view/u-1" width="1" height="1" alt=""></div>)") !=
          std::string::npos);
    CHECK(out.find("a comment the escaper drops") == std::string::npos);
    CHECK(out.find("font-family: 'Helvetica Neue', sans-serif;") != std::string::npos);
    // Missing attribute: the default applies.
    CHECK(campaign().render(campaignData("Bo", Value::map({}))).find("for your city.") != std::string::npos);
}

TEST_CASE("listmonk: subscriber data cannot inject markup", "[template][listmonk]") {
    std::string out = campaign().render(
        campaignData("<img src=x onerror=alert(1)>", Value::map({{"city", "\"><script>alert(1)</script>"}})));
    CHECK(out.find("<script>") == std::string::npos);
    CHECK(out.find("onerror=alert(1)>") == std::string::npos);
    CHECK(out.find("Hello &lt;img</h1>") != std::string::npos);
    CHECK(out.find("&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
}

TEST_CASE("listmonk: an opt-in mail with header/footer defines", "[template][listmonk]") {
    TemplateBuilder b(Mode::Html, campaignFunctions());
    b.add("base", R"({{ define "header" }}<html><body>{{ end }}{{ define "footer" }}</body></html>{{ end }})");
    b.add("optin", R"({{ define "subscriber-optin" }}
{{ template "header" . }}
<p>{{ L.Ts "email.optin.confirmSubWelcome" }} {{ .Subscriber.FirstName }}</p>
<ul>
    {{ range $i, $l := .Lists }}
        {{ if eq .Type "public" }}<li>{{ .Name }}</li>{{ else }}<li>{{ L.Ts "email.optin.privateList" }}</li>{{ end }}
    {{ end }}
</ul>
<a href="{{ .OptinURL }}" class="button">Confirm</a>
{{ template "footer" }}
{{ end }})");
    Value lists = Value::list({Value::map({{"Type", "public"}, {"Name", "News & views"}}),
                               Value::map({{"Type", "private"}, {"Name", "Secret"}})});
    Value dot = Value::map({{"Subscriber", subscriber("Ann Lee", Value::map({}))},
                            {"Lists", lists},
                            {"OptinURL", "https://news.example/subscription/optin/u-1?l=a&l=b"}});
    std::string out = b.build("subscriber-optin").render(dot);
    CHECK(out.find("<html><body>") != std::string::npos);
    CHECK(out.find("<p>[email.optin.confirmSubWelcome] Ann</p>") != std::string::npos);
    CHECK(out.find("<li>News &amp; views</li>") != std::string::npos);
    CHECK(out.find("<li>[email.optin.privateList]</li>") != std::string::npos);
    CHECK(out.find("Secret") == std::string::npos);
    CHECK(out.find(R"(href="https://news.example/subscription/optin/u-1?l=a&amp;l=b")") != std::string::npos);
    CHECK(out.find("</body></html>") != std::string::npos);
}

TEST_CASE("listmonk: subjects are text templates", "[template][listmonk]") {
    auto t = Template::compile("subject", "Hi {{ .Subscriber.Name }} & co: {{ .Subscriber.Attribs.age }}", Mode::Text);
    CHECK(t.render(Value::map({{"Subscriber", Value::map({{"Name", "<Ann>"}, {"Attribs", Value::map({{"age", 1234567.0}})}})}})) ==
          "Hi <Ann> & co: 1.234567e+06");
}

TEST_CASE("listmonk: one compiled template renders concurrently from 8 threads", "[template][listmonk]") {
    const Template t = campaign();
    std::vector<std::string> expected;
    std::vector<Value> data;
    for (int i = 0; i < 8; ++i) {
        data.push_back(campaignData("User" + std::to_string(i) + " X", Value::map({{"city", "C" + std::to_string(i)}})));
        expected.push_back(t.render(data.back()));
    }
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            for (int k = 0; k < 300; ++k) good += t.render(data[i]) == expected[i] ? 1 : 0;
        });
    }
    for (auto& th : threads) th.join();
    CHECK(good == 8 * 300);
    CHECK(expected[3].find("Hello User3</h1>") != std::string::npos);
}
