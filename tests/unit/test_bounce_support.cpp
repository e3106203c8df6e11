// The helpers every bounce provider plugin verifies and parses with (plugins/bounce-support):
// strict encodings, RFC 3339 as providers write it, HMAC and constant-time comparison.
#include <catch2/catch.hpp>

#include <vector>

#include <tidings/bounce_support/crypto.hpp>
#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/timestamps.hpp>

namespace support = tidings::bounce_support;
using namespace std::chrono;

namespace {

std::int64_t micros(const std::optional<support::sdk::Timestamp>& t) { return t->time_since_epoch().count(); }

}  // namespace

TEST_CASE("base64 round-trips and refuses anything but exact standard base64", "[bounce_support]") {
    for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
        CHECK(support::base64Decode(support::base64Encode(s)) == s);
    }
    CHECK(support::base64Encode("foobar") == "Zm9vYmFy");
    CHECK(support::base64Encode("fo") == "Zm8=");
    CHECK_FALSE(support::base64Decode("Zm8"));        // missing padding
    CHECK_FALSE(support::base64Decode("Zm8=Zm8="));   // padding in the middle
    CHECK_FALSE(support::base64Decode("Zm 8="));      // whitespace
    CHECK_FALSE(support::base64Decode("Zm-_"));       // URL alphabet
    CHECK_FALSE(support::base64Decode("===="));
}

TEST_CASE("hex decodes either case and nothing else", "[bounce_support]") {
    CHECK(support::toHex("\x01\xab") == "01ab");
    CHECK(support::fromHex("01AB") == std::string("\x01\xab"));
    CHECK_FALSE(support::fromHex("abc"));
    CHECK_FALSE(support::fromHex("zz"));
}

TEST_CASE("RFC 3339 as SNS, Postmark and Forward Email write it", "[bounce_support]") {
    const auto base = micros(support::parseRfc3339("2019-11-05T16:33:54Z"));
    CHECK(base == duration_cast<microseconds>(sys_days(year{2019} / 11 / 5).time_since_epoch() + hours(16) +
                                              minutes(33) + seconds(54))
                      .count());
    CHECK(micros(support::parseRfc3339("2019-11-05T16:33:54.9070259Z")) == base + 907025);
    CHECK(micros(support::parseRfc3339("2019-11-05T16:33:54.5Z")) == base + 500000);
    CHECK(micros(support::parseRfc3339("2019-11-05T18:33:54+02:00")) == base);
    CHECK(micros(support::parseRfc3339("2019-11-05 16:33:54z")) == base);
    for (const char* bad : {"2019-11-05T16:33:54", "2019-02-30T00:00:00Z", "2019-11-05T24:00:00Z", "yesterday",
                            "2019-11-05T16:33:54.Z", "2019-11-05T16:33:54Z trailing", ""}) {
        INFO(bad);
        CHECK_FALSE(support::parseRfc3339(bad));
    }
    CHECK(support::parseInteger("1513299569") == 1513299569);
    CHECK_FALSE(support::parseInteger("15e3"));
    CHECK_FALSE(support::parseInteger(""));
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 and comparison needs equal lengths", "[bounce_support]") {
    CHECK(support::toHex(support::hmacSha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(support::constantTimeEquals("abc", "abc"));
    CHECK_FALSE(support::constantTimeEquals("abc", "abd"));
    CHECK_FALSE(support::constantTimeEquals("abc", "abcd"));
    CHECK_FALSE(support::publicKeyFromDer("not a key"));
}
