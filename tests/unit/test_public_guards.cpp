#include <catch2/catch.hpp>

#include "kernel/core/trusted_redirect.hpp"
#include "kernel/http/cors_policy.hpp"
#include "kernel/http/rate_limiter.hpp"

using namespace tidings::kernel;
namespace sdk = tidings::sdk::v1;

TEST_CASE("CORS allows configured origins and trusted URLs only", "[cors]") {
    std::vector<std::string> trusted{"https://app.example.com/landing?x=1"};
    CorsPolicy policy(R"(["https://example.com", "http://localhost:3000"])", [&] { return trusted; });
    CHECK(policy.allow("https://example.com") == std::optional<std::string>("https://example.com"));
    CHECK(policy.allow("https://EXAMPLE.com:443").has_value());
    CHECK(policy.allow("http://localhost:3000").has_value());
    CHECK(policy.allow("https://app.example.com").has_value());
    CHECK_FALSE(policy.allow("https://evil.example.com").has_value());
    CHECK_FALSE(policy.allow("http://example.com").has_value());
    CHECK_FALSE(policy.allow("null").has_value());
    trusted.clear();  // settings change applies live
    CHECK_FALSE(policy.allow("https://app.example.com").has_value());
}

TEST_CASE("a form's next is followed only to a trusted URL's exact text or the site's own origin", "[redirect]") {
    const std::vector<std::string> trusted{"https://example.org/thanks", " https://example.org/padded ", "*"};
    const std::string root = "https://News.Example.com/lists";
    auto follow = [&](const std::string& next) { return trustedRedirect(next, trusted, root).value_or("(none)"); };
    CHECK(follow("https://example.org/thanks") == "https://example.org/thanks");
    CHECK(follow("\thttps://example.org/thanks  ") == "https://example.org/thanks");
    CHECK(follow("https://example.org/padded") == "https://example.org/padded");
    CHECK(follow("https://news.example.com/welcome") == "https://news.example.com/welcome");
    CHECK(follow("HTTPS://NEWS.EXAMPLE.COM:443/a?b#c") == "HTTPS://NEWS.EXAMPLE.COM:443/a?b#c");
    for (const char* refused : {"", "   ", "https://example.org/thanks?x", "https://example.org/", "https://anywhere.example/",
                                "http://news.example.com/", "https://news.example.com:8443/", "https://news.example.com.evil.example/",
                                "https://news.example.com@evil.example/", "https://evil.example\\@news.example.com/",
                                "https://news.example.com/\r\nSet-Cookie: a=b", "//news.example.com/", "/welcome",
                                "javascript:alert(1)", "https:///evil.example/", "https://news.example.com:bad/"}) {
        INFO(refused);
        CHECK(follow(refused) == "(none)");
    }
    CHECK_FALSE(trustedRedirect("https://news.example.com/", {}, "not a url").has_value());
}

TEST_CASE("CORS preflight answers with headers only for allowed origins and methods", "[cors]") {
    CorsPolicy policy("https://example.com, https://b.example", [] { return std::vector<std::string>{}; });
    sdk::Request rq;
    rq.headers = {{"origin", "https://example.com"}, {"access-control-request-method", "POST"}};
    sdk::Response rs;
    policy.preflight(rq, {"POST"}, rs);
    CHECK(rs.status == 204);
    auto has = [&](const std::string& name) {
        return std::any_of(rs.headers.begin(), rs.headers.end(), [&](const auto& h) { return h.first == name; });
    };
    CHECK(has("Access-Control-Allow-Origin"));
    sdk::Response denied;
    rq.headers = {{"origin", "https://evil.example"}, {"access-control-request-method", "POST"}};
    policy.preflight(rq, {"POST"}, denied);
    CHECK(denied.status == 204);
    CHECK(std::none_of(denied.headers.begin(), denied.headers.end(),
                       [](const auto& h) { return h.first == "Access-Control-Allow-Origin"; }));
}

TEST_CASE("rate limiter allows a burst, then refuses with Retry-After", "[ratelimit]") {
    RateLimiter limiter(2.0, 3.0);
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) CHECK(limiter.take("1.2.3.4", t0).allowed);
    auto refused = limiter.take("1.2.3.4", t0);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after_seconds >= 1);
    CHECK(limiter.take("5.6.7.8", t0).allowed);  // other clients are unaffected
    CHECK(limiter.take("1.2.3.4", t0 + std::chrono::milliseconds(600)).allowed);  // refilled
}

TEST_CASE("a disabled rate limiter allows everything", "[ratelimit]") {
    RateLimiter limiter(0, 0);
    for (int i = 0; i < 1000; ++i) CHECK(limiter.take("x").allowed);
}

TEST_CASE("rate limiter memory stays bounded", "[ratelimit]") {
    RateLimiter limiter(1.0, 1.0, 100);
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 10000; ++i) limiter.take("client-" + std::to_string(i), t0);
    CHECK(limiter.take("fresh", t0).allowed);
}
