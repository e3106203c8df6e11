#include "rows.hpp"

#include <cstdint>
#include <cstdio>
#include <unordered_map>

#include "errors.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

[[noreturn]] void badJson(std::string_view json) {
    throw StatusError(sdk::Status::internal("storage-sqlite: unreadable JSON array '" + std::string(json) + "'"));
}

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Reads 4 hex digits at json[pos].
std::uint32_t hex4(std::string_view json, std::size_t pos) {
    if (pos + 4 > json.size()) badJson(json);
    std::uint32_t v = 0;
    for (std::size_t i = pos; i < pos + 4; ++i) {
        const char c = json[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
        else badJson(json);
    }
    return v;
}

}  // namespace

const std::string& subscriberColumns() {
    static const std::string cols =
        "subscribers.id, subscribers.uuid, subscribers.email, subscribers.name, subscribers.attribs,"
        " subscribers.status, subscribers.created_at, subscribers.updated_at";
    return cols;
}

sdk::Subscriber readSubscriber(const Statement& st, int c) {
    sdk::Subscriber s;
    s.id = st.int64(c + 0);
    s.uuid = st.text(c + 1);
    s.email = st.text(c + 2);
    s.name = st.text(c + 3);
    s.attribs_json = st.text(c + 4);
    s.status = enumFrom<sdk::SubscriberStatus>(st.text(c + 5));
    s.created_at = parseTimestamp(st.text(c + 6));
    s.updated_at = parseTimestamp(st.text(c + 7));
    return s;
}

const std::string& listColumns() {
    static const std::string cols =
        "lists.id, lists.uuid, lists.name, lists.type, lists.optin, lists.status, lists.tags,"
        " lists.description, lists.created_at, lists.updated_at";
    return cols;
}

sdk::List readList(const Statement& st, int c) {
    sdk::List l;
    l.id = st.int64(c + 0);
    l.uuid = st.text(c + 1);
    l.name = st.text(c + 2);
    l.type = enumFrom<sdk::ListType>(st.text(c + 3));
    l.optin = enumFrom<sdk::ListOptin>(st.text(c + 4));
    l.status = enumFrom<sdk::ListStatus>(st.text(c + 5));
    l.tags = parseJsonStringArray(st.text(c + 6));
    l.description = st.text(c + 7);
    l.created_at = parseTimestamp(st.text(c + 8));
    l.updated_at = parseTimestamp(st.text(c + 9));
    return l;
}

void loadMemberships(Connection& c, std::vector<sdk::Subscriber>& subscribers) {
    if (subscribers.empty()) return;
    std::vector<sdk::Id> ids;
    std::unordered_map<sdk::Id, sdk::Subscriber*> by_id;
    ids.reserve(subscribers.size());
    for (auto& s : subscribers) {
        ids.push_back(s.id);
        by_id[s.id] = &s;
        s.lists.clear();
    }
    static const std::string sql =
        "SELECT sl.subscriber_id, sl.status, sl.meta, sl.created_at, sl.updated_at, " + listColumns() +
        " FROM subscriber_lists sl JOIN lists ON lists.id = sl.list_id"
        " WHERE sl.subscriber_id IN (SELECT value FROM json_each(?1)) ORDER BY sl.subscriber_id, lists.id";
    auto st = c.prepare(sql);
    st.bindAll(idsJson(ids));
    while (st.step()) {
        sdk::Subscription sub;
        sub.status = enumFrom<sdk::SubscriptionStatus>(st.text(1));
        sub.meta_json = st.text(2);
        sub.created_at = parseTimestamp(st.text(3));
        sub.updated_at = parseTimestamp(st.text(4));
        sub.list = readList(st, 5);
        by_id.at(st.int64(0))->lists.push_back(std::move(sub));
    }
}

std::string jsonStringArray(const std::vector<std::string>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (const char ch : values[i]) {
            const auto u = static_cast<unsigned char>(ch);
            switch (ch) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default:
                    if (u < 0x20) {
                        char buf[8];
                        std::snprintf(buf, sizeof buf, "\\u%04x", u);
                        out += buf;
                    } else {
                        out += ch;  // UTF-8 passes through unchanged
                    }
            }
        }
        out += '"';
    }
    return out + "]";
}

std::vector<std::string> parseJsonStringArray(std::string_view json) {
    std::vector<std::string> out;
    std::size_t i = 0;
    const auto skipSpace = [&] {
        while (i < json.size() && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) ++i;
    };
    skipSpace();
    if (i >= json.size() || json[i] != '[') badJson(json);
    ++i;
    skipSpace();
    if (i < json.size() && json[i] == ']') return out;
    for (;;) {
        skipSpace();
        if (i >= json.size() || json[i] != '"') badJson(json);
        std::string value;
        for (++i;; ++i) {
            if (i >= json.size()) badJson(json);
            const char c = json[i];
            if (c == '"') break;
            if (c != '\\') {
                value += c;
                continue;
            }
            if (++i >= json.size()) badJson(json);
            switch (json[i]) {
                case '"': value += '"'; break;
                case '\\': value += '\\'; break;
                case '/': value += '/'; break;
                case 'b': value += '\b'; break;
                case 'f': value += '\f'; break;
                case 'n': value += '\n'; break;
                case 'r': value += '\r'; break;
                case 't': value += '\t'; break;
                case 'u': {
                    std::uint32_t cp = hex4(json, i + 1);
                    i += 4;
                    // A surrogate pair spells one code point beyond the BMP.
                    if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < json.size() && json[i + 1] == '\\' &&
                        json[i + 2] == 'u') {
                        const std::uint32_t low = hex4(json, i + 3);
                        if (low >= 0xDC00 && low <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                            i += 6;
                        }
                    }
                    appendUtf8(value, cp);
                    break;
                }
                default: badJson(json);
            }
        }
        ++i;  // the closing quote
        out.push_back(std::move(value));
        skipSpace();
        if (i < json.size() && json[i] == ',') {
            ++i;
            continue;
        }
        if (i < json.size() && json[i] == ']') return out;
        badJson(json);
    }
}

std::string idsJson(const std::vector<sdk::Id>& ids) {
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "]";
}

}  // namespace tidings::storage_sqlite
