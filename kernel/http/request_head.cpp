#include "kernel/http/request_head.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <vector>

#include <Poco/String.h>

namespace tidings::kernel {
namespace {

bool isTchar(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= '0' && u <= '9') return true;
    if ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// The line's words between single or repeated spaces; nullopt when it holds any other
/// whitespace or control byte (a tab, a lone CR, NUL), which no well-formed line has.
std::optional<std::vector<std::string_view>> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at < line.size()) {
        if (line[at] == ' ') {
            ++at;
            continue;
        }
        std::size_t end = at;
        while (end < line.size() && line[end] != ' ') {
            const auto u = static_cast<unsigned char>(line[end]);
            if (u < 0x20 || u == 0x7f) return std::nullopt;
            ++end;
        }
        out.push_back(line.substr(at, end - at));
        at = end;
    }
    return out;
}

/// What a client sent, for a message: printable ASCII only and cut short.
std::string shown(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 40)) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
    }
    if (text.size() > 40) out += "...";
    return out;
}

HeadError bad(std::string message) { return {400, std::move(message)}; }

}  // namespace

std::optional<HeadError> parseRequestLine(std::string_view line, RequestLine& out) {
    auto parts = words(line);
    if (!parts) return bad("malformed request line: control characters in it");
    if (parts->size() != 3) {
        return bad("malformed request line: expected method, target and version, found " +
                   std::to_string(parts->size()) + " parts");
    }
    const std::string_view method = (*parts)[0], target = (*parts)[1], version = (*parts)[2];
    if (method.size() > 32 || !std::all_of(method.begin(), method.end(), isTchar)) {
        return bad("malformed request method \"" + shown(method) + "\"");
    }
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
        !std::isdigit(static_cast<unsigned char>(version[5])) || !std::isdigit(static_cast<unsigned char>(version[7]))) {
        return bad("malformed HTTP version \"" + shown(version) + "\"");
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        return HeadError{505, "HTTP version not supported: " + std::string(version) + " (use HTTP/1.1)"};
    }
    if (target.size() > kMaxTargetBytes) {
        return HeadError{414, "request target longer than " + std::to_string(kMaxTargetBytes) + " bytes"};
    }
    const bool origin = target.front() == '/';
    const bool asterisk = target == "*" && method == "OPTIONS";
    const bool absolute = Poco::icompare(std::string(target.substr(0, 7)), "http://") == 0 ||
                          Poco::icompare(std::string(target.substr(0, 8)), "https://") == 0;
    if (!origin && !asterisk && !absolute) return bad("malformed request target \"" + shown(target) + "\"");
    out.method = method;
    out.target = target;
    out.version = version;
    return std::nullopt;
}

std::optional<HeadError> checkFields(const Poco::Net::MessageHeader& headers, std::optional<std::int64_t>& content_length) {
    content_length.reset();
    for (const auto& [name, value] : headers) {
        if (name.empty() || !std::all_of(name.begin(), name.end(), isTchar)) {
            return bad("malformed header field name \"" + shown(name) + "\"");
        }
    }
    for (auto it = headers.find("Content-Length"); it != headers.end() && Poco::icompare(it->first, "Content-Length") == 0;
         ++it) {
        const std::string& text = it->second;
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        const auto [stop, ec] = std::from_chars(text.data(), end, value);
        if (!digits || ec != std::errc() || stop != end || value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return bad("malformed Content-Length \"" + shown(text) + "\": must be a number of bytes");
        }
        if (content_length && *content_length != static_cast<std::int64_t>(value)) {
            return bad("conflicting Content-Length headers");
        }
        content_length = static_cast<std::int64_t>(value);
    }
    int codings = 0;
    for (auto it = headers.find("Transfer-Encoding");
         it != headers.end() && Poco::icompare(it->first, "Transfer-Encoding") == 0; ++it) {
        if (content_length) return bad("both Transfer-Encoding and Content-Length: the body's length is ambiguous");
        const std::string coding = Poco::trim(it->second);
        if (Poco::icompare(coding, "chunked") != 0 || ++codings > 1) {
            return HeadError{501, "Transfer-Encoding \"" + shown(coding) + "\" is not supported (only chunked, once)"};
        }
    }
    return std::nullopt;
}

}  // namespace tidings::kernel
