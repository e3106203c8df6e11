#include "postback_body.hpp"

#include <cstdio>
#include <sstream>

#include <Poco/Base64Encoder.h>

namespace tidings::postback {

namespace sdk = ::tidings::sdk::v1;

void appendJsonString(std::string& out, std::string_view text) {
    out.push_back('"');
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out.push_back(c);  // UTF-8 passes through: JSON text is UTF-8
                }
        }
    }
    out.push_back('"');
}

namespace {

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);  // one line: receivers decode with any base64 routine
    encoder << bytes;
    encoder.close();
    return out.str();
}

// JSON text from the kernel, or `fallback` when it left the field empty.
std::string_view jsonOr(const std::string& json, std::string_view fallback) {
    return json.find_first_not_of(" \t\r\n") == std::string::npos ? fallback : std::string_view(json);
}

void key(std::string& out, std::string_view name) {
    appendJsonString(out, name);
    out.push_back(':');
}

// "name":"value", (a string member followed by its comma)
void stringField(std::string& out, std::string_view name, std::string_view value) {
    key(out, name);
    appendJsonString(out, value);
    out.push_back(',');
}

// "name":<json>, (JSON text embedded as it is)
void rawField(std::string& out, std::string_view name, std::string_view json) {
    key(out, name);
    out += json;
    out.push_back(',');
}

}  // namespace

std::string postbackBody(const sdk::Message& m) {
    std::string out;
    out.reserve(m.body.size() + 512);
    out.push_back('{');
    stringField(out, "subject", m.subject);
    stringField(out, "from_email", m.from);
    stringField(out, "content_type", m.content_type);
    stringField(out, "body", m.body);

    key(out, "headers");
    out.push_back('[');
    for (std::size_t i = 0; i < m.headers.size(); ++i) {
        if (i) out.push_back(',');
        out.push_back('{');
        key(out, m.headers[i].first);
        appendJsonString(out, m.headers[i].second);
        out.push_back('}');
    }
    out += "],";

    key(out, "recipients");
    out += "[{";
    stringField(out, "uuid", m.subscriber_uuid);
    // Campaign messages always name their subscriber; a bare message falls back to its address.
    const std::string& email = !m.subscriber_email.empty() || m.to.empty() ? m.subscriber_email : m.to.front();
    stringField(out, "email", email);
    stringField(out, "name", m.subscriber_name);
    rawField(out, "attribs", jsonOr(m.subscriber_attribs_json, "{}"));
    key(out, "status");
    appendJsonString(out, m.subscriber_status);
    out += "}],";

    key(out, "campaign");
    if (m.campaign_uuid.empty()) {
        out += "null";
    } else {
        out.push_back('{');
        stringField(out, "from_email", m.from);
        stringField(out, "uuid", m.campaign_uuid);
        stringField(out, "name", m.campaign_name);
        rawField(out, "headers", jsonOr(m.campaign_headers_json, "[]"));
        key(out, "tags");
        out.push_back('[');
        for (std::size_t i = 0; i < m.campaign_tags.size(); ++i) {
            if (i) out.push_back(',');
            appendJsonString(out, m.campaign_tags[i]);
        }
        out += "]}";
    }
    out.push_back(',');

    key(out, "attachments");
    if (m.attachments.empty()) {
        out += "null";
    } else {
        out.push_back('[');
        for (std::size_t i = 0; i < m.attachments.size(); ++i) {
            const auto& a = m.attachments[i];
            if (i) out.push_back(',');
            out.push_back('{');
            stringField(out, "name", a.name);
            // MIME header map with list values, the shape of Go's textproto.MIMEHeader.
            key(out, "header");
            out.push_back('{');
            key(out, "Content-Type");
            out.push_back('[');
            appendJsonString(out, a.content_type.empty() ? "application/octet-stream" : a.content_type);
            out += "],";
            key(out, "Content-Disposition");
            out.push_back('[');
            std::string disposition = "attachment; filename=\"";
            for (char c : a.name) disposition += (c == '"' || c == '\\') ? '_' : c;
            disposition += '"';
            appendJsonString(out, disposition);
            out += "]},";
            key(out, "content");
            appendJsonString(out, base64(a.content));
            out.push_back('}');
        }
        out.push_back(']');
    }
    out.push_back('}');
    return out;
}

}  // namespace tidings::postback
