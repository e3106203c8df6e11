// The JSON text check every request body and imported attribute passes before it is parsed.
#include <catch2/catch.hpp>

#include "kernel/core/json_check.hpp"

using tidings::kernel::checkJsonText;

namespace {

// "where: reason" of the problem, or "" when the text is acceptable.
std::string problemOf(std::string_view text, bool object_only = false, int max_depth = 64) {
    const auto p = checkJsonText(text, object_only, max_depth);
    return p ? p->where + ": " + p->reason : "";
}

}  // namespace

TEST_CASE("json check: acceptable text", "[json]") {
    for (const char* ok : {R"({"a": [1, -2, 3.5, 1e3, true, null, "x"]})", "[]", "\"text\"", "0",
                           "9223372036854775807", "-9223372036854775808", R"({"é": "\u00e9 \ud83d\ude00"})"}) {
        INFO(ok);
        CHECK_FALSE(checkJsonText(ok, false));
    }
}

TEST_CASE("json check: NUL characters are named by the path to them", "[json]") {
    CHECK(problemOf(R"({"name": "a\u0000b"})") == "name: must not contain NUL characters");
    CHECK(problemOf(R"({"attribs": {"city": "x\u0000"}})") == "attribs.city: must not contain NUL characters");
    CHECK(problemOf(R"({"attribs": {"tags": ["a", "\u0000"]}})") == "attribs.tags[1]: must not contain NUL characters");
    // A NUL in a member name is named by the object holding it.
    CHECK(problemOf(R"({"attribs": {"k\u0000": 1}})") == "attribs: must not contain NUL characters");
    CHECK(problemOf(std::string("{\"name\": \"a\0b\"}", 14)) == "name: must not contain NUL characters");
    const auto p = checkJsonText(R"({"name": "a\u0000b"})", false);
    REQUIRE(p);
    CHECK_FALSE(p->syntax);
}

TEST_CASE("json check: invalid UTF-8 and lone surrogates", "[json]") {
    CHECK(problemOf("{\"name\": \"bad \xC0\xAF\"}") == "name: must be valid UTF-8");
    CHECK(problemOf("{\"name\": \"\xF4\x90\x80\x80\"}") == "name: must be valid UTF-8");
    CHECK(problemOf(R"({"name": "\udc00"})") == "name: unpaired surrogate in a JSON string");
}

TEST_CASE("json check: integers past 64 bits are refused, wherever they are", "[json]") {
    CHECK(problemOf(R"({"ids": [1, 9223372036854775808]})") == "ids[1]: integer out of range");
    CHECK(problemOf(R"({"ids": [18446744073709551621]})") == "ids[0]: integer out of range");
    CHECK(problemOf("-9223372036854775809") == ": integer out of range");
    // Floating-point forms are numbers of another kind, left to the field's own check.
    CHECK(problemOf("1e39") == "");
    CHECK(problemOf("1.5") == "");
}

TEST_CASE("json check: malformed text is a syntax problem", "[json]") {
    for (const char* bad : {"{", R"({"a" 1})", "[1,]", "tru", "\"open", "{} x", "01x"}) {
        INFO(bad);
        const auto p = checkJsonText(bad, false);
        REQUIRE(p);
        CHECK(p->syntax);
    }
    CHECK(checkJsonText("[1]", /*object_only=*/true));
    CHECK(checkJsonText("[[[1]]]", false, /*max_depth=*/2));
    CHECK_FALSE(checkJsonText("[[1]]", false, 2));
}
