// Go text/template grammar: every construct, whitespace trimming and parse errors.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace tpltest;
using tidings::kernel::TemplateError;

namespace {
Value data() {
    return Value::map({
        {"Name", "Ann"},
        {"N", 3},
        {"F", 2.5},
        {"Empty", ""},
        {"L", Value::list({"a", "b", "c"})},
        {"M", Value::map({{"b", 2}, {"a", 1}})},
        {"U", Value::map({{"Name", "Bo"}, {"Tags", Value::list({"x", "y"})}})},
        {"Greet", Value::function([](std::span<const Value> a) {
             return Value("hi " + (a.empty() ? std::string("nobody") : tidings::kernel::tmpl::toText(a[0])));
         })},
    });
}
}  // namespace

TEST_CASE("grammar: fields, chains, dot and variables", "[template]") {
    CHECK(text("{{ .Name }}", data()) == "Ann");
    CHECK(text("{{ .U.Name }}", data()) == "Bo");
    CHECK(text("{{ .Missing }}|{{ .U.Missing.Deep }}", data()) == "<no value>|<no value>");
    CHECK(html("{{ .Missing }}|", data()) == "|");
    CHECK(text("{{ $x := .U }}{{ $x.Name }}", data()) == "Bo");
    CHECK(text("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", data()) == "2");
    CHECK(text("{{ $x := 1 }}{{ if true }}{{ $x = 5 }}{{ end }}{{ $x }}", data()) == "5");
    CHECK(text("{{ with .U }}{{ $.Name }}/{{ .Name }}{{ end }}", data()) == "Ann/Bo");
    CHECK(text("{{ . }}", Value("dot")) == "dot");
    CHECK(text("{{ (.U).Name }} {{ (index .L 1) }}", data()) == "Bo b");
}

TEST_CASE("grammar: literals", "[template]") {
    CHECK(text(R"({{ "a\tb\n\"q\" \u00e9 \x41" }})") == "a\tb\n\"q\" \xC3\xA9 A");
    CHECK(text("{{ `raw \\n {{` }}") == "raw \\n {{");
    CHECK(text("{{ 42 }} {{ -7 }} {{ 0x1F }} {{ 1_000 }} {{ 1.5 }} {{ 1e3 }} {{ 'a' }}") == "42 -7 31 1000 1.5 1000 97");
    CHECK(text("{{ true }} {{ false }}") == "true false");
    CHECK(text("{{ print nil }}") == "<nil>");
    CHECK(text("{{ 1000000.0 }} {{ 123456.0 }} {{ 0.00001 }}") == "1e+06 123456 1e-05");
}

TEST_CASE("grammar: pipelines, parentheses and function-valued fields", "[template]") {
    CHECK(text(R"({{ "abc" | printf "%s-%s" "x" }})") == "x-abc");
    CHECK(text(R"({{ .Name | printf "%q" | printf "[%s]" }})", data()) == "[\"Ann\"]");
    CHECK(text(R"({{ printf "%d" (len .L) }})", data()) == "3");
    CHECK(text(R"({{ .Greet "you" }}|{{ .Greet }}|{{ "me" | .Greet }})", data()) == "hi you|hi nobody|hi me");
    FunctionTable f = FunctionTable::builtins();
    f.add("L", [](std::span<const Value>) {
        return Value::map({{"T", Value::function([](std::span<const Value> a) { return Value("T:" + a[0].str()); })}});
    });
    CHECK(Template::compile("t", R"({{ L.T "email.unsub" }})", Mode::Text, f).render(Value()) == "T:email.unsub");
}

TEST_CASE("grammar: if / else if / else, with / else with", "[template]") {
    const std::string t = R"({{ if eq .N 1 }}one{{ else if gt .N 2 }}big{{ else }}other{{ end }})";
    CHECK(text(t, Value::map({{"N", 1}})) == "one");
    CHECK(text(t, Value::map({{"N", 3}})) == "big");
    CHECK(text(t, Value::map({{"N", 2}})) == "other");
    CHECK(text("{{ if .Empty }}y{{ else }}n{{ end }}", data()) == "n");
    CHECK(text("{{ if $n := .N }}{{ $n }}{{ end }}", data()) == "3");
    CHECK(text("{{ with .U }}{{ .Name }}{{ else }}none{{ end }}", data()) == "Bo");
    CHECK(text("{{ with .Nope }}x{{ else with .U }}{{ .Name }}{{ end }}", data()) == "Bo");
    CHECK(text("{{ with .Nope }}x{{ else }}none{{ end }}", data()) == "none");
}

TEST_CASE("grammar: range over lists, maps and ints, with else, break and continue", "[template]") {
    CHECK(text("{{ range .L }}[{{ . }}]{{ end }}", data()) == "[a][b][c]");
    CHECK(text("{{ range $i, $v := .L }}{{ $i }}={{ $v }} {{ end }}", data()) == "0=a 1=b 2=c ");
    CHECK(text("{{ range $v := .L }}{{ $v }}{{ end }}", data()) == "abc");
    CHECK(text("{{ range $k, $v := .M }}{{ $k }}:{{ $v }};{{ end }}", data()) == "a:1;b:2;");
    CHECK(text("{{ range .Nope }}x{{ else }}empty{{ end }}", data()) == "empty");
    CHECK(text("{{ range 3 }}{{ . }}{{ end }}") == "012");
    CHECK(text("{{ range .L }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", data()) == "a");
    CHECK(text("{{ range .L }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", data()) == "ac");
    CHECK(text("{{ range .U.Tags }}{{ $.Name }}{{ . }}{{ end }}", data()) == "AnnxAnny");
}

TEST_CASE("grammar: define, template, block", "[template]") {
    tidings::kernel::tmpl::TemplateBuilder b(Mode::Text);
    b.add("base", R"({{ define "row" }}<{{ . }}>{{ end }}{{ range .L }}{{ template "row" . }}{{ end }}|{{ template "none" }}|{{ block "b" .Name }}[{{ . }}]{{ end }})");
    b.add("none", "static");
    auto t = b.build("base");
    CHECK(t.render(data()) == "<a><b><c>|static|[Ann]");
    CHECK(t.render("row", Value("x")) == "<x>");
    CHECK(t.has("row"));
    // A later definition replaces the block's default body.
    b.add("override", R"({{ define "b" }}({{ . }}){{ end }})");
    CHECK(b.build("base").render(data()) == "<a><b><c>|static|(Ann)");
}

TEST_CASE("grammar: comments and trim markers", "[template]") {
    CHECK(text("a  {{- /* c */ -}}  b") == "ab");
    CHECK(text("a {{/* c */}} b") == "a  b");
    CHECK(text("x\n  {{- 1 }}  \n{{ 2 -}}\n y") == "x1  \n2y");
    CHECK(text("{{ 3 }} {{- 4 }}") == "34");
    CHECK(text("{{-3}}") == "-3");
    CHECK(text("{{ 1 -}}\n\n\t{{ 2 }}") == "12");
}

TEST_CASE("grammar: parse errors carry name, line and column", "[template]") {
    auto err = [](const std::string& src) {
        try {
            Template::compile("tpl", src, Mode::Html);
        } catch (const TemplateError& e) {
            return std::to_string(e.line()) + ":" + std::to_string(e.column()) + " " + e.message();
        }
        return std::string("no error");
    };
    CHECK(err("line one\n  {{ nosuch .X }}") == "2:6 function \"nosuch\" not defined");
    CHECK(err("a\nb {{ if .X }}open") == "2:3 unexpected EOF: {{if}} has no {{end}}");
    CHECK(err("{{ .X ") == "1:1 unclosed action");
    CHECK(err("x\n{{ end }}") == "2:1 unexpected {{end}}");
    CHECK(err("{{ $y }}") == "1:4 undefined variable \"$y\"");
    CHECK(err("{{ \"abc }}") == "1:4 unterminated quoted string");
    CHECK(err("{{ break }}") == "1:1 {{break}} outside {{range}}");
    CHECK(err("{{ /* x */ }}") == "1:4 unexpected \"/\" in command");  // a comment must touch the delimiter
    CHECK(err("{{ 1 | }}") == "1:6 missing command after |");
    CHECK(err("{{ .A | 3 }}") == "1:9 non executable command in pipeline stage 2");
    CHECK(err("{{ 3x }}") == "1:4 bad number syntax: \"3x\"");
    CHECK(err("{{ ( .X }}") .find("paren") != std::string::npos);
    try {
        Template::compile("named", "\n\n   {{ .A.B.C 1 ) }}");
        FAIL("no error");
    } catch (const TemplateError& e) {
        CHECK(std::string(e.what()).rfind("template: named:3:", 0) == 0);
    }
}

TEST_CASE("grammar: execution errors", "[template]") {
    auto rec = Value::record({{"Name", "x"}});
    CHECK_THROWS_WITH(text("{{ .Nmae }}", rec), Catch::Contains("can't evaluate field Nmae"));
    CHECK_THROWS_WITH(text("{{ .Name.X }}", rec), Catch::Contains("can't evaluate field X in type string"));
    CHECK_THROWS_WITH(text("{{ index .L 9 }}", data()), Catch::Contains("index out of range"));
    CHECK_THROWS_WITH(text("{{ template \"nope\" }}"), Catch::Contains("no such template"));
    CHECK_THROWS_WITH(text("{{ .Name 1 }}", data()), Catch::Contains("can't give argument to non-function"));
    CHECK_THROWS_AS(Template::compile("t", "x").render("absent", Value()), TemplateError);
}
