#include "mime_composer.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <ctime>
#include <ostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <streambuf>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Net/QuotedPrintableEncoder.h>

namespace tidings::smtp {

namespace {

// A streambuf appending to a std::string, so Poco's encoders write straight into the message
// buffer instead of through an ostringstream copy.
class AppendBuf final : public std::streambuf {
public:
    explicit AppendBuf(std::string& s) : s_(s) {}

protected:
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) s_.push_back(static_cast<char>(c));
        return c;
    }
    std::streamsize xsputn(const char* p, std::streamsize n) override {
        s_.append(p, static_cast<std::size_t>(n));
        return n;
    }

private:
    std::string& s_;
};

bool isAscii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 128; });
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::string stripCrLf(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\r') continue;
        out.push_back(c == '\n' ? ' ' : c);
    }
    return out;
}

std::mt19937_64& rng() {
    thread_local std::mt19937_64 gen{std::random_device{}()};
    return gen;
}

std::string randomToken(std::size_t n) {
    static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out(n, ' ');
    auto& g = rng();
    for (auto& c : out) c = kAlnum[g() % (sizeof(kAlnum) - 1)];
    return out;
}

// RFC 5322 date; formatted once per second per thread because strftime is not free at 10k msg/s.
const std::string& currentDate() {
    thread_local std::time_t cached_at = 0;
    thread_local std::string cached;
    const std::time_t now = std::time(nullptr);
    if (now != cached_at) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        std::array<char, 64> buf{};
        const std::size_t n = std::strftime(buf.data(), buf.size(), "%a, %d %b %Y %H:%M:%S +0000", &tm);
        cached.assign(buf.data(), n);
        cached_at = now;
    }
    return cached;
}

bool validAddress(std::string_view a) {
    if (a.empty() || a.size() > 254) return false;
    const auto at = a.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == a.size()) return false;
    return std::none_of(a.begin(), a.end(), [](char c) {
        return c == '<' || c == '>' || c == ' ' || c == '\r' || c == '\n' || c == '\t' || c == ',';
    });
}

// Display names that are plain atoms go out bare; others in a quoted-string; non-ASCII as an
// encoded word (which must not be quoted).
std::string formatMailbox(const Mailbox& m) {
    if (m.name.empty()) return "<" + m.address + ">";
    std::string name = stripCrLf(m.name);
    if (!isAscii(name)) return encodeHeaderValue(name) + " <" + m.address + ">";
    std::string quoted = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') quoted.push_back('\\');
        quoted.push_back(c);
    }
    quoted += "\" <" + m.address + ">";
    return quoted;
}

// Appends `text` with every line end made CRLF: QP and the SMTP transport both need canonical
// line ends, and templates arrive with whatever the editor produced.
void appendCanonical(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out.push_back(c);
        }
    }
}

void appendQuotedPrintable(std::string& out, std::string_view text) {
    thread_local std::string canonical;
    canonical.clear();
    appendCanonical(canonical, text);
    AppendBuf buf(out);
    std::ostream os(&buf);
    Poco::Net::QuotedPrintableEncoder qp(os);
    qp.write(canonical.data(), static_cast<std::streamsize>(canonical.size()));
    qp.close();
    // The part must end in CRLF; when the text itself does not, a soft line break ends it
    // without adding a newline to the decoded text.
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "=\r\n";
}

void appendTextPart(std::string& out, std::string_view subtype, std::string_view text) {
    out += "Content-Type: text/";
    out += subtype;
    out += "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    appendQuotedPrintable(out, text);
}

// RFC 2231 extended parameter for non-ASCII file names; RFC 2045 quoted-string otherwise.
std::string fileParam(std::string_view param, std::string_view filename) {
    const std::string name = stripCrLf(filename);
    std::string out(param);
    if (isAscii(name)) {
        out += "=\"";
        for (char c : name) {
            if (c == '"' || c == '\\') out.push_back('\\');
            out.push_back(c);
        }
        out += '"';
        return out;
    }
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += "*=UTF-8''";
    for (unsigned char c : name) {
        if (std::isalnum(c) && c < 128) {
            out.push_back(static_cast<char>(c));
        } else if (c == '.' || c == '-' || c == '_') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

void appendAttachment(std::string& out, const tidings::sdk::v1::Attachment& a) {
    const std::string type = a.content_type.empty() ? "application/octet-stream" : stripCrLf(a.content_type);
    out += "Content-Type: " + type + "; " + fileParam("name", a.name) + "\r\n";
    out += "Content-Disposition: attachment; " + fileParam("filename", a.name) + "\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += base64Encode(a.content, true);
    out += "\r\n";
}

// Headers the composer writes itself; custom values for them would produce a broken message.
bool isStructural(std::string_view name) {
    static constexpr std::string_view kOwned[] = {"from", "to", "subject", "mime-version", "content-type",
                                                  "content-transfer-encoding", "bcc", "return-path"};
    return std::any_of(std::begin(kOwned), std::end(kOwned), [&](std::string_view o) { return iequals(o, name); });
}

bool validHeaderName(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return c > 32 && c < 127 && c != ':';
    });
}

void splitAddresses(std::string_view list, std::vector<std::string>& into) {
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = list.find(',', start);
        const auto item = trim(list.substr(start, comma == std::string_view::npos ? list.npos : comma - start));
        if (!item.empty()) into.push_back(parseMailbox(item).address);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
}

}  // namespace

Mailbox parseMailbox(std::string_view text) {
    Mailbox m;
    const std::string t = trim(text);
    const auto lt = t.rfind('<');
    if (lt != std::string::npos && !t.empty() && t.back() == '>') {
        m.address = trim(std::string_view(t).substr(lt + 1, t.size() - lt - 2));
        std::string name = trim(std::string_view(t).substr(0, lt));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            std::string unq;
            for (std::size_t i = 1; i + 1 < name.size(); ++i) {
                if (name[i] == '\\' && i + 2 < name.size()) ++i;
                unq.push_back(name[i]);
            }
            name = std::move(unq);
        }
        m.name = std::move(name);
    } else {
        m.address = t;
    }
    if (!validAddress(m.address)) throw std::invalid_argument("invalid e-mail address: " + stripCrLf(text));
    return m;
}

std::string encodeHeaderValue(std::string_view raw) {
    const std::string value = stripCrLf(raw);
    if (isAscii(value)) return value;
    // Each encoded word "=?UTF-8?B?...?=" stays within 75 characters: 12 of overhead leave 63 for
    // base64, i.e. 45 bytes of UTF-8, cut back to a character boundary.
    std::string out;
    std::size_t i = 0;
    while (i < value.size()) {
        std::size_t end = std::min(value.size(), i + 45);
        while (end < value.size() && end > i && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64Encode(std::string_view(value).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string base64Encode(std::string_view data, bool wrap) {
    std::string out;
    out.reserve(data.size() * 4 / 3 + data.size() / 38 + 8);
    AppendBuf buf(out);
    std::ostream os(&buf);
    Poco::Base64Encoder enc(os);
    enc.rdbuf()->setLineLength(wrap ? 76 : 0);
    enc.write(data.data(), static_cast<std::streamsize>(data.size()));
    enc.close();
    return out;
}

std::string base64Decode(std::string_view text) {
    std::istringstream in{std::string(text)};
    Poco::Base64Decoder dec(in);
    return std::string(std::istreambuf_iterator<char>(dec), std::istreambuf_iterator<char>());
}

void composeMessage(const tidings::sdk::v1::Message& msg, const HeaderList& relay_headers, Envelope& env,
                    std::string& out) {
    out.clear();
    env.recipients.clear();
    const Mailbox from = parseMailbox(msg.from);
    env.sender = from.address;

    std::string to_header;
    for (const auto& r : msg.to) {
        const Mailbox m = parseMailbox(r);
        env.recipients.push_back(m.address);
        if (!to_header.empty()) to_header += ",\r\n ";
        to_header += formatMailbox(m);
    }

    // Relay headers first: on a duplicate name the first one wins (listmonk's order).
    HeaderList custom;
    bool has_message_id = false, has_date = false;
    const auto add = [&](const std::string& name, const std::string& value) {
        const std::string n = trim(name);
        if (!validHeaderName(n)) return;
        if (iequals(n, "Return-Path")) {
            const std::string v = trim(value);
            if (!v.empty()) env.sender = v == "<>" ? std::string() : parseMailbox(v).address;
            return;
        }
        if (iequals(n, "Bcc") || iequals(n, "Cc")) splitAddresses(value, env.recipients);
        if (isStructural(n)) return;
        for (const auto& [k, v] : custom)
            if (iequals(k, n)) return;
        has_message_id = has_message_id || iequals(n, "Message-Id");
        has_date = has_date || iequals(n, "Date");
        custom.emplace_back(n, value);
    };
    for (const auto& [k, v] : relay_headers) add(k, v);
    for (const auto& [k, v] : msg.headers) add(k, v);
    if (env.recipients.empty()) throw std::invalid_argument("to: at least one recipient is required");

    out.reserve(512 + msg.body.size() * 11 / 10 + msg.alt_body.size() * 11 / 10);
    if (!has_date) out += "Date: " + currentDate() + "\r\n";
    out += "From: " + formatMailbox(from) + "\r\n";
    out += "To: " + to_header + "\r\n";
    out += "Subject: " + encodeHeaderValue(msg.subject) + "\r\n";
    if (!has_message_id) {
        const auto at = from.address.rfind('@');
        out += "Message-ID: <" + randomToken(24) + "@" + from.address.substr(at + 1) + ">\r\n";
    }
    for (const auto& [k, v] : custom) out += k + ": " + encodeHeaderValue(v) + "\r\n";
    out += "MIME-Version: 1.0\r\n";

    const bool plain = msg.content_type == "plain";
    const bool alternative = !plain && !msg.alt_body.empty();
    const bool mixed = !msg.attachments.empty();
    const std::string token = randomToken(24);
    const std::string mixed_b = "mixed_" + token, alt_b = "alt_" + token;

    // The CRLF before a boundary belongs to the delimiter (RFC 2046 5.1.1), so every part's
    // own content ends in CRLF and the delimiter adds another.
    if (mixed) {
        out += "Content-Type: multipart/mixed; boundary=\"" + mixed_b + "\"\r\n\r\n";
        out += "--" + mixed_b + "\r\n";
    }
    if (alternative) {
        out += "Content-Type: multipart/alternative; boundary=\"" + alt_b + "\"\r\n\r\n";
        out += "--" + alt_b + "\r\n";
        appendTextPart(out, "plain", msg.alt_body);
        out += "\r\n--" + alt_b + "\r\n";
        appendTextPart(out, "html", msg.body);
        out += "\r\n--" + alt_b + "--\r\n";
    } else {
        appendTextPart(out, plain ? "plain" : "html", msg.body);
    }
    if (mixed) {
        for (const auto& a : msg.attachments) {
            out += "\r\n--" + mixed_b + "\r\n";
            appendAttachment(out, a);
        }
        out += "\r\n--" + mixed_b + "--\r\n";
    }
}

}  // namespace tidings::smtp
