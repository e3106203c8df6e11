#include <catch2/catch.hpp>

#include "kernel/http/router.hpp"

using namespace tidings::kernel;
namespace sdk = tidings::sdk::v1;

namespace {

sdk::RouteSpec spec(const char* method, const char* pattern) {
    sdk::RouteSpec s;
    s.method = method;
    s.pattern = pattern;
    return s;
}

const sdk::RouteHandler noop = [](const sdk::Request&, sdk::Response&) {};

}  // namespace

TEST_CASE("router: parameters and literal precedence", "[router]") {
    Router r;
    REQUIRE(r.add(spec("GET", "/api/subscribers/:id"), noop, "t").ok());
    REQUIRE(r.add(spec("PUT", "/api/subscribers/lists"), noop, "t").ok());
    REQUIRE(r.add(spec("PUT", "/api/subscribers/:id"), noop, "t").ok());
    REQUIRE(r.add(spec("GET", "/subscription/:campaign/:subscriber"), noop, "t").ok());
    REQUIRE(r.add(spec("GET", "/subscription/optin/:subscriber"), noop, "t").ok());

    auto m = r.match("GET", "/api/subscribers/42");
    REQUIRE(m.route);
    CHECK(m.params == sdk::Pairs{{"id", "42"}});
    m = r.match("PUT", "/api/subscribers/lists");
    REQUIRE(m.route);
    CHECK(m.route->spec.pattern == "/api/subscribers/lists");
    m = r.match("GET", "/subscription/optin/abc");
    REQUIRE(m.route);
    CHECK(m.route->spec.pattern == "/subscription/optin/:subscriber");
    m = r.match("GET", "/subscription/c1/s1");
    REQUIRE(m.route);
    CHECK(m.params == sdk::Pairs{{"campaign", "c1"}, {"subscriber", "s1"}});
    CHECK(r.match("GET", "/api/subscribers/42/").route);  // trailing slash
}

TEST_CASE("router: unknown paths and wrong methods", "[router]") {
    Router r;
    REQUIRE(r.add(spec("GET", "/api/lists"), noop, "t").ok());
    REQUIRE(r.add(spec("POST", "/api/lists"), noop, "t").ok());
    auto m = r.match("DELETE", "/api/lists");
    CHECK_FALSE(m.route);
    CHECK(m.allowed_methods == std::vector<std::string>{"GET", "POST"});
    m = r.match("GET", "/api/nothing");
    CHECK_FALSE(m.route);
    CHECK(m.allowed_methods.empty());
    CHECK_FALSE(r.match("GET", "/api/lists/1").route);
}

TEST_CASE("router: duplicates and malformed routes are refused", "[router]") {
    Router r;
    REQUIRE(r.add(spec("GET", "/api/lists/:id"), noop, "kernel").ok());
    auto dup = r.add(spec("GET", "/api/lists/:listId"), noop, "plugin-x");
    CHECK(dup.code() == sdk::StatusCode::Conflict);
    CHECK(dup.message().find("kernel") != std::string::npos);
    CHECK(r.add(spec("POST", "/api/lists/:id"), noop, "t").ok());
    CHECK(r.add(spec("GET", "api/no-slash"), noop, "t").code() == sdk::StatusCode::Invalid);
    CHECK(r.add(spec("FETCH", "/x"), noop, "t").code() == sdk::StatusCode::Invalid);
}
