#include <catch2/catch.hpp>

#include "kernel/core/email.hpp"

using namespace tidings::kernel;

TEST_CASE("normaliseEmail trims and lower-cases valid addresses", "[email]") {
    CHECK(normaliseEmail("  John.Doe@Example.COM ") == std::optional<std::string>("john.doe@example.com"));
    CHECK(normaliseEmail("a+tag@sub.example.org") == std::optional<std::string>("a+tag@sub.example.org"));
    CHECK(normaliseEmail("o'brien@example.ie").has_value());
    CHECK(normaliseEmail("user@xn--bcher-kva.example").has_value());
}

TEST_CASE("normaliseEmail rejects what is not a bare mailbox", "[email]") {
    for (const char* bad : {"", "   ", "plain", "@example.com", "user@", "user@localhost", "user@@example.com",
                            "John <john@example.com>", "john@example..com", ".john@example.com",
                            "john.@example.com", "jo..hn@example.com", "john@-example.com", "john@example-.com",
                            "john doe@example.com", "john@exa mple.com", "john@[127.0.0.1]",
                            "john@exa\nmple.com", "john@example.com;DROP"}) {
        INFO(bad);
        CHECK_FALSE(normaliseEmail(bad).has_value());
    }
    CHECK_FALSE(normaliseEmail(std::string(995, 'a') + "@example.com").has_value());
}

TEST_CASE("nameFromEmail derives listmonk's default name", "[email]") {
    CHECK(nameFromEmail("john.doe@example.com") == "John Doe");
    CHECK(nameFromEmail("jane_smith-jones@example.com") == "Jane Smith Jones");
    CHECK(nameFromEmail("x@example.com") == "X");
}

TEST_CASE("domainMatches supports exact and one-level wildcard rules", "[email]") {
    CHECK(domainMatches("example.com", "example.com"));
    CHECK_FALSE(domainMatches("mail.example.com", "example.com"));
    CHECK(domainMatches("mail.example.com", "*.example.com"));
    CHECK(domainMatches("example.com", "*.example.com"));
    CHECK_FALSE(domainMatches("a.b.example.com", "*.example.com"));
    CHECK_FALSE(domainMatches("badexample.com", "*.example.com"));
}
