// Render throughput of one compiled newsletter template (about 4 KB of HTML, 10 fields, a range
// over 5 items, tracking links), single-threaded. Beside it, the machine's ceiling for the same
// output: appending the rendered bytes to a reserved string. Last line: the figure.
#include <chrono>
#include <cstdio>
#include <string>

#include "kernel/template/template.hpp"

using namespace tidings::kernel::tmpl;
using Clock = std::chrono::steady_clock;

namespace {

const char* kBase = R"(<!doctype html>
<html><head><meta charset="utf-8"><title>{{ .Campaign.Subject }}</title>
<style>
body { background-color: #F0F1F3; font-family: 'Helvetica Neue', 'Segoe UI', Helvetica, sans-serif; font-size: 15px; line-height: 26px; margin: 0; color: #444; }
.wrap { background-color: #fff; padding: 30px; max-width: 525px; margin: 0 auto; border-radius: 5px; }
.button { background: #0055d4; border-radius: 3px; text-decoration: none !important; color: #fff !important; font-weight: bold; padding: 10px 30px; display: inline-block; }
.footer { text-align: center; font-size: 12px; color: #888; }
.footer a { color: #888; } .gutter { padding: 30px; } img { max-width: 100%; height: auto; }
table { width: 100%; border: 1px solid #ddd; } table td { border-color: #ddd; padding: 5px; }
</style></head>
<body style="background-color: #F0F1F3;font-family: 'Helvetica Neue', 'Segoe UI', Helvetica, sans-serif;">
<div class="gutter" style="padding: 30px;">&nbsp;</div>
<div class="wrap" style="background-color: #fff;padding: 30px;max-width: 525px;margin: 0 auto;border-radius: 5px;">
{{ template "content" . }}
</div>
<div class="footer" style="text-align: center;font-size: 12px;color: #888;">
<p>You receive this because {{ .Subscriber.Email }} subscribed to {{ .Campaign.FromEmail }}.
<a href="{{ UnsubscribeURL . }}" style="color: #888;">Unsubscribe</a> &middot; <a href="{{ MessageURL . }}">View online</a></p>
<p>Tidings newsletter &middot; 1 Example Street &middot; Springfield</p>
</div>
<div class="gutter" style="padding: 30px;">&nbsp;{{ TrackView . }}</div>
</body></html>
)";

const char* kContent = R"(<h1>Hello {{ .Subscriber.FirstName }},</h1>
<p>Welcome to the {{ .Campaign.Subject }} issue. We picked these for readers in {{ .Subscriber.Attribs.city | default "your area" }}
who joined on {{ .Subscriber.CreatedAt }}. Your plan is <strong>{{ .Subscriber.Attribs.plan }}</strong>.</p>
<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna
aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.
Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur.</p>
<table>
{{ range $i, $a := .Campaign.Articles }}<tr><td>{{ add $i 1 }}.</td><td><a href="{{ TrackLink $a.URL $ }}">{{ $a.Title }}</a>
<br><small>{{ $a.Summary }}</small></td><td>{{ printf "%.2f" $a.Price }} EUR</td></tr>
{{ end }}</table>
<p>Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.
Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam.</p>
<p><a class="button" href="https://shop.example.com/spring?utm_source=newsletter@TrackLink">Shop the sale</a></p>
<p>Questions? Reply to this mail, {{ .Subscriber.Name }}. Reference: {{ .Subscriber.UUID }}.</p>
)";

}  // namespace

int main() {
    using Args = std::span<const Value>;
    FunctionTable f = FunctionTable::builtins();
    f.add("TrackLink", [](Args a) {
        return Value("https://news.example.com/link/" + a[1].find("Subscriber")->find("UUID")->str() + "?u=" + a[0].str());
    });
    f.add("TrackView", [](Args a) {
        return Value::safeHtml("<img src=\"https://news.example.com/view/" + a[0].find("Subscriber")->find("UUID")->str() +
                               "\" width=\"1\" height=\"1\" alt=\"\">");
    });
    f.add("UnsubscribeURL", [](Args a) {
        return Value("https://news.example.com/subscription/c-1/" + a[0].find("Subscriber")->find("UUID")->str());
    });
    f.add("MessageURL", [](Args) { return Value("https://news.example.com/campaign/c-1/s-1"); });

    TemplateBuilder b(Mode::Html, f);
    b.add("base", rewriteListmonkShorthands(kBase));
    b.add("content", rewriteListmonkShorthands(kContent));
    Template t = b.build("base");

    Value::List articles;
    for (int i = 0; i < 5; ++i) {
        articles.push_back(Value::map({{"Title", "Article number " + std::to_string(i) + " & more"},
                                       {"URL", "https://blog.example.com/posts/" + std::to_string(i)},
                                       {"Summary", "A short summary of the article, with <b>no</b> markup allowed."},
                                       {"Price", 10.0 + i}}));
    }
    Value campaign = Value::map({{"Subject", "Spring sale"}, {"FromEmail", "News <news@example.com>"},
                                 {"Articles", Value::list(std::move(articles))}});
    Value subscriber = Value::map({{"UUID", "5f2c1e7a-0b7e-4f4e-9d61-2a1d3c4b5e6f"}, {"Email", "ann@example.com"},
                                   {"Name", "Ann O'Neil"}, {"FirstName", "Ann"}, {"CreatedAt", "2024-01-02T03:04:05Z"},
                                   {"Attribs", Value::map({{"city", "Lyon"}, {"plan", "pro"}})}});
    Value dot = Value::map({{"Campaign", campaign}, {"Subscriber", subscriber}});

    std::string out = t.render(dot);
    const std::size_t size = out.size();
    auto run = [&](auto&& body) {
        long n = 0;
        auto start = Clock::now();
        double secs = 0;
        do {
            for (int k = 0; k < 200; ++k) body();
            n += 200;
            secs = std::chrono::duration<double>(Clock::now() - start).count();
        } while (secs < 2.0);
        return n / secs;
    };
    std::size_t sink = 0;
    double renders = run([&] {
        std::string s;
        s.reserve(size + size / 4);
        t.renderTo(s, dot);
        sink += s.size();
    });
    double copies = run([&] {
        std::string s;
        s.reserve(size + size / 4);
        s.append(out);
        sink += s.size();
    });
    std::printf("output size: %zu bytes (checksum %zu)\n", size, sink % 1000);
    std::printf("ceiling (copy of the rendered bytes into a reserved string): %.0f copies/s\n", copies);
    std::printf("ratio: %.3f of the copy ceiling\n", renders / copies);
    std::printf("template render: %.0f renders/s\n", renders);
    return 0;
}
