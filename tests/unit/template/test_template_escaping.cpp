// Contextual HTML escaping, compared with what Go's html/template produces for the same input.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace tpltest;
using tidings::kernel::TemplateError;

namespace {
Value with(std::initializer_list<std::pair<std::string, Value>> fields) { return Value::map(fields); }
const Value kXss = with({{"Name", "<script>alert('x')</script> & \"q\" +1"}});
}  // namespace

TEST_CASE("escaping: element content and attributes", "[template][escaping]") {
    CHECK(html("<p>{{ .Name }}</p>", kXss) ==
          "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;q&#34; &#43;1</p>");
    CHECK(html(R"~(<a title="{{ .Name }}">)~", with({{"Name", "\" onmouseover=\"x"}})) ==
          R"~(<a title="&#34; onmouseover=&#34;x">)~");
    CHECK(html("<a title='{{ .Name }}'>", with({{"Name", "it's"}})) == "<a title='it&#39;s'>");
    CHECK(html("<input value={{ .Name }}>", with({{"Name", "a b=c"}})) == "<input value=a&#32;b&#61;c>");
    CHECK(html("<textarea>{{ .Name }}</textarea>", with({{"Name", "</textarea><b>"}})) ==
          "<textarea>&lt;/textarea&gt;&lt;b&gt;</textarea>");
    CHECK(html("<title>{{ .Name }}</title>", with({{"Name", "a<b"}})) == "<title>a&lt;b</title>");
    CHECK(html("<p {{ .Name }}>", with({{"Name", "onclick"}})) == "<p ZgotmplZ>");
    CHECK(html("<p {{ .Name }}>", with({{"Name", "checked"}})) == "<p checked>");
}

TEST_CASE("escaping: URLs are filtered and encoded", "[template][escaping]") {
    auto href = [](const std::string& u) { return html(R"~(<a href="{{ .U }}">x</a>)~", with({{"U", u}})); };
    CHECK(href("javascript:alert(1)~") == R"~(<a href="#ZgotmplZ">x</a>)~");
    CHECK(href(" JavaScript:alert(1)~") == R"~(<a href="#ZgotmplZ">x</a>)~");
    CHECK(href("data:text/html,<script>") == R"~(<a href="#ZgotmplZ">x</a>)~");
    CHECK(href("https://x.com/?a=1&b=2 c") == R"~(<a href="https://x.com/?a=1&amp;b=2%20c">x</a>)~");
    CHECK(href("mailto:ann@example.com") == R"~(<a href="mailto:ann@example.com">x</a>)~");
    CHECK(href("/relative/path?x=%20") == R"~(<a href="/relative/path?x=%20">x</a>)~");
    CHECK(href("\" onclick=\"x") == R"~(<a href="%22%20onclick=%22x">x</a>)~");
    CHECK(html(R"~(<a href="https://x.com/?q={{ .Q }}&r=1">)~", with({{"Q", "a b&c/d"}})) ==
          R"~(<a href="https://x.com/?q=a%20b%26c%2fd&r=1">)~");
    CHECK(html(R"~(<a href="/p/{{ .Q }}">)~", with({{"Q", "a b/c"}})) == R"~(<a href="/p/a%20b/c">)~");
    CHECK(html(R"~(<img src={{ .U }}>)~", with({{"U", "javascript:x"}})) == "<img src=#ZgotmplZ>");
    CHECK(html(R"~(<div data-href="{{ .U }}">)~", with({{"U", "javascript:x"}})) == R"~(<div data-href="#ZgotmplZ">)~");
    CHECK(html(R"~(<a href="{{ .U }}">)~", with({{"U", Value::safeHtml("javascript:x")}})) == R"~(<a href="#ZgotmplZ">)~");
}

TEST_CASE("escaping: script and style", "[template][escaping]") {
    CHECK(html("<script>var n = {{ .Name }};</script>", with({{"Name", "Ann</script>"}})) ==
          "<script>var n = \"Ann\\u003c/script\\u003e\";</script>");
    CHECK(html("<script>var n = {{ .N }};</script>", with({{"N", 3}})) == "<script>var n =  3 ;</script>");
    CHECK(html("<script>var s = '{{ .Name }}';</script>", with({{"Name", "it's </script>"}})) ==
          "<script>var s = 'it\\u0027s \\u003c\\/script\\u003e';</script>");
    CHECK(html("<script>var o = {{ .O }};</script>", with({{"O", with({{"a", Value::list({1, "x"})}})}})) ==
          "<script>var o = {\"a\":[1,\"x\"]};</script>");
    CHECK(html("<script>var x = 1; // {{ .Name }}\nvar y;</script>", kXss) == "<script>var x = 1; \nvar y;</script>");
    CHECK(html(R"~(<button onclick="go({{ .Name }})">)~", with({{"Name", "Ann"}})) ==
          R"~(<button onclick="go(&#34;Ann&#34;)">)~");
    CHECK(html("<style>p { color: {{ .C }}; }</style>", with({{"C", "red"}})) == "<style>p { color: red; }</style>");
    CHECK(html("<style>p { color: {{ .C }}; }</style>", with({{"C", "expression(alert(1))~"}})) ==
          "<style>p { color: ZgotmplZ; }</style>");
    CHECK(html(R"~(<p style="color: {{ .C }}">)~", with({{"C", "red;background:url(x)~"}})) ==
          R"~(<p style="color: ZgotmplZ">)~");
    CHECK(html(R"~(<p style="background: url('{{ .U }}')">)~", with({{"U", "javascript:x"}})) ==
          R"~(<p style="background: url('#ZgotmplZ')">)~");
}

TEST_CASE("escaping: safe HTML, comments and predefined escapers", "[template][escaping]") {
    Value safe = with({{"H", Value::safeHtml("<b>bold</b> &amp;")}});
    CHECK(html("<div>{{ .H }}</div>", safe) == "<div><b>bold</b> &amp;</div>");
    CHECK(html(R"~(<a title="{{ .H }}">)~", safe) == R"~(<a title="bold &amp;">)~");
    CHECK(html("a<!-- hidden {{ .H }} -->b", safe) == "ab");
    CHECK(html("<!--[if mso]><p>outlook</p><![endif]-->x") == "x");
    CHECK(html("{{ .Name | html }}", with({{"Name", "<b>"}})) == "&lt;b&gt;");
    CHECK(html(R"~(<a href="/?q={{ .Q | urlquery }}">)~", with({{"Q", "a b"}})) == R"~(<a href="/?q=a%20b">)~");
    CHECK(html("{{ \"a\" | printf \"%s<\" }}") == "a&lt;");
    CHECK(text("<p>{{ .Name }}</p>", with({{"Name", "<b>"}})) == "<p><b></p>");
}

TEST_CASE("escaping: templates called in other contexts are escaped for them", "[template][escaping]") {
    tidings::kernel::tmpl::TemplateBuilder b(Mode::Html);
    b.add("base", R"~({{ define "v" }}{{ . }}{{ end }}<a href="{{ template "v" .U }}">{{ template "v" .U }}</a>)~");
    CHECK(b.build("base").render(with({{"U", "javascript:<x>"}})) == R"~(<a href="#ZgotmplZ">javascript:&lt;x&gt;</a>)~");
}

TEST_CASE("escaping: branches and attributes keep a consistent context", "[template][escaping]") {
    CHECK(html(R"~(<input type="checkbox" {{ if .C }}checked{{ end }}>)~", with({{"C", true}})) ==
          R"~(<input type="checkbox" checked>)~");
    CHECK(html(R"~(<a class="{{ if .C }}on{{ else }}off{{ end }}">)~", with({{"C", false}})) == R"~(<a class="off">)~");
    CHECK(html(R"~({{ range .L }}<li title="{{ . }}">{{ . }}</li>{{ end }})~", with({{"L", Value::list({"a&b"})}})) ==
          R"~(<li title="a&amp;b">a&amp;b</li>)~");
    CHECK_THROWS_WITH(Template::compile("t", R"~({{ if .X }}<a href="{{ else }}<b>{{ end }}">)~"),
                      Catch::Contains("branches end in different contexts"));
    CHECK_THROWS_WITH(Template::compile("t", R"~(<a href=")~"), Catch::Contains("non-text context"));
    CHECK_THROWS_WITH(Template::compile("t", R"~({{ range .L }}<a href="{{ end }})~"), Catch::Contains("range"));
}
