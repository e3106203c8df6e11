// bounce-lettermint's signature header and body reading.
#include <catch2/catch.hpp>

#include <string>

#include <tidings/bounce_support/crypto.hpp>
#include <tidings/bounce_support/encoding.hpp>

#include "payload.hpp"
#include "signature.hpp"

using namespace tidings::lettermint;
namespace sdk = tidings::sdk::v1;
namespace support = tidings::bounce_support;

TEST_CASE("bounce-lettermint: signature headers are parsed strictly", "[lettermint]") {
    const auto parsed = parseSignatureHeader(" v1=00FF , t=1700000000,x=y");
    REQUIRE(parsed);
    CHECK(parsed->timestamp == 1700000000);
    CHECK(parsed->digest == std::string("\x00\xff", 2));
    CHECK_FALSE(parseSignatureHeader("t=1700000000"));
    CHECK_FALSE(parseSignatureHeader("v1=00ff"));
    CHECK_FALSE(parseSignatureHeader("t=soon,v1=00ff"));
    CHECK_FALSE(parseSignatureHeader("t=-5,v1=00ff"));
    CHECK_FALSE(parseSignatureHeader("t=1700000000,v1=zz"));
    CHECK_FALSE(parseSignatureHeader(""));
}

TEST_CASE("bounce-lettermint: the signature covers the timestamp and the body", "[lettermint]") {
    const std::string body = R"({"event":"message.hard_bounced"})";
    SignatureHeader header{1700000000, support::hmacSha256("key", "1700000000." + body)};
    CHECK(signatureMatches(header, "key", body));
    CHECK_FALSE(signatureMatches(header, "other", body));
    CHECK_FALSE(signatureMatches(header, "key", body + " "));
    header.timestamp += 1;
    CHECK_FALSE(signatureMatches(header, "key", body));
}

TEST_CASE("bounce-lettermint: events map to bounce types and other events carry none", "[lettermint]") {
    CHECK(classify("message.hard_bounced") == sdk::BounceType::Hard);
    CHECK(classify("message.soft_bounced") == sdk::BounceType::Soft);
    CHECK(classify("message.spam_complaint") == sdk::BounceType::Complaint);
    CHECK_FALSE(classify("message.delivered").has_value());
    CHECK_FALSE(classify("webhook.test").has_value());

    ParsedDelivery delivery;
    REQUIRE(parseDelivery(R"({"id": "d1", "event": "message.soft_bounced", "timestamp": "2025-08-08T20:59:22Z",
        "data": {"recipient": "A@Example.com", "metadata": {"x-listmonk-campaign": "c-uuid"}}})", delivery));
    REQUIRE(delivery.event);
    CHECK(delivery.delivery_id == "d1");
    CHECK(delivery.event->email == "a@example.com");
    CHECK(delivery.event->campaign_uuid == "c-uuid");
    CHECK(delivery.event->type == sdk::BounceType::Soft);

    REQUIRE(parseDelivery(R"({"id": "t", "event": "webhook.test"})", delivery));
    CHECK_FALSE(delivery.event);
    CHECK_FALSE(parseDelivery(R"({"id": "d2", "event": "message.hard_bounced", "data": {}})", delivery));
    CHECK_FALSE(parseDelivery(R"({"event": "message.hard_bounced"})", delivery));
    CHECK_FALSE(parseDelivery("[]", delivery));
}
