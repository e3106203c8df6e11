#include "kernel/template/escape_functions.hpp"

#include <cctype>
#include <cstdio>

#include "kernel/template/format.hpp"

namespace tidings::kernel::tmpl {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

bool isAlnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

void appendU4(std::string& out, unsigned cp, bool upper = false) {
    const char* h = upper ? kHexUpper : kHex;
    out += "\\u";
    out += h[(cp >> 12) & 15];
    out += h[(cp >> 8) & 15];
    out += h[(cp >> 4) & 15];
    out += h[cp & 15];
}

// html/template's htmlReplacementTable (normalize=false) or htmlNormReplacementTable (true:
// existing entities are left alone because the input is already HTML).
void htmlTable(std::string& out, std::string_view s, bool normalize, bool nospace) {
    // Copy runs of ordinary characters in one append; most text has few special characters.
    std::string_view specials = nospace ? std::string_view("\0\"&'+<>\t\n\v\f\r =`", 15) : std::string_view("\0\"&'+<>", 7);
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t j = s.find_first_of(specials, i);
        if (j == std::string_view::npos) {
            out.append(s.substr(i));
            return;
        }
        out.append(s.substr(i, j - i));
        switch (s[j]) {
        case '\0': out += nospace ? "&#xfffd;" : "\xEF\xBF\xBD"; break;
        case '"': out += "&#34;"; break;
        case '&': if (normalize) out += '&'; else out += "&amp;"; break;
        case '\'': out += "&#39;"; break;
        case '+': out += "&#43;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '\t': out += "&#9;"; break;
        case '\n': out += "&#10;"; break;
        case '\v': out += "&#11;"; break;
        case '\f': out += "&#12;"; break;
        case '\r': out += "&#13;"; break;
        case ' ': out += "&#32;"; break;
        case '=': out += "&#61;"; break;
        case '`': out += "&#96;"; break;
        default: out += s[j];
        }
        i = j + 1;
    }
}

// Removes tags from trusted HTML so it can sit in an attribute value (html/template's stripTags,
// simplified: drops every <...> run and HTML comments).
std::string stripTags(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == '<' && i + 1 < s.size() && (isAlnum(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' || s[i + 1] == '!')) {
            std::size_t end = s.substr(i, 4) == "<!--" ? s.find("-->", i) : s.find('>', i);
            if (end == std::string_view::npos) break;
            i = end + (s[end] == '-' ? 3 : 1);
            continue;
        }
        out += s[i++];
    }
    return out;
}

// html/template's urlFilter: only http, https and mailto schemes (or none) pass.
bool urlIsSafe(std::string_view s) {
    std::size_t colon = s.find(':');
    if (colon == std::string_view::npos) return true;
    std::string_view scheme = s.substr(0, colon);
    if (scheme.find('/') != std::string_view::npos) return true;
    std::string lower;
    for (char c : scheme) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lower == "http" || lower == "https" || lower == "mailto";
}

// html/template's processURLOnto: `normalize` keeps reserved characters and valid %XX escapes.
void urlProcess(std::string& out, std::string_view s, bool normalize) {
    std::size_t written = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        bool keep = false;
        switch (c) {
        case '!': case '#': case '$': case '&': case '*': case '+': case ',': case '/': case ':':
        case ';': case '=': case '?': case '@': case '[': case ']':
            keep = normalize;
            break;
        case '-': case '.': case '_': case '~': keep = true; break;
        case '%':
            keep = normalize && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 2]));
            break;
        default: keep = isAlnum(c);
        }
        if (keep) continue;
        out.append(s.substr(written, i - written));
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
        written = i + 1;
    }
    out.append(s.substr(written));
}

// html/template's jsStrReplacementTable (regexp=false) and jsRegexpReplacementTable.
void jsString(std::string& out, std::string_view s, bool regexp) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '\t': out += "\\t"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\f': out += "\\f"; continue;
        case '"': out += "\\u0022"; continue;
        case '`': out += "\\u0060"; continue;
        case '&': out += "\\u0026"; continue;
        case '\'': out += "\\u0027"; continue;
        case '+': out += regexp ? "\\u002b" : "\\u002b"; continue;
        case '/': out += "\\/"; continue;
        case '<': out += "\\u003c"; continue;
        case '>': out += "\\u003e"; continue;
        case '\\': out += "\\\\"; continue;
        default: break;
        }
        if (regexp && std::string_view("$()*-.?[]^{|}").find(static_cast<char>(c)) != std::string_view::npos) {
            out += '\\';
            out += static_cast<char>(c);
            continue;
        }
        if (c < 0x20) {
            appendU4(out, c);
            continue;
        }
        // U+2028 and U+2029 end lines in JS.
        if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
            appendU4(out, static_cast<unsigned char>(s[i + 2]) == 0xA8 ? 0x2028 : 0x2029);
            i += 2;
            continue;
        }
        out += static_cast<char>(c);
    }
}

void cssEscape(std::string& out, std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        const char* rep = nullptr;
        switch (c) {
        case '\0': rep = "\\0"; break;
        case '\t': rep = "\\9"; break;
        case '\n': rep = "\\a"; break;
        case '\f': rep = "\\c"; break;
        case '\r': rep = "\\d"; break;
        case '"': rep = "\\22"; break;
        case '&': rep = "\\26"; break;
        case '\'': rep = "\\27"; break;
        case '(': rep = "\\28"; break;
        case ')': rep = "\\29"; break;
        case '+': rep = "\\2b"; break;
        case '/': rep = "\\2f"; break;
        case ':': rep = "\\3a"; break;
        case ';': rep = "\\3b"; break;
        case '<': rep = "\\3c"; break;
        case '>': rep = "\\3e"; break;
        case '\\': rep = "\\\\"; break;
        case '{': rep = "\\7b"; break;
        case '}': rep = "\\7d"; break;
        default: break;
        }
        if (!rep) {
            out += c;
            continue;
        }
        out += rep;
        // A hex digit or space after a hex escape would be read as part of it.
        std::string_view r(rep);
        if (r != "\\\\" && i + 1 < s.size() && (std::isxdigit(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == ' ')) {
            out += ' ';
        }
    }
}

// html/template's cssValueFilter: values that could break out of a CSS value become ZgotmplZ.
void cssValueFilter(std::string& out, std::string_view s) {
    std::string lower;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        switch (c) {
        case '\0': case '"': case '\'': case '(': case ')': case '/': case ';': case '@': case '[':
        case '\\': case ']': case '`': case '{': case '}': case '<': case '>':
            out += kFilterFailsafe;
            return;
        case '-':
            if (i != 0 && s[i - 1] == '-') {
                out += kFilterFailsafe;
                return;
            }
            break;
        default: break;
        }
        if (isAlnum(static_cast<unsigned char>(c))) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower.find("expression") != std::string::npos || lower.find("mozbinding") != std::string::npos) {
        out += kFilterFailsafe;
        return;
    }
    out += s;
}

}  // namespace

void appendHtmlEscapedGo(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
        case '\0': out += "\xEF\xBF\xBD"; break;
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        default: out += c;
        }
    }
}

void appendJsEscapedGo(std::string& out, std::string_view s) {
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\'': out += "\\'"; break;
        case '"': out += "\\\""; break;
        case '<': out += "\\u003C"; break;
        case '>': out += "\\u003E"; break;
        case '&': out += "\\u0026"; break;
        case '=': out += "\\u003D"; break;
        default:
            if (c < 0x20) appendU4(out, c, true);
            else out += ch;
        }
    }
}

void appendQueryEscaped(std::string& out, std::string_view s) {
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += ch;
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHexUpper[c >> 4];
            out += kHexUpper[c & 15];
        }
    }
}

void appendJson(std::string& out, const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Null:
    case Value::Kind::Func: out += "null"; break;
    case Value::Kind::Bool:
    case Value::Kind::Int: appendValue(out, v); break;
    case Value::Kind::Double: {
        // encoding/json: %f-style unless the exponent is very small or large.
        double d = v.asDouble();
        double a = d < 0 ? -d : d;
        if (a != 0 && (a < 1e-6 || a >= 1e21)) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.17g", d);
            out += buf;
        } else {
            std::string f = formatFloat(d);
            if (f.find('e') != std::string::npos) {
                char buf[400];
                std::snprintf(buf, sizeof buf, "%.0f", d);
                f = buf;
            }
            out += f;
        }
        break;
    }
    case Value::Kind::String:
    case Value::Kind::SafeHtml: {
        out += '"';
        const std::string& s = v.str();
        for (std::size_t i = 0; i < s.size(); ++i) {
            auto c = static_cast<unsigned char>(s[i]);
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '<': case '>': case '&': appendU4(out, c); break;
            default:
                if (c < 0x20) {
                    appendU4(out, c);
                } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                           (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
                    appendU4(out, static_cast<unsigned char>(s[i + 2]) == 0xA8 ? 0x2028 : 0x2029);
                    i += 2;
                } else {
                    out += static_cast<char>(c);
                }
            }
        }
        out += '"';
        break;
    }
    case Value::Kind::List: {
        out += '[';
        bool first = true;
        for (const auto& item : v.items()) {
            if (!first) out += ',';
            first = false;
            appendJson(out, item);
        }
        out += ']';
        break;
    }
    case Value::Kind::Map: {
        out += '{';
        bool first = true;
        for (const auto& [k, item] : v.entries()) {
            if (!first) out += ',';
            first = false;
            appendJson(out, Value(k));
            out += ':';
            appendJson(out, item);
        }
        out += '}';
        break;
    }
    }
}

void appendJsValue(std::string& out, const Value& v) {
    if (v.isNull()) {
        out += " null ";
        return;
    }
    std::string json;
    appendJson(json, v);
    auto identPart = [](char c) { return isAlnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
    // Pad so that numbers and keywords cannot run into neighbouring identifiers (`in`, `typeof`).
    bool padIt = !json.empty() && (identPart(json.front()) || identPart(json.back()));
    if (padIt) out += ' ';
    out += json;
    if (padIt) out += ' ';
}

void applyEscaper(Escaper e, std::string_view s, bool safeHtml, std::string& out) {
    switch (e) {
    case Escaper::Html:
        if (safeHtml) out += s;
        else htmlTable(out, s, false, false);
        break;
    case Escaper::Rcdata: htmlTable(out, s, safeHtml, false); break;
    case Escaper::Attr:
        if (safeHtml) htmlTable(out, stripTags(s), true, false);
        else htmlTable(out, s, false, false);
        break;
    case Escaper::NoSpace:
        if (s.empty()) {
            out += kFilterFailsafe;
        } else if (safeHtml) {
            htmlTable(out, stripTags(s), true, true);
        } else {
            htmlTable(out, s, false, true);
        }
        break;
    case Escaper::HtmlName: {
        bool ok = !s.empty();
        std::string lower;
        for (char c : s) {
            if (!isAlnum(static_cast<unsigned char>(c))) ok = false;
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        // Names that would make the value script, style or a URL are refused.
        if (ok && (lower.rfind("on", 0) == 0 || lower == "style" || lower == "href" || lower == "src" ||
                   lower.find("url") != std::string::npos || lower.find("uri") != std::string::npos ||
                   lower.find("src") != std::string::npos)) {
            ok = false;
        }
        out += ok ? std::string_view(lower) : kFilterFailsafe;
        break;
    }
    case Escaper::UrlFilter:
        if (urlIsSafe(s)) out += s;
        else out += "#ZgotmplZ";
        break;
    case Escaper::UrlNormalizer: urlProcess(out, s, true); break;
    case Escaper::UrlEscaper: urlProcess(out, s, false); break;
    case Escaper::Srcset: {
        // Each comma-separated candidate: a URL (filtered, normalised) and an optional descriptor.
        std::size_t start = 0;
        while (start <= s.size()) {
            std::size_t comma = s.find(',', start);
            std::string_view part = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            std::size_t a = 0;
            while (a < part.size() && part[a] == ' ') ++a;
            std::size_t b = part.find(' ', a);
            std::string_view url = part.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a);
            out.append(part.substr(0, a));
            if (urlIsSafe(url)) urlProcess(out, url, true);
            else out += "#ZgotmplZ";
            if (b != std::string_view::npos) htmlTable(out, part.substr(b), false, false);
            if (comma == std::string_view::npos) break;
            out += ',';
            start = comma + 1;
        }
        break;
    }
    case Escaper::JsValue: appendJsValue(out, Value(s)); break;
    case Escaper::JsString: jsString(out, s, false); break;
    case Escaper::JsRegexp:
        if (s.empty()) out += "(?:)";
        else jsString(out, s, true);
        break;
    case Escaper::JsTemplate:
        for (char c : s) {
            if (c == '$' || c == '{' || c == '}') {
                out += '\\';
                out += c;
            } else {
                jsString(out, std::string_view(&c, 1), false);
            }
        }
        break;
    case Escaper::CssValue: cssValueFilter(out, s); break;
    case Escaper::CssString: cssEscape(out, s); break;
    case Escaper::Comment: break;
    }
}

}  // namespace tidings::kernel::tmpl
