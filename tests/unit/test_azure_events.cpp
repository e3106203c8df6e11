// bounce-azure's reading of Event Grid bodies: how delivery-report statuses become bounce types,
// the validation handshake, and which malformed batches are refused whole.
#include <catch2/catch.hpp>

#include <string>

#include "events.hpp"

using namespace tidings::azure;
namespace sdk = tidings::sdk::v1;

namespace {

std::string report(const std::string& status, const std::string& recipient = "Someone@Example.COM") {
    return R"({"id": "e1", "eventType": "Microsoft.Communication.EmailDeliveryReportReceived",
 "eventTime": "2024-03-14T09:26:54Z", "data": {"recipient": ")" + recipient + R"(", "status": ")" + status +
           R"(", "deliveryStatusDetails": {"statusMessage": "550 5.1.1 unknown"}}})";
}

}  // namespace

TEST_CASE("bounce-azure: statuses that are always hard or never bounces", "[azure]") {
    CHECK(classify("Bounced", "") == sdk::BounceType::Hard);
    CHECK(classify(" suppressed ", "anything") == sdk::BounceType::Hard);
    CHECK_FALSE(classify("Delivered", "550 5.1.1").has_value());
    CHECK_FALSE(classify("Expanded", "").has_value());
    CHECK_FALSE(classify("SomethingNew", "550 5.1.1").has_value());
}

TEST_CASE("bounce-azure: Failed is classified by the enhanced status code, then by wording", "[azure]") {
    CHECK(classify("Failed", "550 5.1.1 Recipient rejected") == sdk::BounceType::Hard);
    CHECK(classify("FAILED", "451 4.4.7 expired") == sdk::BounceType::Soft);
    // A code must stand alone: 5.1.10 is not 5.1.1, and wording decides instead.
    CHECK(classify("Failed", "status 5.1.10 temporary trouble") == sdk::BounceType::Soft);
    CHECK(classify("Failed", "Mailbox full") == sdk::BounceType::Soft);
    CHECK(classify("Failed", "Connection timeout") == sdk::BounceType::Soft);
    CHECK(classify("Failed", "The address does not exist") == sdk::BounceType::Hard);
    CHECK(classify("Failed", "Unknown user") == sdk::BounceType::Hard);
    CHECK(classify("Failed", "") == sdk::BounceType::Soft);
}

TEST_CASE("bounce-azure: filtered and quarantined mail is a complaint only when the message says so", "[azure]") {
    CHECK(classify("FilteredSpam", "Spam complaint received") == sdk::BounceType::Complaint);
    CHECK(classify("Quarantined", "reported as abuse") == sdk::BounceType::Complaint);
    CHECK(classify("FilteredSpam", "looked like spam") == sdk::BounceType::Soft);
    CHECK(classify("Quarantined", "") == sdk::BounceType::Soft);
}

TEST_CASE("bounce-azure: the validation handshake yields its code", "[azure]") {
    std::string code;
    REQUIRE(parseValidation(R"([{"data": {"validationCode": " abc-123 "}}])", code));
    CHECK(code == "abc-123");
    CHECK_FALSE(parseValidation(R"({"data": {"validationCode": "abc"}})", code));
    CHECK_FALSE(parseValidation("[]", code));
    CHECK_FALSE(parseValidation(R"([{"data": {}}])", code));
}

TEST_CASE("bounce-azure: a notification yields the bounces it reports, or nothing at all", "[azure]") {
    ParsedBatch batch;
    REQUIRE(parseNotification("[" + report("Bounced") + "," + report("Delivered") +
                                  R"(, {"id": "x", "eventType": "Microsoft.Storage.BlobCreated", "data": {}}])",
                              batch));
    REQUIRE(batch.events.size() == 1);
    CHECK(batch.events[0].email == "someone@example.com");
    CHECK(batch.events[0].type == sdk::BounceType::Hard);
    CHECK(batch.events[0].source == "azure");
    CHECK(batch.events[0].campaign_uuid.empty());
    // Without an attempt time, the event's time stands in.
    REQUIRE(batch.events[0].created_at);
    CHECK(*batch.events[0].created_at == batch.event_times[0]);
    CHECK(batch.delivery_id == "e1");

    auto status = parseNotification("[" + report("Bounced") + "," + report("Bounced", "") + "]", batch);
    CHECK(status.code() == sdk::StatusCode::Invalid);
    CHECK_THAT(status.message(), Catch::Contains("[1].data.recipient"));
    CHECK(batch.events.empty());
    CHECK_FALSE(parseNotification("{}", batch));
    CHECK_FALSE(parseNotification("[1]", batch));
}
