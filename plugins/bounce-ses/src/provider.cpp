#include "provider.hpp"

#include <chrono>

#include <tidings/bounce_support/crypto.hpp>
#include <tidings/bounce_support/encoding.hpp>
#include <tidings/bounce_support/replay_guard.hpp>
#include <tidings/bounce_support/settings.hpp>
#include <tidings/bounce_support/timestamps.hpp>

#include "http_get.hpp"
#include "ses_notification.hpp"

namespace tidings::ses {
namespace {

namespace support = ::tidings::bounce_support;

// SNS delivers within seconds and retries for about an hour at most by default; an older
// message is a recording being played back.
constexpr std::chrono::hours kMaxAge{1};
constexpr std::chrono::minutes kClockSkew{5};
// MessageIds are remembered for longer than any message could pass the age check.
constexpr std::chrono::seconds kReplayMemory = kMaxAge + 2 * kClockSkew;
// A webhook request waits on these fetches; SNS itself gives up after 15 seconds.
constexpr std::chrono::milliseconds kFetchTimeout{5000};

}  // namespace

SesProvider::SesProvider(sdk::Host& host) : host_(host), certificates_(kFetchTimeout) {}

sdk::Status SesProvider::configure(Poco::Net::Context::Ptr tls) noexcept {
    try {
        const std::string pattern = host_.config(kOriginPatternKey).value_or(std::string(kDefaultOriginPattern));
        auto policy = std::make_shared<const OriginPolicy>(pattern);
        certificates_.setTls(tls);
        std::lock_guard lock(mutex_);
        policy_ = std::move(policy);
        tls_ = std::move(tls);
        return {};
    } catch (const std::regex_error& e) {
        return sdk::Status::invalid(std::string(kOriginPatternKey) + ": not a valid regular expression: " + e.what());
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("ses: ") + e.what());
    }
}

sdk::Status SesProvider::verifySignature(const OriginPolicy& policy, const SnsMessage& message) {
    support::Digest digest;
    if (message.signature_version == "1") {
        digest = support::Digest::Sha1;
    } else if (message.signature_version == "2") {
        digest = support::Digest::Sha256;
    } else {
        return sdk::Status::forbidden("ses: unsupported SignatureVersion '" + message.signature_version + "'");
    }
    if (!policy.allows(message.signing_cert_url, true)) {
        host_.log(sdk::LogLevel::Warning, "ses: SigningCertURL outside " + std::string(kOriginPatternKey) + ": " +
                                              message.signing_cert_url);
        return sdk::Status::forbidden("ses: SigningCertURL is not an allowed SNS certificate URL");
    }
    const auto signature = support::base64Decode(message.signature);
    if (!signature || signature->empty()) return sdk::Status::forbidden("ses: Signature is not base64");

    std::shared_ptr<EVP_PKEY> key;
    if (auto st = certificates_.publicKey(message.signing_cert_url, key); !st) return st;
    if (!support::verifySignature(*key, digest, stringToSign(message), *signature))
        return sdk::Status::forbidden("ses: signature does not match");
    return {};
}

sdk::Status SesProvider::checkFreshness(const SnsMessage& message) const {
    const auto at = support::parseRfc3339(message.timestamp);
    if (!at) return sdk::Status::invalid("Timestamp: must be RFC 3339");
    const auto age = support::now() - *at;
    if (age > kMaxAge || age < -kClockSkew)
        return sdk::Status::forbidden("ses: Timestamp outside the accepted window (replay?)");
    return {};
}

sdk::Status SesProvider::confirmSubscription(const OriginPolicy& policy, const SnsMessage& message) {
    if (!policy.allows(message.subscribe_url, false)) {
        host_.log(sdk::LogLevel::Warning, "ses: SubscribeURL outside " + std::string(kOriginPatternKey) + ": " +
                                              message.subscribe_url);
        return sdk::Status::forbidden("ses: SubscribeURL is not an allowed SNS URL");
    }
    Poco::Net::Context::Ptr tls;
    {
        std::lock_guard lock(mutex_);
        tls = tls_;
    }
    const HttpAnswer answer = httpGet(message.subscribe_url, tls, kFetchTimeout);
    if (!answer.reached || answer.status != 200) {
        const std::string why = answer.reached ? "HTTP " + std::to_string(answer.status) : answer.error;
        host_.log(sdk::LogLevel::Error, "ses: confirming the subscription to " + message.topic_arn + " failed: " + why);
        return sdk::Status::unavailable("ses: subscription confirmation failed");
    }
    host_.log(sdk::LogLevel::Info, "ses: confirmed the SNS subscription to " + message.topic_arn);
    return {};
}

sdk::Status SesProvider::handle(const sdk::Request& request, std::vector<sdk::BounceEvent>& events,
                                sdk::Response& response) noexcept {
    try {
        if (!support::SettingView::read(host_, "bounce.ses_enabled").flag())
            return sdk::Status::notFound("ses: provider is disabled (bounce.ses_enabled)");
        std::shared_ptr<const OriginPolicy> policy;
        {
            std::lock_guard lock(mutex_);
            policy = policy_;
        }
        if (!policy) return sdk::Status::unavailable("ses: provider is not started");

        SnsMessage message;
        if (auto st = parseSnsMessage(request.body, message); !st) return st;
        // SNS sends the type twice; a disagreement means someone edited one of them.
        if (const auto header = request.header("x-amz-sns-message-type"); header && *header != message.type)
            return sdk::Status::invalid("x-amz-sns-message-type: does not match the message's Type");
        if (auto st = verifySignature(*policy, message); !st) return st;
        if (auto st = checkFreshness(message); !st) return st;

        std::vector<sdk::BounceEvent> parsed;
        if (message.type == "Notification") {
            if (auto st = parseSesNotification(message.message, parsed); !st) return st;
        }
        if (auto st = support::claimOnce(host_, "sns-message", message.message_id, kReplayMemory); !st) return st;

        if (message.type == "SubscriptionConfirmation") {
            if (auto st = confirmSubscription(*policy, message); !st) return st;
        } else if (message.type == "UnsubscribeConfirmation") {
            // Not visited: its SubscribeURL would undo the unsubscription someone just made.
            host_.log(sdk::LogLevel::Info, "ses: SNS topic " + message.topic_arn + " unsubscribed this endpoint");
        }
        events = std::move(parsed);
        response.json(200, R"({"data":true})");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("ses: ") + e.what());
    }
}

}  // namespace tidings::ses
