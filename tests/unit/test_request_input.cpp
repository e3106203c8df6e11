#include <catch2/catch.hpp>

#include "kernel/http/form.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"

using namespace tidings::kernel;
namespace sdk = tidings::sdk::v1;

namespace {

sdk::Request jsonRequest(std::string body) {
    sdk::Request rq;
    rq.headers = {{"content-type", "application/json"}};
    rq.body = std::move(body);
    return rq;
}

int statusOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const HttpError& e) {
        return e.status();
    }
    return 0;
}

}  // namespace

TEST_CASE("form decoding", "[input]") {
    auto pairs = parseUrlEncoded("email=a%40b.com&name=John+Doe&l=1&l=2&bad=%zz&empty=");
    REQUIRE(pairs.size() == 6);
    CHECK(pairs[0] == std::pair<std::string, std::string>{"email", "a@b.com"});
    CHECK(pairs[1].second == "John Doe");
    CHECK(pairs[4].second == "%zz");
    CHECK(pairs[5].second.empty());
}

TEST_CASE("JSON bodies: typed fields with errors naming the field", "[input]") {
    auto obj = bodyObject(jsonRequest(R"({"email": 5, "name": "x", "lists": [1, "2"], "attribs": [], "flag": "true"})"));
    CHECK(statusOf([&] { optString(*obj, "email"); }) == 400);
    CHECK(optString(*obj, "name") == std::optional<std::string>("x"));
    CHECK(optIds(*obj, "lists") == std::optional<std::vector<std::int64_t>>({1, 2}));
    CHECK(statusOf([&] { optObjectJson(*obj, "attribs"); }) == 400);
    CHECK(optBool(*obj, "flag") == std::optional<bool>(true));
    CHECK_FALSE(optString(*obj, "missing").has_value());
    try {
        optString(*obj, "email");
    } catch (const HttpError& e) {
        CHECK(std::string(e.what()).rfind("email:", 0) == 0);
    }
}

TEST_CASE("malformed bodies are 400", "[input]") {
    CHECK(statusOf([] { bodyObject(jsonRequest("{\"email\": ")); }) == 400);
    CHECK(statusOf([] { bodyObject(jsonRequest("[1,2]")); }) == 400);
    CHECK(bodyObject(jsonRequest(""))->size() == 0);
    auto lists = bodyObject(jsonRequest(R"({"lists": [0]})"));
    CHECK(statusOf([&] { optIds(*lists, "lists"); }) == 400);
}

TEST_CASE("form bodies become objects, repeated keys become arrays", "[input]") {
    sdk::Request rq;
    rq.headers = {{"content-type", "application/x-www-form-urlencoded"}};
    rq.body = "email=a%40b.com&l=u1&l=u2";
    auto obj = bodyObject(rq);
    CHECK(optString(*obj, "email") == std::optional<std::string>("a@b.com"));
    CHECK(optStrings(*obj, "l") == std::optional<std::vector<std::string>>({"u1", "u2"}));
}

TEST_CASE("paging and ordering parameters", "[input]") {
    sdk::Request rq;
    rq.query = {{"page", "3"}, {"per_page", "all"}, {"order", "DESC"}};
    auto page = pageParams(rq);
    CHECK(page.page == 3);
    CHECK(page.per_page == 0);
    CHECK(orderParam(rq, sdk::SortOrder::Asc) == sdk::SortOrder::Desc);
    rq.query = {{"per_page", "-5"}, {"order", "sideways"}};
    CHECK(pageParams(rq).per_page == 20);
    CHECK(statusOf([&] { orderParam(rq, sdk::SortOrder::Asc); }) == 400);
    rq.query = {{"page", "x"}};
    CHECK(statusOf([&] { pageParams(rq); }) == 400);
    rq.query = {{"id", "1"}, {"id", "2,3"}};
    CHECK(queryIds(rq, "id") == std::vector<sdk::Id>{1, 2, 3});
    rq.query = {{"id", "1;DROP"}};
    CHECK(statusOf([&] { queryIds(rq, "id"); }) == 400);
}
