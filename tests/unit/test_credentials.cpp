#include <catch2/catch.hpp>

#include <set>

#include "kernel/auth/credentials.hpp"

using namespace tidings::kernel;

TEST_CASE("passwords hash with a salt and verify", "[auth]") {
    std::string a = hashPassword("correct horse battery");
    std::string b = hashPassword("correct horse battery");
    CHECK(a != b);  // salted
    CHECK(a.rfind("pbkdf2-sha256$", 0) == 0);
    CHECK(verifyPassword("correct horse battery", a));
    CHECK_FALSE(verifyPassword("correct horse batterY", a));
    CHECK_FALSE(verifyPassword("", a));
}

TEST_CASE("malformed stored hashes never verify", "[auth]") {
    for (const char* stored : {"", "plain", "pbkdf2-sha256$", "pbkdf2-sha256$x$abc$def", "pbkdf2-sha256$1$@@@$###",
                               "sha256$abcdef", "pbkdf2-sha256$0$AAAA$AAAA"}) {
        INFO(stored);
        CHECK_FALSE(verifyPassword("anything", stored));
    }
}

TEST_CASE("tokens are random alphanumerics and digests are stable", "[auth]") {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        std::string t = randomToken();
        CHECK(t.size() == 48);
        for (char c : t) CHECK(std::isalnum(static_cast<unsigned char>(c)));
        seen.insert(t);
    }
    CHECK(seen.size() == 50);
    CHECK(tokenDigest("abc") == "sha256$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(constantTimeEquals("abc", "abc"));
    CHECK_FALSE(constantTimeEquals("abc", "abd"));
    CHECK_FALSE(constantTimeEquals("abc", "abcd"));
}
