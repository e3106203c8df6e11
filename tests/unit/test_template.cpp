#include <catch2/catch.hpp>

#include <thread>

#include "kernel/core/json_value.hpp"
#include "kernel/template/template_set.hpp"

using namespace tidings::kernel;

namespace {

std::string render(const std::string& text, const std::string& data = "{}", Escaping e = Escaping::Html) {
    TemplateSet set;
    set.add("t", text, e);
    return set.render("t", parseJsonValue(data));
}

}  // namespace

TEST_CASE("template: fields, literals and escaping", "[template]") {
    CHECK(render("Hi {{ .Subscriber.Name }}!", R"({"Subscriber":{"Name":"Ann"}})") == "Hi Ann!");
    CHECK(render("{{ .Missing.Deep }}|") == "|");
    CHECK(render(R"({{ "a<b" }} {{ 42 }} {{ true }})") == "a&lt;b 42 true");
    CHECK(render("{{ .X }}", R"({"X":"<script>alert('x')</script> & \"q\""})") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;q&#34;");
    CHECK(render("{{ .X }}", R"({"X":"<b>"})", Escaping::None) == "<b>");
    CHECK(render("{{ . }}", R"([1,2])").find("1") != std::string::npos);
}

TEST_CASE("template: if / else if / else, with, and comparison functions", "[template]") {
    const std::string t = R"({{ if eq .N 1 }}one{{ else if gt .N 5 }}big{{ else }}other{{ end }})";
    CHECK(render(t, R"({"N":1})") == "one");
    CHECK(render(t, R"({"N":9})") == "big");
    CHECK(render(t, R"({"N":3})") == "other");
    CHECK(render(R"({{ if and .A (not .B) }}yes{{ end }})", R"({"A":true,"B":false})") == "yes");
    CHECK(render(R"({{ if or .A .B }}yes{{ else }}no{{ end }})", R"({"A":"","B":0})") == "no");
    CHECK(render(R"({{ with .U }}{{ .Name }}{{ else }}none{{ end }})", R"({"U":{"Name":"Bo"}})") == "Bo");
    CHECK(render(R"({{ with .U }}x{{ else }}none{{ end }})", R"({"U":{}})") == "none");
    CHECK(render(R"({{ if eq .S "a" "b" }}in{{ end }})", R"({"S":"b"})") == "in");
    CHECK(render(R"({{ len .L }} {{ .L | len }})", R"({"L":[1,2,3]})") == "3 3");
}

TEST_CASE("template: range over arrays and objects, variables, break", "[template]") {
    CHECK(render("{{ range .L }}[{{ .Name }}]{{ end }}", R"({"L":[{"Name":"a"},{"Name":"b"}]})") == "[a][b]");
    CHECK(render("{{ range .L }}x{{ else }}empty{{ end }}", R"({"L":[]})") == "empty");
    CHECK(render("{{ range .M }}{{ . }},{{ end }}", R"({"M":{"b":2,"a":1}})") == "1,2,");
    CHECK(render("{{ $n := .Name }}{{ range .L }}{{ $n }}{{ . }}{{ end }}", R"({"Name":"x","L":[1,2]})") == "x1x2");
    CHECK(render("{{ range .L }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}", R"({"L":[1,2,3]})") == "1");
    CHECK(render("{{ range $v := .L }}{{ $v }}{{ $.S }}{{ end }}", R"({"L":[1],"S":"s"})") == "1s");
}

TEST_CASE("template: define, template, comments and trim markers", "[template]") {
    TemplateSet set;
    set.add("layout", R"({{ define "head" }}<h1>{{ .Title }}</h1>{{ end }})", Escaping::Html);
    set.add("page", "{{ template \"head\" . }}\n  {{- /* a comment */ -}}\n  <p>body</p>", Escaping::Html);
    CHECK(set.render("page", parseJsonValue(R"({"Title":"T&C"})")) == "<h1>T&amp;C</h1><p>body</p>");
}

TEST_CASE("template: parse errors name the template, line and column", "[template]") {
    TemplateSet set;
    CHECK_THROWS_WITH(set.add("bad", "line one\n{{ if .X }}open", Escaping::Html), Catch::Contains("bad:") && Catch::Contains("end"));
    CHECK_THROWS_WITH(set.add("bad", "ok\n  {{ nosuchfunc .X }}", Escaping::Html), Catch::Contains("bad:2:") && Catch::Contains("nosuchfunc"));
    CHECK_THROWS_WITH(set.add("bad", "{{ .X ", Escaping::Html), Catch::Contains("unclosed"));
    CHECK_THROWS_WITH(set.add("bad", "{{ end }}", Escaping::Html), Catch::Contains("unexpected"));
    CHECK_THROWS_AS(set.render("absent", {}), TemplateError);
}

TEST_CASE("template: one compiled set renders concurrently", "[template]") {
    TemplateSet set;
    set.add("t", "{{ range .L }}{{ .N }}-{{ end }}", Escaping::Html);
    auto data = parseJsonValue(R"({"L":[{"N":1},{"N":2},{"N":3}]})");
    std::vector<std::thread> threads;
    std::atomic<int> good{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) good += set.render("t", data) == "1-2-3-" ? 1 : 0;
        });
    }
    for (auto& th : threads) th.join();
    CHECK(good == 1600);
}
