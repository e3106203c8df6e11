// Composes an RFC 5322 / MIME message straight into a text buffer from an sdk::Message.
//
// Why not Poco::Net::MailMessage: building one per recipient halves throughput (DESIGN.md,
// "Performance notes"). Here the headers and parts are appended to one std::string that the
// connection streams as is; only the transfer encodings come from Poco (QuotedPrintableEncoder,
// Base64Encoder). The campaign engine can reuse the same shape: a skeleton composed once per
// campaign with only the rendered parts filled in per subscriber.
//
// Output: CRLF line ends everywhere, 7-bit clean (headers RFC 2047-encoded, text parts
// quoted-printable, attachments base64), NOT dot-stuffed (that is the transport's job).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/messenger.hpp>

#include "smtp_settings.hpp"

namespace tidings::smtp {

/// The SMTP envelope of a composed message.
struct Envelope {
    std::string sender;                   ///< MAIL FROM address (bare, no angle brackets)
    std::vector<std::string> recipients;  ///< RCPT TO addresses
};

/// A display name and an address, parsed from "Name <a@b>" or "a@b".
struct Mailbox {
    std::string name;
    std::string address;
};

/// Parses one mailbox. Throws std::invalid_argument when there is no plausible address.
Mailbox parseMailbox(std::string_view text);

/// RFC 2047 "B" encoding of a header value when it holds non-ASCII bytes (split into encoded
/// words of at most 75 characters on UTF-8 character boundaries, folded); the value unchanged
/// otherwise. CR and LF are removed first so a value can never inject a header.
std::string encodeHeaderValue(std::string_view value);

/// Base64 of `data`; with `wrap`, lines of 76 characters separated by CRLF (for MIME bodies).
std::string base64Encode(std::string_view data, bool wrap = false);
std::string base64Decode(std::string_view text);

/// Composes `message` into `out` (cleared first) and fills `envelope`.
///
/// Headers: Date, From, To, Subject, Message-ID (generated as <24 random alnum>@<from domain>
/// unless the message carries one), MIME-Version, then the relay's email_headers and the
/// message's headers (the relay's value wins on a duplicate name, as in listmonk). Special
/// message headers: Return-Path sets the envelope sender and is dropped; Bcc adds envelope
/// recipients and is dropped; Cc adds envelope recipients and stays visible. Structural headers
/// (Content-Type, MIME-Version, ...) in custom headers are ignored: the composer owns them.
///
/// Body: content_type "plain" -> text/plain; otherwise text/html, wrapped in
/// multipart/alternative with a text/plain part when alt_body is set; with attachments, all of
/// it inside multipart/mixed followed by base64 attachment parts.
///
/// Throws std::invalid_argument for a message that cannot be sent (no recipient, bad address).
void composeMessage(const tidings::sdk::v1::Message& message, const HeaderList& relay_headers,
                    Envelope& envelope, std::string& out);

}  // namespace tidings::smtp
