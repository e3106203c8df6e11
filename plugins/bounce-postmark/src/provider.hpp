// The Postmark bounce provider: POST /webhooks/service/postmark.
#pragma once

#include <tidings/sdk/v1/host.hpp>

namespace tidings::postmark {

namespace sdk = ::tidings::sdk::v1;

/// Verifies Postmark's Basic credentials against the runtime setting `bounce.postmark`
/// (`{enabled, username, password}`, read per request) and turns Bounce and SpamComplaint
/// records into bounce events. Stateless apart from the host, so safe on many threads at once.
class PostmarkProvider final : public sdk::BounceProvider {
public:
    explicit PostmarkProvider(sdk::Host& host) : host_(host) {}

    std::string_view name() const noexcept override { return "postmark"; }

    sdk::Status handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                       sdk::Response& response) noexcept override;

private:
    sdk::Status authenticate(const sdk::Request& request) const;

    sdk::Host& host_;
};

}  // namespace tidings::postmark
