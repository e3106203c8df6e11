#include "sns_message.hpp"

#include <tidings/bounce_support/json_fields.hpp>

namespace tidings::ses {
namespace {

namespace support = ::tidings::bounce_support;

void appendLine(std::string& out, std::string_view key, std::string_view value) {
    out.append(key).push_back('\n');
    out.append(value).push_back('\n');
}

}  // namespace

sdk::Status parseSnsMessage(std::string_view body, SnsMessage& out) {
    const auto root = support::parseObject(body);
    if (!root) return sdk::Status::invalid("body: must be an SNS message (a JSON object)");

    SnsMessage m;
    const auto required = [&](const char* key, std::string& field) {
        auto v = support::stringMember(*root, key);
        if (!v) return false;
        field = std::move(*v);
        return true;
    };
    for (auto [key, field] : {std::pair{"Type", &m.type}, std::pair{"MessageId", &m.message_id},
                              std::pair{"TopicArn", &m.topic_arn}, std::pair{"Message", &m.message},
                              std::pair{"Timestamp", &m.timestamp}, std::pair{"SignatureVersion", &m.signature_version},
                              std::pair{"Signature", &m.signature}, std::pair{"SigningCertURL", &m.signing_cert_url}}) {
        if (!required(key, *field)) return sdk::Status::invalid(std::string(key) + ": missing");
    }
    if (m.type == "Notification") {
        m.subject = support::stringMember(*root, "Subject");
    } else if (m.type == "SubscriptionConfirmation" || m.type == "UnsubscribeConfirmation") {
        if (!required("Token", m.token)) return sdk::Status::invalid("Token: missing");
        if (!required("SubscribeURL", m.subscribe_url)) return sdk::Status::invalid("SubscribeURL: missing");
    } else {
        return sdk::Status::invalid("Type: unknown SNS message type '" + m.type + "'");
    }
    out = std::move(m);
    return {};
}

std::string stringToSign(const SnsMessage& m) {
    std::string out;
    appendLine(out, "Message", m.message);
    appendLine(out, "MessageId", m.message_id);
    if (m.type == "Notification") {
        if (m.subject) appendLine(out, "Subject", *m.subject);
        appendLine(out, "Timestamp", m.timestamp);
    } else {
        appendLine(out, "SubscribeURL", m.subscribe_url);
        appendLine(out, "Timestamp", m.timestamp);
        appendLine(out, "Token", m.token);
    }
    appendLine(out, "TopicArn", m.topic_arn);
    appendLine(out, "Type", m.type);
    return out;
}

}  // namespace tidings::ses
