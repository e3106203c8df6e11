#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include "kernel/core/json_writer.hpp"

using namespace tidings::kernel;

TEST_CASE("JsonWriter produces valid, escaped JSON", "[json]") {
    JsonWriter w;
    w.beginObject();
    w.key("s").value("quote\" backslash\\ newline\n tab\t ctrl\x01 é");
    w.key("n").value(std::int64_t{-42});
    w.key("b").value(true);
    w.key("z").null();
    w.key("raw").raw("{\"a\":[1,2]}");
    w.key("list").strings({"x", "y"});
    w.key("empty").beginArray().endArray();
    w.endObject();
    Poco::JSON::Parser parser;
    auto obj = parser.parse(w.str()).extract<Poco::JSON::Object::Ptr>();
    CHECK(obj->getValue<std::string>("s") == "quote\" backslash\\ newline\n tab\t ctrl\x01 é");
    CHECK(obj->getValue<int>("n") == -42);
    CHECK(obj->getArray("list")->size() == 2);
    CHECK(obj->getObject("raw")->getArray("a")->size() == 2);
}

TEST_CASE("invalid UTF-8 is replaced, so output stays valid JSON", "[json]") {
    std::string out;
    appendJsonEscaped(out, std::string("a\xff\xc3(b"));
    CHECK(out == "a\xEF\xBF\xBD\xEF\xBF\xBD(b");
}

TEST_CASE("timestamps are RFC 3339 UTC with microseconds", "[json]") {
    using namespace std::chrono;
    tidings::sdk::v1::Timestamp t = sys_days{year{2024} / 1 / 15} + hours{10} + minutes{30} + seconds{5} + microseconds{42};
    CHECK(formatTimestamp(t) == "2024-01-15T10:30:05.000042Z");
}

TEST_CASE("an unset optional is written as null, a set one as its value", "[json]") {
    tidings::kernel::JsonWriter w;
    w.beginObject();
    w.key("a").value(std::optional<std::int64_t>{});
    w.key("b").value(std::optional<std::int64_t>{7});
    w.key("c").value(std::optional<std::string>{"x"});
    w.endObject();
    CHECK(w.str() == R"({"a":null,"b":7,"c":"x"})");
}
