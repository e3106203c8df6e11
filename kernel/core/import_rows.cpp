#include "kernel/core/import_rows.hpp"

#include <algorithm>

#include "kernel/core/email.hpp"
#include "kernel/core/json_check.hpp"
#include "kernel/core/subscriber_service.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {

std::string logSafe(std::string_view text, std::size_t max) {
    std::string out;
    std::size_t end = std::min(text.size(), max);
    while (end < text.size() && end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    for (char c : text.substr(0, end)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
    if (end < text.size()) out += "...";
    return out;
}

std::optional<sdk::ImportRecord> validateImportRow(sdk::ImportRow& row, const DomainRules& rules, std::string& why) {
    auto email = normaliseEmail(row.email);
    if (!email || !isStorableText(*email)) {
        why = "invalid email \"" + logSafe(trimmed(row.email)) + "\"";
        return std::nullopt;
    }
    const std::string_view domain = emailDomain(*email);
    auto matches = [&](const std::vector<std::string>& list) {
        return std::any_of(list.begin(), list.end(), [&](const std::string& rule) { return domainMatches(domain, rule); });
    };
    if (!rules.allow.empty() ? !matches(rules.allow) : matches(rules.block)) {
        why = "email \"" + *email + "\": the domain is " + (rules.allow.empty() ? "blocklisted" : "not allowed");
        return std::nullopt;
    }
    sdk::ImportRecord record;
    record.email = std::move(*email);
    record.name = trimmed(row.name);
    if (record.name.size() > kMaxNameBytes) {
        why = "name longer than " + std::to_string(kMaxNameBytes) + " bytes";
        return std::nullopt;
    }
    if (!isStorableText(record.name)) {
        why = "name is not valid UTF-8 text";
        return std::nullopt;
    }
    if (record.name.empty()) record.name = nameFromEmail(record.email);
    std::string attribs = trimmed(row.attribs_json);
    if (attribs.empty()) {
        record.attribs_json = "{}";
    } else {
        if (attribs.size() > kMaxAttribsBytes) {
            why = "attributes larger than " + std::to_string(kMaxAttribsBytes) + " bytes";
            return std::nullopt;
        }
        std::string reason;
        if (!isJsonObject(attribs, reason)) {
            why = "attributes: " + reason;
            return std::nullopt;
        }
        record.attribs_json = std::move(attribs);
    }
    return record;
}

}  // namespace tidings::kernel
