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

namespace {

/// Why `attribs` (trimmed, non-empty) cannot be a subscriber's attributes; empty when it can.
std::string attributesProblem(const std::string& attribs) {
    if (attribs.size() > kMaxAttribsBytes) return "larger than " + std::to_string(kMaxAttribsBytes) + " bytes";
    std::string reason;
    return isJsonObject(attribs, reason) ? std::string() : reason;
}

}  // namespace

CheckedRow checkImportRow(sdk::ImportRow& row, const DomainRules& rules) {
    CheckedRow out;
    auto email = normaliseEmail(row.email);
    if (!email || !isStorableText(*email)) {
        out.problem = "invalid email \"" + logSafe(trimmed(row.email)) + "\"";
        return out;
    }
    const std::string_view domain = emailDomain(*email);
    auto matches = [&](const std::vector<std::string>& list) {
        return std::any_of(list.begin(), list.end(), [&](const std::string& rule) { return domainMatches(domain, rule); });
    };
    if (!rules.allow.empty() ? !matches(rules.allow) : matches(rules.block)) {
        out.problem = "email \"" + *email + "\": the domain is " + (rules.allow.empty() ? "blocklisted" : "not allowed");
        return out;
    }
    std::vector<std::string> dropped;
    sdk::ImportRecord& record = out.record.emplace();
    record.email = std::move(*email);
    record.name = trimmed(row.name);
    if (record.name.size() > kMaxNameBytes) {
        dropped.push_back("name (longer than " + std::to_string(kMaxNameBytes) + " bytes)");
        record.name.clear();
    } else if (!isStorableText(record.name)) {
        dropped.push_back("name (not valid UTF-8 text)");
        record.name.clear();
    }
    if (record.name.empty()) record.name = nameFromEmail(record.email);
    record.attribs_json = trimmed(row.attribs_json);
    if (record.attribs_json.empty()) {
        record.attribs_json = "{}";
    } else if (auto problem = attributesProblem(record.attribs_json); !problem.empty()) {
        dropped.push_back("attributes (" + problem + ")");
        record.attribs_json = "{}";
    }
    for (const auto& part : dropped) out.problem += (out.problem.empty() ? "without its " : " and its ") + part;
    return out;
}

}  // namespace tidings::kernel
