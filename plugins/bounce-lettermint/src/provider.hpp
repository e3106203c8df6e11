// The Lettermint bounce provider: POST /webhooks/service/lettermint.
#pragma once

#include <tidings/sdk/v1/host.hpp>

namespace tidings::lettermint {

namespace sdk = ::tidings::sdk::v1;

/// Checks `X-Lettermint-Signature` (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
/// under the key in the runtime setting `bounce.lettermint`, read per request; `t` within five
/// minutes of now) and turns hard bounces, soft bounces and spam complaints into bounce events.
/// Each delivery's `id` is accepted once. Stateless apart from the host, so safe on many threads
/// at once.
class LettermintProvider final : public sdk::BounceProvider {
public:
    explicit LettermintProvider(sdk::Host& host) : host_(host) {}

    std::string_view name() const noexcept override { return "lettermint"; }

    sdk::Status handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                       sdk::Response& response) noexcept override;

private:
    sdk::Host& host_;
};

}  // namespace tidings::lettermint
