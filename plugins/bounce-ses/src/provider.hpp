// The Amazon SES bounce provider: POST /webhooks/service/ses, where an SNS topic delivers SES's
// bounce and complaint notifications.
#pragma once

#include <memory>
#include <mutex>

#include <Poco/Net/Context.h>

#include <tidings/sdk/v1/host.hpp>

#include "certificate_cache.hpp"
#include "origin_policy.hpp"
#include "sns_message.hpp"

namespace tidings::ses {

/// Verifies every SNS message (signature versions 1 and 2 under a certificate fetched from an
/// allowed origin, a Timestamp within the last hour, a MessageId not seen before), confirms
/// subscriptions, and turns SES bounce and complaint notifications into bounce events.
/// Switched by the runtime setting `bounce.ses_enabled`. Safe on many threads once configured.
class SesProvider final : public sdk::BounceProvider {
public:
    explicit SesProvider(sdk::Host& host);

    /// Reads the operator configuration and sets up TLS; called from the plugin's start(), before
    /// any request. Invalid when the origin pattern is not a valid regular expression.
    sdk::Status configure(Poco::Net::Context::Ptr tls) noexcept;

    std::string_view name() const noexcept override { return "ses"; }

    sdk::Status handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                       sdk::Response& response) noexcept override;

private:
    sdk::Status verifySignature(const OriginPolicy& policy, const SnsMessage& message);
    sdk::Status checkFreshness(const SnsMessage& message) const;
    sdk::Status confirmSubscription(const OriginPolicy& policy, const SnsMessage& message);

    sdk::Host& host_;
    CertificateCache certificates_;
    std::mutex mutex_;  // guards the two members below, written once by configure()
    std::shared_ptr<const OriginPolicy> policy_;
    Poco::Net::Context::Ptr tls_;
};

}  // namespace tidings::ses
