// The request-head rules the HTTP server applies before dispatching: the request line's three
// parts, the version, and the framing headers.
#include <catch2/catch.hpp>

#include "kernel/http/request_head.hpp"

using namespace tidings::kernel;

namespace {

std::optional<HeadError> line(const std::string& text) {
    RequestLine out;
    return parseRequestLine(text, out);
}

std::optional<HeadError> fields(const std::vector<std::pair<std::string, std::string>>& headers,
                                std::optional<std::int64_t>* length = nullptr) {
    Poco::Net::MessageHeader h;
    for (const auto& [name, value] : headers) h.add(name, value);
    std::optional<std::int64_t> ignored;
    return checkFields(h, length ? *length : ignored);
}

}  // namespace

TEST_CASE("request line: well-formed ones are split into method, target and version", "[http]") {
    RequestLine out;
    REQUIRE_FALSE(parseRequestLine("GET /api/campaigns/2?x=1 HTTP/1.1", out));
    CHECK(out.method == "GET");
    CHECK(out.target == "/api/campaigns/2?x=1");
    CHECK(out.version == "HTTP/1.1");
    CHECK_FALSE(line("POST /api/subscribers HTTP/1.0"));
    CHECK_FALSE(line("OPTIONS * HTTP/1.1"));
    CHECK_FALSE(line("GET http://example.test/api/health HTTP/1.1"));
    CHECK_FALSE(line("PURGE /x HTTP/1.1"));  // an unknown method is a route question, not a syntax one
}

TEST_CASE("request line: extra parts, bad tokens and bad versions are 400", "[http]") {
    for (const char* bad : {"GET /api/campaigns/2 OR 1=1 HTTP/1.1", "GET /a HTTP/1.1 extra", "GET /a", "GET", "",
                            "G(T /a HTTP/1.1", "GET /a HTTP/1", "GET /a HTTP/1.10", "GET /a http/1.1", "GET /a HTTPS/1.1",
                            "GET /a HTTP/x.y", "GET\t/a HTTP/1.1", "GET /a\x01 HTTP/1.1", "GET a HTTP/1.1",
                            "GET * HTTP/1.1"}) {
        INFO(bad);
        auto e = line(bad);
        REQUIRE(e);
        CHECK(e->status == 400);
        CHECK_FALSE(e->message.empty());
    }
    CHECK_THAT(line("GET /api/campaigns/2 OR 1=1 HTTP/1.1")->message, Catch::Contains("5 parts"));
    CHECK_THAT(line("GET /a HTTP/1")->message, Catch::Contains("HTTP version"));
    CHECK_THAT(line("G(T /a HTTP/1.1")->message, Catch::Contains("method"));
}

TEST_CASE("request line: a well-formed version other than 1.0 and 1.1 is 505", "[http]") {
    for (const char* v : {"HTTP/9.9", "HTTP/2.0", "HTTP/0.9", "HTTP/1.2"}) {
        INFO(v);
        auto e = line(std::string("GET /a ") + v);
        REQUIRE(e);
        CHECK(e->status == 505);
        CHECK_THAT(e->message, Catch::Contains(v));
    }
}

TEST_CASE("request line: an over-long target is 414", "[http]") {
    auto e = line("GET /" + std::string(kMaxTargetBytes, 'a') + " HTTP/1.1");
    REQUIRE(e);
    CHECK(e->status == 414);
}

TEST_CASE("header fields: Content-Length must be digits that fit, once", "[http]") {
    std::optional<std::int64_t> length;
    CHECK_FALSE(fields({{"Content-Length", "1000"}}, &length));
    CHECK(length == 1000);
    CHECK_FALSE(fields({{"Content-Length", "0"}}, &length));
    CHECK(length == 0);
    CHECK_FALSE(fields({{"Content-Length", "9223372036854775807"}}, &length));
    CHECK_FALSE(fields({{"Content-Length", "5"}, {"content-length", "5"}}, &length));
    CHECK(length == 5);
    CHECK_FALSE(fields({{"Host", "x"}}, &length));
    CHECK_FALSE(length);
    for (const char* bad : {"1e3", "12345678901234567890", "9223372036854775808", "-1", "+5", " 5", "5 ", "", "0x10",
                            "5,5"}) {
        INFO(bad);
        auto e = fields({{"Content-Length", bad}});
        REQUIRE(e);
        CHECK(e->status == 400);
        CHECK_THAT(e->message, Catch::Contains("Content-Length"));
    }
    auto conflicting = fields({{"Content-Length", "5"}, {"Content-Length", "6"}});
    REQUIRE(conflicting);
    CHECK(conflicting->status == 400);
}

TEST_CASE("header fields: chunked alone, never with Content-Length, and names are tokens", "[http]") {
    CHECK_FALSE(fields({{"Transfer-Encoding", "chunked"}}));
    CHECK_FALSE(fields({{"Transfer-Encoding", "Chunked"}}));
    CHECK(fields({{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}})->status == 400);
    CHECK(fields({{"Transfer-Encoding", "gzip, chunked"}})->status == 501);
    CHECK(fields({{"Content-Length ", "5"}})->status == 400);
    CHECK(fields({{"X Header", "5"}})->status == 400);
}
