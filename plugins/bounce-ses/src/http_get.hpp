// The two outbound requests SNS verification needs: fetching a signing certificate and visiting
// a SubscribeURL. Both are small GETs with a short timeout and a capped body.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <Poco/Net/Context.h>

namespace tidings::ses {

struct HttpAnswer {
    bool reached = false;  ///< False: no complete HTTP answer (the reason is in `error`).
    int status = 0;
    std::string body;
    std::string error;
};

/// GETs an http or https URL (https verified against `tls`, the system CA store). Redirects are
/// not followed: the URL was checked against the origin policy and a redirect would escape it.
/// Never throws.
HttpAnswer httpGet(std::string_view url, const Poco::Net::Context::Ptr& tls, std::chrono::milliseconds timeout) noexcept;

}  // namespace tidings::ses
