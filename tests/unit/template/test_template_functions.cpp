// Go's built-in functions, fmt verbs and the Sprig subset.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace tpltest;
using tidings::kernel::TemplateError;

TEST_CASE("functions: comparison and logic", "[template][functions]") {
    CHECK(text(R"({{ eq 1 1 }} {{ eq "a" "b" "a" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1 2 }})") ==
          "true true true true true true false");
    CHECK(text("{{ eq 2 2.0 }} {{ lt 1 1.5 }}") == "true true");  // Go would refuse int vs float.
    CHECK(text(R"({{ and 1 "x" }} {{ and 1 0 "x" }} {{ or 0 "" "y" }} {{ or 0 "" }} {{ not 0 }})") == "x 0 y  true");
    // and/or stop at the deciding argument: the failing call is never made.
    CHECK(text("{{ and false (index .L 99) }}", Value::map({{"L", Value::list({})}})) == "false");
    CHECK(text("{{ or true (index .L 99) }}", Value::map({{"L", Value::list({})}})) == "true");
    CHECK_THROWS_WITH(text(R"({{ eq 1 "a" }})"), Catch::Contains("incompatible types"));
}

TEST_CASE("functions: len, index, slice, print family", "[template][functions]") {
    Value d = Value::map({{"L", Value::list({"a", "b", "c"})}, {"M", Value::map({{"k", "v"}})}, {"S", "héllo"}});
    CHECK(text("{{ len .L }} {{ len .M }} {{ len .S }}", d) == "3 1 6");
    CHECK(text(R"({{ index .L 1 }} {{ index .M "k" }} {{ index .M "x" }})", d) == "b v <no value>");
    CHECK(text("{{ slice .L 1 }} {{ slice .L 1 2 }} {{ slice \"abcdef\" 2 4 }}", d) == "[b c] [b] cd");
    CHECK(text(R"({{ print 1 2 "a" "b" 3 }}|{{ println 1 "a" }}|)") == "1 2ab3|1 a\n|");
    CHECK(text(R"({{ html "<a href='x'>" }} {{ js "it's <b>" }} {{ urlquery "a b&c" }})") ==
          "&lt;a href=&#39;x&#39;&gt; it\\'s \\u003Cb\\u003E a+b%26c");
}

TEST_CASE("functions: printf verbs", "[template][functions]") {
    CHECK(text(R"({{ printf "%s|%d|%v|%q|%t|%%" "a" 42 1.5 "q\"" true }})") == "a|42|1.5|\"q\\\"\"|true|%");
    CHECK(text(R"({{ printf "%.2f|%5.1f|%-4d|%04d|%x|%X|%x" 3.14159 2.0 7 42 255 255 "hi" }})") ==
          "3.14|  2.0|7   |0042|ff|FF|6869");
    CHECK(text(R"({{ printf "%d" "x" }}|{{ printf "%d %d" 1 }}|{{ printf "%d" 1 2 }})") ==
          "%!d(string=x)|1 %!d(MISSING)|1%!(EXTRA int=2)");
    CHECK(text(R"({{ printf "%v %v %v" .L .M nil }})",
               Value::map({{"L", Value::list({1, "a"})}, {"M", Value::map({{"b", 2}, {"a", true}})}})) ==
          "[1 a] map[a:true b:2] <nil>");
    CHECK(text(R"({{ printf "%e %g" 1234.5678 0.000012 }})") == "1.234568e+03 1.2e-05");
}

TEST_CASE("functions: Sprig strings", "[template][functions]") {
    CHECK(text(R"({{ upper "abc" }} {{ lower "ABC" }} {{ title "hello wide world" }} {{ trim "  x  " }})") ==
          "ABC abc Hello Wide World x");
    CHECK(text(R"({{ trimPrefix "ab" "abc" }} {{ trimSuffix "bc" "abc" }} {{ trimAll "$" "$5.00$" }})") == "c a 5.00");
    CHECK(text(R"({{ contains "ell" "hello" }} {{ hasPrefix "he" "hello" }} {{ hasSuffix "lo" "hello" }})") ==
          "true true true");
    CHECK(text(R"({{ replace "a" "o" "banana" }} {{ repeat 3 "ab" }} {{ nospace "a b  c" }})") == "bonono ababab abc");
    CHECK(text(R"({{ substr 1 3 "hello" }} {{ trunc 3 "hello" }} {{ trunc -2 "hello" }} {{ abbrev 8 "hello world" }})") ==
          "el hel lo hello...");
    CHECK(text(R"({{ "hello world" | upper | trunc 5 }})") == "HELLO");
    CHECK(text(R"({{ quote "a" "b" }} {{ squote "a" }} {{ cat "a" 1 "b" }})") == "\"a\" \"b\" 'a' a 1 b");
    CHECK(text(R"({{ join ", " (splitList "," "a,b,c") }} {{ (split "," "x,y")._1 }})") == "a, b, c y");
    CHECK(text(R"({{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }} {{ initials "Ann Bee" }})") == "aGVsbG8= hello AB");
}

TEST_CASE("functions: Sprig defaults, conversion, math, lists, dicts", "[template][functions]") {
    Value d = Value::map({{"Empty", ""}, {"Name", "Ann"}, {"Zero", 0}});
    CHECK(text(R"({{ .Empty | default "anon" }} {{ .Name | default "anon" }} {{ .Missing | default "m" }})", d) ==
          "anon Ann m");
    CHECK(text(R"({{ empty .Empty }} {{ empty .Name }} {{ coalesce .Empty .Zero .Name }})", d) == "true false Ann");
    CHECK(text(R"({{ ternary "y" "n" true }} {{ true | ternary "y" "n" }})") == "y y");
    CHECK(text(R"({{ toString 12 }} {{ atoi "42" }} {{ int "7" }} {{ int 3.9 }} {{ float64 "1.5" }})") == "12 42 7 3 1.5");
    CHECK(text("{{ add 1 2 3 }} {{ sub 5 7 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 9 3 }} {{ min 4 2 8 }} {{ add1 1 }}") ==
          "6 -2 24 3 1 9 2 2");
    CHECK_THROWS_WITH(text("{{ div 1 0 }}"), Catch::Contains("divide by zero"));
    CHECK(text(R"({{ $l := list 1 "a" 3 }}{{ first $l }} {{ last $l }} {{ len $l }} {{ rest $l }})") == "1 3 3 [a 3]");
    CHECK(text(R"({{ $d := dict "b" 2 "a" 1 }}{{ $d.a }} {{ get $d "b" }} {{ hasKey $d "c" }} {{ keys $d }})") ==
          "1 2 false [a b]");
    CHECK(text(R"({{ toJson (dict "a" (list 1 "x<") "b" nil) }})") == R"({"a":[1,"x\u003c"],"b":null})");
}

TEST_CASE("functions: dates with Go layouts", "[template][functions]") {
    Value d = Value::map({{"T", "2024-03-05T14:07:09.5Z"}, {"U", 0}});
    CHECK(text(R"({{ date "2006-01-02 15:04:05" .T }})", d) == "2024-03-05 14:07:09");
    CHECK(text(R"({{ date "Mon, 02 Jan 2006 3:04PM MST" .T }})", d) == "Tue, 05 Mar 2024 2:07PM UTC");
    CHECK(text(R"({{ date "January 2, 06 .000 Z07:00" .T }})", d) == "March 5, 24 .500 Z");
    CHECK(text(R"({{ date "2006-01-02" .U }})", d) == "1970-01-01");
    CHECK(text(R"({{ now | date "2006" | len }})") == "4");
}

TEST_CASE("functions: the caller's table extends and overrides, unknown names fail at compile", "[template][functions]") {
    FunctionTable f = FunctionTable::builtins();
    f.add("Safe", [](std::span<const Value> a) { return Value::safeHtml(a[0].str()); });
    f.add("upper", [](std::span<const Value>) { return Value("overridden"); });
    auto t = Template::compile("t", R"({{ Safe "<b>x</b>" }} {{ upper "a" }})", Mode::Html, f);
    CHECK(t.render(Value()) == "<b>x</b> overridden");
    CHECK_THROWS_WITH(Template::compile("t", "{{ Safe 1 }}"), Catch::Contains("function \"Safe\" not defined"));
    f.add("Boom", [](std::span<const Value>) -> Value { throw std::runtime_error("kaput"); });
    CHECK_THROWS_WITH(Template::compile("t", "\n {{ Boom }}", Mode::Html, f).render(Value()),
                      Catch::Contains("t:2:5") && Catch::Contains("error calling Boom: kaput"));
}
