#include "kernel/core/email.hpp"

#include "kernel/core/text.hpp"

#include <algorithm>
#include <cctype>

namespace tidings::kernel {
namespace {

// RFC 5322 "atext": the characters allowed unquoted in a local part.
bool isAtext(char c) {
    if (std::isalnum(static_cast<unsigned char>(c))) return true;
    static constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
    return specials.find(c) != std::string_view::npos;
}

bool validLocalPart(std::string_view local) {
    if (local.empty() || local.size() > 64) return false;
    if (local.front() == '"') {
        // Quoted local parts are legal but almost always a mistake or an attack on a parser
        // downstream; listmonk's parser accepts them, so accept printable ASCII without '"' or '\'.
        if (local.size() < 3 || local.back() != '"') return false;
        return std::all_of(local.begin() + 1, local.end() - 1, [](char c) {
            return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        });
    }
    if (local.front() == '.' || local.back() == '.') return false;
    if (local.find("..") != std::string_view::npos) return false;
    return std::all_of(local.begin(), local.end(), [](char c) { return c == '.' || isAtext(c); });
}

bool validDomain(std::string_view domain) {
    if (domain.empty() || domain.size() > 253) return false;
    if (domain.front() == '[') return false;  // address literals are not deliverable mail targets
    std::size_t start = 0;
    int labels = 0;
    while (start <= domain.size()) {
        std::size_t end = domain.find('.', start);
        if (end == std::string_view::npos) end = domain.size();
        std::string_view label = domain.substr(start, end - start);
        if (label.empty() || label.size() > 63) return false;
        if (label.front() == '-' || label.back() == '-') return false;
        for (char c : label) {
            auto u = static_cast<unsigned char>(c);
            // Internationalised domains arrive as UTF-8; allow non-ASCII bytes as IDNA would.
            if (!(std::isalnum(u) || c == '-' || u >= 0x80)) return false;
        }
        ++labels;
        start = end + 1;
        if (end == domain.size()) break;
    }
    return labels >= 2;
}

}  // namespace

std::optional<std::string> normaliseEmail(std::string_view input) {
    const std::string address = trimmed(input);
    if (address.empty() || address.size() > kMaxEmailLength) return std::nullopt;
    std::size_t at = address.rfind('@');
    if (at == std::string::npos) return std::nullopt;
    std::string_view local = std::string_view(address).substr(0, at);
    std::string_view domain = std::string_view(address).substr(at + 1);
    if (!validLocalPart(local) || !validDomain(domain)) return std::nullopt;
    return lowercase(address);
}

std::string nameFromEmail(std::string_view email) {
    std::string_view local = email.substr(0, email.find('@'));
    std::string out;
    bool word_start = true;
    for (char c : local) {
        if (c == '.' || c == '_' || c == '-' || c == '+') {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
            word_start = true;
            continue;
        }
        out.push_back(word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
        word_start = false;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out.empty() ? std::string(local) : out;
}

std::string_view emailDomain(std::string_view email) {
    auto at = email.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : email.substr(at + 1);
}

bool domainMatches(std::string_view domain, std::string_view rule) {
    if (rule.starts_with("*.")) {
        std::string_view base = rule.substr(2);
        if (domain == base) return true;
        if (domain.size() <= base.size() + 1 || !domain.ends_with(base)) return false;
        std::string_view head = domain.substr(0, domain.size() - base.size());
        // Exactly one extra label: "a." but not "a.b.".
        return head.back() == '.' && head.find('.') == head.size() - 1;
    }
    return domain == rule;
}

}  // namespace tidings::kernel
