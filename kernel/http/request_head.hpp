// The rules for a request's head (RFC 9112), checked before anything is dispatched: the request
// line and how the body is framed. Poco's parser takes the first three words of any line and
// any version, and a Content-Length it cannot read ends the connection without an answer;
// these checks turn every such request into a 400 (or 505) that names the problem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/Net/MessageHeader.h>

namespace tidings::kernel {

/// Why a request head is refused: the status to answer and a message naming the problem.
struct HeadError {
    int status = 400;
    std::string message;
};

/// A request line that passed parseRequestLine().
struct RequestLine {
    std::string method;   ///< A token, e.g. "GET".
    std::string target;   ///< "/path?query", "*" or an absolute URI.
    std::string version;  ///< "HTTP/1.0" or "HTTP/1.1".
};

/// The longest request target accepted (Poco's own limit); longer ones get 414.
inline constexpr std::size_t kMaxTargetBytes = 16384;

/// Parses `line` (without its line end): exactly method SP target SP version, the method a
/// token, the target free of spaces and control bytes, the version HTTP/<digit>.<digit>.
/// Malformed: 400; longer target: 414; a well-formed version other than 1.0 or 1.1: 505.
std::optional<HeadError> parseRequestLine(std::string_view line, RequestLine& out);

/// Checks the header fields: every name is a token ("Content-Length :" is not Content-Length to
/// Poco, but is to some proxies); every Content-Length is 1*DIGIT, fits in 63 bits and agrees
/// with the others; Transfer-Encoding, if any, is "chunked" alone and comes without a
/// Content-Length. Each of these ambiguities would let a proxy and this server disagree on
/// where the body ends. Sets `content_length` when there is one. 400, or 501 for another
/// transfer coding.
std::optional<HeadError> checkFields(const Poco::Net::MessageHeader& headers, std::optional<std::int64_t>& content_length);

}  // namespace tidings::kernel
