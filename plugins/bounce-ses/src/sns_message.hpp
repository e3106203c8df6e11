// The envelope Amazon SNS POSTs to an HTTP(S) subscriber, and the text its signature covers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <tidings/sdk/v1/status.hpp>

namespace tidings::ses {

namespace sdk = ::tidings::sdk::v1;

/// One SNS message: a Notification, a SubscriptionConfirmation or an UnsubscribeConfirmation.
/// Field names follow SNS's JSON keys.
struct SnsMessage {
    std::string type;
    std::string message_id;
    std::string topic_arn;
    std::string message;
    std::string timestamp;
    std::string signature_version;
    std::string signature;  ///< base64
    std::string signing_cert_url;
    std::optional<std::string> subject;  ///< Notifications only, and only when the publisher set one.
    std::string token;                   ///< Confirmations only.
    std::string subscribe_url;           ///< Confirmations only.
};

/// Parses the request body. Invalid, naming the key, when it is not an SNS message of a type we
/// know or lacks a key its type requires.
sdk::Status parseSnsMessage(std::string_view body, SnsMessage& out);

/// The string SNS signs: for each key the message type covers, in SNS's fixed order, the key's
/// name and value on lines of their own. A Notification covers Message, MessageId, Subject (when
/// present), Timestamp, TopicArn and Type; a confirmation covers Message, MessageId,
/// SubscribeURL, Timestamp, Token, TopicArn and Type.
std::string stringToSign(const SnsMessage& message);

}  // namespace tidings::ses
