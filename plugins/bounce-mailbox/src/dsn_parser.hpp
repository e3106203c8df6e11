// Reading one message from a bounce mailbox: a delivery status notification (RFC 3464,
// multipart/report; report-type=delivery-status), a non-standard bounce that quotes the original
// message in its text, or something that is not a bounce at all. MIME structure is read with
// Poco::Net (MessageHeader, MultipartReader, the transfer-encoding decoders); only the header
// fields Tidings puts on campaign mail are looked for in free text, where no MIME reader helps.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/bounce.hpp>

namespace tidings::mailbox {

namespace sdk = ::tidings::sdk::v1;

/// One recipient the message reports as failed or delayed.
struct FoundBounce {
    std::string email;            ///< Final-Recipient (else Original-Recipient, else the quoted To).
    std::string subscriber_uuid;  ///< From X-Tidings-Subscriber / X-Listmonk-Subscriber.
    std::string campaign_uuid;    ///< From X-Tidings-Campaign / X-Listmonk-Campaign.
    sdk::BounceType type = sdk::BounceType::Hard;
    std::string action;           ///< The DSN Action ("failed", "delayed"), empty for non-DSN bounces.
    std::string status;           ///< The enhanced status code, e.g. "5.1.1", when one was found.
    std::string diagnostic;       ///< Diagnostic-Code, when given.
    std::string reason;           ///< How the type was decided, for the bounce's meta.
};

enum class MessageKind {
    Bounce,     ///< `bounces` holds at least one entry.
    NotBounce,  ///< Well-formed, but reports no failure (a reply, a success DSN, spam).
    Malformed,  ///< Unreadable MIME, or a bounce that names no recipient.
};

/// What one mailbox message says.
struct ParsedMessage {
    MessageKind kind = MessageKind::NotBounce;
    std::string why;  ///< For NotBounce and Malformed: a short explanation for the log.
    std::vector<FoundBounce> bounces;
    std::string from, subject, message_id;
    std::optional<sdk::Timestamp> date;  ///< The bounce's Date header, when it parses.
};

/// Parses one raw RFC 5322 message (CRLF or LF line ends). Never throws: a message Poco cannot
/// read is Malformed with the reason in `why`.
ParsedMessage parseBounceMessage(std::string_view raw) noexcept;

/// The bounce type an enhanced status code ("5.1.1") denotes: 5 -> hard, 4 -> soft; nullopt
/// for anything else (2.x.x success, junk).
std::optional<sdk::BounceType> typeOfStatus(std::string_view status) noexcept;

}  // namespace tidings::mailbox
