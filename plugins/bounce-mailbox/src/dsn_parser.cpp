#include "dsn_parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <istream>
#include <regex>
#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/QuotedPrintableDecoder.h>
#include <Poco/StreamCopier.h>

namespace tidings::mailbox {
namespace {

using Poco::Net::MessageHeader;

// Bounces nest a few levels at most (mixed > report > rfc822); anything deeper is hostile.
constexpr int kMaxDepth = 8;
// Poco's default of 100 header fields is too few for a quoted original with its Received chain.
constexpr int kFieldLimit = 1000;

constexpr std::array<std::string_view, 2> kSubscriberHeaders = {"X-Tidings-Subscriber", "X-Listmonk-Subscriber"};
constexpr std::array<std::string_view, 2> kCampaignHeaders = {"X-Tidings-Campaign", "X-Listmonk-Campaign"};

/// One leaf of the MIME tree, decoded.
struct Part {
    std::string type;  ///< "type/subtype", lower case.
    std::string content;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

bool isOriginalMessage(const std::string& type) {
    return type == "message/rfc822" || type == "message/global" || type == "text/rfc822-headers" ||
           type == "message/global-headers";
}

bool isDeliveryStatus(const std::string& type) {
    return type == "message/delivery-status" || type == "message/global-delivery-status";
}

std::string decoded(const std::string& raw, const MessageHeader& header) {
    const std::string encoding = lower(trim(header.get("Content-Transfer-Encoding", "")));
    std::istringstream in(raw);
    std::string out;
    if (encoding == "base64") {
        Poco::Base64Decoder decoder(in);
        Poco::StreamCopier::copyToString(decoder, out);
    } else if (encoding == "quoted-printable") {
        Poco::Net::QuotedPrintableDecoder decoder(in);
        Poco::StreamCopier::copyToString(decoder, out);
    } else {
        return raw;
    }
    return out;
}

// Flattens the MIME tree into its leaves. The original message inside a bounce is a leaf too:
// only its header matters, never the campaign body it carries.
void collectParts(std::istream& body, const MessageHeader& header, int depth, std::vector<Part>& parts) {
    if (depth > kMaxDepth) throw Poco::Net::MessageException("MIME parts nested too deeply");
    // Each part is copied out whole before anything decodes it: a MultipartReader part stream
    // must not be read again once it has reported its end, or it reads into the next part.
    std::string raw;
    Poco::StreamCopier::copyToString(body, raw);
    const Poco::Net::MediaType media(header.get("Content-Type", "text/plain"));
    if (lower(media.getType()) != "multipart") {
        parts.push_back({lower(media.getType() + "/" + media.getSubType()), decoded(raw, header)});
        return;
    }
    if (!media.hasParameter("boundary")) throw Poco::Net::MessageException("multipart without a boundary");
    std::istringstream in(raw);
    Poco::Net::MultipartReader reader(in, media.getParameter("boundary"));
    while (reader.hasNextPart()) {
        MessageHeader part_header;
        part_header.setFieldLimit(kFieldLimit);
        reader.nextPart(part_header);
        collectParts(reader.stream(), part_header, depth + 1, parts);
    }
}

/// The successive header blocks of a message/delivery-status body: the per-message fields,
/// then one block per recipient.
std::vector<MessageHeader> statusBlocks(const std::string& content) {
    std::vector<MessageHeader> blocks;
    std::istringstream in(content);
    for (;;) {
        // MessageHeader::read stops at the blank line that ends a block without consuming it.
        while (in.peek() == '\r' || in.peek() == '\n') in.get();
        if (in.peek() == std::char_traits<char>::eof()) break;
        const auto before = in.tellg();
        MessageHeader block;
        block.setFieldLimit(kFieldLimit);
        block.read(in);
        if (!block.empty()) blocks.push_back(std::move(block));
        if (in.tellg() == before) break;  // nothing readable left: never spin
    }
    return blocks;
}

/// "rfc822; user@example.com" -> "user@example.com".
std::string addressOf(const std::string& field) {
    std::string_view v = field;
    if (const auto semi = v.find(';'); semi != std::string_view::npos) v.remove_prefix(semi + 1);
    std::string address = trim(v);
    if (address.size() >= 2 && address.front() == '<' && address.back() == '>')
        address = address.substr(1, address.size() - 2);
    return address;
}

/// The address inside a To or From value ("Name <a@b>" -> "a@b").
std::string mailboxOf(const std::string& value) {
    const auto open = value.find('<');
    const auto close = value.find('>', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos) return trim(value.substr(open + 1, close - open - 1));
    return trim(value);
}

bool isUuid(const std::string& text) {
    static const std::regex kUuid(R"([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})");
    return std::regex_match(text, kUuid);
}

// Only a UUID is taken: the store compares these with UUID columns, and a damaged header must
// not make the bounce unrecordable.
std::string firstUuidHeader(const MessageHeader& header, const std::array<std::string_view, 2>& names) {
    for (auto name : names) {
        // Poco's MessageHeader compares names case-insensitively.
        if (const std::string v = trim(header.get(std::string(name), "")); isUuid(v)) return v;
    }
    return {};
}

/// The Tidings identity fields and recipient, from the original message's header.
struct OriginalMessage {
    std::string subscriber_uuid, campaign_uuid, to;
};

OriginalMessage fromOriginalHeader(const std::string& content) {
    std::istringstream in(content);
    MessageHeader header;
    header.setFieldLimit(kFieldLimit);
    header.read(in);
    return {firstUuidHeader(header, kSubscriberHeaders), firstUuidHeader(header, kCampaignHeaders),
            mailboxOf(header.get("To", ""))};
}

// Non-standard bounces paste the original header into their text, sometimes indented or quoted.
std::string quotedHeader(const std::string& text, std::string_view kind) {
    static const std::regex kPattern(
        R"((?:^|\n)[ \t>]*X-(?:Tidings|Listmonk)-(Campaign|Subscriber)[ \t]*:[ \t]*([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}))",
        std::regex::icase);
    for (std::sregex_iterator it(text.begin(), text.end(), kPattern), end; it != end; ++it) {
        if (lower((*it)[1].str()) == kind) return (*it)[2].str();
    }
    return {};
}

std::string firstStatusCode(const std::string& text) {
    static const std::regex kStatus(R"(\b([245]\.\d{1,3}\.\d{1,3})\b)");
    std::smatch m;
    return std::regex_search(text, m, kStatus) ? m[1].str() : std::string{};
}

bool soundsPermanent(const std::string& text) {
    static const std::regex kHard(
        R"(user unknown|unknown user|no such (user|recipient|mailbox)|mailbox (not found|unavailable|does not exist)|)"
        R"(does not exist|invalid (recipient|mailbox|address)|recipient (address )?rejected|account (is )?disabled|)"
        R"(address rejected|no mailbox here|domain not found|host not found|nxdomain)",
        std::regex::icase);
    return std::regex_search(text, kHard);
}

// A non-DSN message counts as a bounce only when it comes from a mail system or says so in its
// subject: replies and forwards of a campaign also quote its headers.
bool looksLikeBounce(const std::string& from, const std::string& subject) {
    static const std::regex kSender(R"((^|[<\s"])(mailer-daemon|postmaster)@)", std::regex::icase);
    static const std::regex kSubject(
        R"(undeliver|not delivered|delivery (status )?notification|delivery fail|failure notice|returned mail|)"
        R"(mail delivery|delivery problem|could not be delivered|bounce)",
        std::regex::icase);
    return std::regex_search(from, kSender) || std::regex_search(subject, kSubject);
}

void readEnvelope(const MessageHeader& top, ParsedMessage& out) {
    out.from = trim(top.get("From", ""));
    out.subject = trim(top.get("Subject", ""));
    try {
        out.subject = MessageHeader::decodeWord(out.subject);
    } catch (const Poco::Exception&) {
        // An undecodable encoded word stays as written: it only goes into the bounce's meta.
    }
    out.message_id = trim(top.get("Message-ID", ""));
    Poco::DateTime date;
    int tz = 0;
    if (Poco::DateTimeParser::tryParse(trim(top.get("Date", "")), date, tz)) {
        date.makeUTC(tz);
        out.date = sdk::Timestamp(std::chrono::microseconds(date.timestamp().epochMicroseconds()));
    }
}

void fromDeliveryStatus(const std::vector<const Part*>& reports, const OriginalMessage& original, ParsedMessage& out) {
    for (const Part* report : reports) {
        const auto blocks = statusBlocks(report->content);
        // The first block describes the message; each later one a recipient.
        for (std::size_t i = 1; i < blocks.size(); ++i) {
            const auto& block = blocks[i];
            const std::string action = lower(trim(block.get("Action", "")));
            if (action != "failed" && action != "delayed") continue;
            FoundBounce b;
            b.action = action;
            b.email = addressOf(block.get("Final-Recipient", ""));
            if (b.email.empty()) b.email = addressOf(block.get("Original-Recipient", ""));
            b.status = firstStatusCode(block.get("Status", ""));
            b.diagnostic = trim(block.get("Diagnostic-Code", ""));
            b.campaign_uuid = original.campaign_uuid;
            if (action == "delayed") {
                b.type = sdk::BounceType::Soft;
                b.reason = "dsn action delayed";
            } else if (auto type = typeOfStatus(b.status)) {
                b.type = *type;
                b.reason = "dsn status " + b.status;
            } else {
                b.type = sdk::BounceType::Hard;
                b.reason = "dsn action failed";
            }
            out.bounces.push_back(std::move(b));
        }
    }
    if (out.bounces.empty()) {
        out.kind = MessageKind::NotBounce;
        out.why = "delivery report without failed or delayed recipients";
        return;
    }
    // Campaign mail has one recipient, so the subscriber header names the one that failed; with
    // several failures it cannot say which, and the addresses must do.
    if (out.bounces.size() == 1) {
        out.bounces.front().subscriber_uuid = original.subscriber_uuid;
        if (out.bounces.front().email.empty()) out.bounces.front().email = original.to;
    }
    for (const auto& b : out.bounces) {
        if (b.email.empty() && b.subscriber_uuid.empty()) {
            out.kind = MessageKind::Malformed;
            out.why = "delivery report names no recipient";
            out.bounces.clear();
            return;
        }
    }
    out.kind = MessageKind::Bounce;
}

void fromFreeText(const std::vector<Part>& parts, const OriginalMessage& original, ParsedMessage& out) {
    if (!looksLikeBounce(out.from, out.subject)) {
        out.kind = MessageKind::NotBounce;
        out.why = "neither a delivery report nor from a mail system";
        return;
    }
    FoundBounce b;
    b.subscriber_uuid = original.subscriber_uuid;
    b.campaign_uuid = original.campaign_uuid;
    b.email = original.to;
    std::string text;
    for (const auto& part : parts) {
        if (part.type.rfind("text/", 0) != 0 || isOriginalMessage(part.type)) continue;
        text += part.content;
        text += '\n';
        if (b.subscriber_uuid.empty()) b.subscriber_uuid = quotedHeader(part.content, "subscriber");
        if (b.campaign_uuid.empty()) b.campaign_uuid = quotedHeader(part.content, "campaign");
    }
    if (b.subscriber_uuid.empty() && b.email.empty()) {
        out.kind = MessageKind::NotBounce;
        out.why = "a bounce of a message Tidings did not send (no subscriber header quoted)";
        return;
    }
    b.status = firstStatusCode(text);
    if (auto type = typeOfStatus(b.status)) {
        b.type = *type;
        b.reason = "status " + b.status + " in text";
    } else if (soundsPermanent(text)) {
        b.type = sdk::BounceType::Hard;
        b.reason = "permanent failure wording in text";
    } else {
        b.type = sdk::BounceType::Soft;
        b.reason = "no status code or permanent failure wording";
    }
    out.bounces.push_back(std::move(b));
    out.kind = MessageKind::Bounce;
}

}  // namespace

std::optional<sdk::BounceType> typeOfStatus(std::string_view status) noexcept {
    static const std::regex kStatus(R"([245]\.\d{1,3}\.\d{1,3})");
    try {
        const std::string s(status);
        if (!std::regex_match(s, kStatus)) return std::nullopt;
        if (s.front() == '5') return sdk::BounceType::Hard;
        if (s.front() == '4') return sdk::BounceType::Soft;
    } catch (...) {
    }
    return std::nullopt;
}

ParsedMessage parseBounceMessage(std::string_view raw) noexcept {
    ParsedMessage out;
    try {
        std::istringstream in{std::string(raw)};
        MessageHeader top;
        top.setFieldLimit(kFieldLimit);
        top.read(in);
        if (top.empty()) {
            out.kind = MessageKind::Malformed;
            out.why = "no message header";
            return out;
        }
        readEnvelope(top, out);
        std::vector<Part> parts;
        collectParts(in, top, 0, parts);

        OriginalMessage original;
        std::vector<const Part*> reports;
        bool have_original = false;
        for (const auto& part : parts) {
            if (isDeliveryStatus(part.type)) reports.push_back(&part);
            if (!have_original && isOriginalMessage(part.type)) {
                original = fromOriginalHeader(part.content);
                have_original = true;
            }
        }
        if (!reports.empty()) {
            if (original.subscriber_uuid.empty() || original.campaign_uuid.empty()) {
                // Some reporting MTAs return the original as plain text rather than message/rfc822.
                for (const auto& part : parts) {
                    if (part.type.rfind("text/", 0) != 0) continue;
                    if (original.subscriber_uuid.empty()) original.subscriber_uuid = quotedHeader(part.content, "subscriber");
                    if (original.campaign_uuid.empty()) original.campaign_uuid = quotedHeader(part.content, "campaign");
                }
            }
            fromDeliveryStatus(reports, original, out);
        } else {
            fromFreeText(parts, original, out);
        }
    } catch (const Poco::Exception& e) {
        out = {};
        out.kind = MessageKind::Malformed;
        out.why = e.displayText();
    } catch (const std::exception& e) {
        out = {};
        out.kind = MessageKind::Malformed;
        out.why = e.what();
    }
    return out;
}

}  // namespace tidings::mailbox
