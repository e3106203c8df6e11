// listmonk's pre-parse rewrites, done by hand rather than with regex so they cost one linear
// scan and match listmonk's patterns exactly (see template.hpp for the patterns).
#include <array>

#include "kernel/template/template.hpp"

namespace tidings::kernel::tmpl {

namespace {

// Go's regexp \s: [\t\n\f\r ].
bool isRegexSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// The characters listmonk's @TrackLink pattern allows in a URL: letters and digits (any
// non-ASCII byte counts as a letter here) and RFC 3986's unreserved, reserved and sub-delims.
bool isUrlChar(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("_-.~!#$&'()*+,/:;=?@[]").find(c) != std::string_view::npos;
}

std::size_t skipSpace(std::string_view s, std::size_t i) {
    while (i < s.size() && isRegexSpace(s[i])) ++i;
    return i;
}

// {{\s*TrackLink\s+"([^"]+)"\s*}}  ->  {{ TrackLink "$1" . }}
std::string quotedTrackLink(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    for (std::size_t open = s.find("{{"); open != std::string_view::npos; open = s.find("{{", open + 1)) {
        if (open < i) continue;
        std::size_t k = skipSpace(s, open + 2);
        if (s.substr(k, 9) != "TrackLink") continue;
        k += 9;
        std::size_t q = skipSpace(s, k);
        if (q == k || q >= s.size() || s[q] != '"') continue;
        std::size_t close = s.find('"', q + 1);
        if (close == std::string_view::npos || close == q + 1) continue;
        std::size_t end = skipSpace(s, close + 1);
        if (s.substr(end, 2) != "}}") continue;
        out.append(s.substr(i, open - i));
        out += "{{ TrackLink \"";
        out.append(s.substr(q + 1, close - q - 1));
        out += "\" . }}";
        i = end + 2;
        open = end + 1;
    }
    out.append(s.substr(i));
    return out;
}

// (https?://[URL chars]*)@TrackLink  ->  {{ TrackLink "$1" . }}
std::string atTrackLink(std::string_view s) {
    constexpr std::string_view marker = "@TrackLink";
    if (s.find(marker) == std::string_view::npos) return std::string(s);
    std::string out;
    std::size_t i = 0, p = 0;
    while ((p = s.find("http", p)) != std::string_view::npos) {
        std::size_t schemeEnd = s.substr(p, 8) == "https://" ? p + 8 : s.substr(p, 7) == "http://" ? p + 7 : 0;
        if (!schemeEnd) {
            ++p;
            continue;
        }
        std::size_t q = schemeEnd;
        while (q < s.size() && isUrlChar(s[q])) ++q;
        // Greedy like the regex: the last "@TrackLink" inside the run of URL characters.
        std::size_t at = q >= marker.size() ? s.rfind(marker, q - marker.size()) : std::string_view::npos;
        if (at == std::string_view::npos || at < schemeEnd) {
            ++p;
            continue;
        }
        out.append(s.substr(i, p - i));
        out += "{{ TrackLink \"";
        out.append(s.substr(p, at - p));
        out += "\" . }}";
        i = p = at + marker.size();
    }
    out.append(s.substr(i));
    return out;
}

// {{(\s+)?(TrackView|UnsubscribeURL|ManageURL|OptinURL|MessageURL)(\s+)?}}  ->  {{ $2 . }}
std::string bareFunctions(std::string_view s) {
    static constexpr std::array<std::string_view, 5> names = {"TrackView", "UnsubscribeURL", "ManageURL", "OptinURL",
                                                              "MessageURL"};
    std::string out;
    std::size_t i = 0;
    for (std::size_t open = s.find("{{"); open != std::string_view::npos; open = s.find("{{", open + 1)) {
        if (open < i) continue;
        std::size_t k = skipSpace(s, open + 2);
        for (auto name : names) {
            if (s.substr(k, name.size()) != name) continue;
            std::size_t end = skipSpace(s, k + name.size());
            if (s.substr(end, 2) != "}}") continue;
            out.append(s.substr(i, open - i));
            out += "{{ ";
            out += name;
            out += " . }}";
            i = end + 2;
            open = end + 1;
            break;
        }
    }
    out.append(s.substr(i));
    return out;
}

}  // namespace

std::string rewriteListmonkShorthands(std::string_view source) {
    return bareFunctions(atTrackLink(quotedTrackLink(source)));
}

}  // namespace tidings::kernel::tmpl
