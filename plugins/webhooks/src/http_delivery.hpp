// One webhook POST: a fresh connection per attempt (deliveries are sparse, and a new connection
// never fails for having sat idle), bounded by the endpoint's timeout for connecting, sending
// and each read.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/Context.h>

namespace tidings::webhooks {

struct PostOutcome {
    int status = 0;     ///< The HTTP status; 0 when no answer came (refused, timed out, TLS).
    std::string error;  ///< Empty on a 2xx; else what went wrong, short enough for a listing.
    bool ok() const { return status >= 200 && status < 300; }
};

class HttpDelivery {
public:
    HttpDelivery();

    /// POSTs `body` as application/json with `headers` to `url`. Never throws.
    PostOutcome post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& body, std::chrono::milliseconds timeout) noexcept;

private:
    Poco::Net::Context::Ptr tls_;  // verifies peers against the system's CA store
};

}  // namespace tidings::webhooks
