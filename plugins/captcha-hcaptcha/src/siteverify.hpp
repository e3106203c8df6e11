// One POST to a siteverify endpoint (hCaptcha's protocol: a form-encoded request, a JSON answer).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tidings::hcaptcha {

/// What came back. `reached` is false when no HTTP answer arrived (DNS, connect, TLS, timeout);
/// `error` then says why, for the log.
struct HttpAnswer {
    bool reached = false;
    int status = 0;
    std::string body;
    std::string error;
};

/// application/x-www-form-urlencoded encoding of name/value pairs.
std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields);

/// POSTs `form_body` to `url` (http or https) with `timeout` applied to connecting, sending and
/// each read. HTTPS verifies the server's certificate against the system's CA store. Thread-safe;
/// never throws.
HttpAnswer postForm(std::string_view url, const std::string& form_body,
                    std::chrono::milliseconds timeout) noexcept;

}  // namespace tidings::hcaptcha
