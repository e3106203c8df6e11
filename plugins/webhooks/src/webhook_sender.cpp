#include "webhook_sender.hpp"

#include <algorithm>

#include <Poco/UUIDGenerator.h>

#include "delivery_body.hpp"
#include "retry_schedule.hpp"
#include "signature.hpp"

namespace tidings::webhooks {
namespace {

using Clock = std::chrono::steady_clock;

// Deliveries claimed at once. Small, so that a batch sent one after the other stays well inside
// its lease even when every receiver times out.
constexpr std::size_t kBatch = 5;
// Added to a batch's worst-case sending time to form its lease.
constexpr std::chrono::seconds kLeaseMargin{30};
constexpr std::chrono::hours kPruneEvery{1};

std::chrono::milliseconds leaseFor(const Endpoints& endpoints) {
    std::chrono::milliseconds slowest{5000};
    for (const auto& e : endpoints) slowest = std::max(slowest, e.timeout);
    // A POST may use the timeout for connecting, sending and reading alike.
    return slowest * 3 * static_cast<long long>(kBatch) + kLeaseMargin;
}

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

WebhookSender::WebhookSender(sdk::Host& host, EndpointSettings& settings) : host_(host), settings_(settings) {}

void WebhookSender::start(SenderOptions options) {
    std::lock_guard lock(mutex_);
    if (running_) return;
    options_ = options;
    running_ = true;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void WebhookSender::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    running_ = false;
}

void WebhookSender::wake() noexcept {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

void WebhookSender::run() noexcept {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        woken_ = false;
        lock.unlock();
        auto next_poll = Clock::now() + options_.poll_interval;
        try {
            if (auto* outbox = host_.outbox()) {
                // A full batch suggests more are due: keep going until one comes back short.
                while (sendBatch(*outbox, next_poll) == kBatch) {
                    std::lock_guard check(mutex_);
                    if (stopping_) break;
                }
                pruneIfDue(*outbox);
            }
        } catch (const std::exception& e) {
            host_.log(sdk::LogLevel::Error, std::string("webhook sender: ") + e.what());
        } catch (...) {
            host_.log(sdk::LogLevel::Error, "webhook sender: unknown error");
        }
        lock.lock();
        wake_.wait_until(lock, next_poll, [this] { return stopping_ || woken_; });
    }
}

std::size_t WebhookSender::sendBatch(sdk::OutboxStore& outbox, Clock::time_point& next_poll) {
    const auto endpoints = settings_.current();
    // A token per claim: a lapsed lease re-claimed by this very process must not let the
    // earlier attempt's outcome overwrite the later one's.
    const std::string token = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    std::vector<sdk::OutboxClaim> claims;
    if (auto st = outbox.claimDue(kChannel, token, kBatch, leaseFor(*endpoints), claims); !st) {
        host_.log(sdk::LogLevel::Warning, "webhooks: claiming deliveries failed: " + st.message());
        return 0;
    }
    for (const auto& claim : claims) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) break;  // the rest keep their lease and are sent once it lapses
        }
        deliver(outbox, claim, *endpoints, next_poll);
    }
    return claims.size();
}

void WebhookSender::deliver(sdk::OutboxStore& outbox, const sdk::OutboxClaim& claim, const Endpoints& endpoints,
                            Clock::time_point& next_poll) {
    const auto& job = claim.job;
    const std::string what = "webhook " + job.event + " " + job.uuid + " to '" + job.destination + "'";
    const Endpoint* ep = findEndpoint(endpoints, job.destination);
    if (!ep || !ep->enabled) {
        const std::string why = ep ? "the endpoint is disabled" : "the endpoint is no longer configured";
        host_.log(sdk::LogLevel::Warning, what + ": given up: " + why);
        if (auto st = outbox.markFailed(job.id, claim.token, 0, why, std::nullopt); !st)
            host_.log(sdk::LogLevel::Warning, what + ": " + st.message());
        return;
    }

    const std::string body = deliveryBody(job);
    const PostOutcome outcome = http_.post(ep->url,
                                           {{"X-Tidings-Event", job.event},
                                            {"X-Tidings-Delivery", job.uuid},
                                            {"X-Tidings-Signature", signatureHeader(ep->secret, unixNow(), body)}},
                                           body, ep->timeout);
    sdk::Status st;
    if (outcome.ok()) {
        st = outbox.markSucceeded(job.id, claim.token, outcome.status);
    } else if (job.attempts >= ep->max_attempts || outcome.status == 410) {
        // 410 Gone: the receiver says this address will never take deliveries again.
        host_.log(sdk::LogLevel::Error, what + ": given up after " + std::to_string(job.attempts) +
                                            " attempt(s): " + outcome.error);
        st = outbox.markFailed(job.id, claim.token, outcome.status, outcome.error, std::nullopt);
    } else {
        const auto delay = retryDelay(job.attempts, ep->retry_base);
        host_.log(sdk::LogLevel::Warning, what + ": attempt " + std::to_string(job.attempts) + " failed (" +
                                              outcome.error + "); retrying in " + std::to_string(delay.count()) + " ms");
        st = outbox.markFailed(job.id, claim.token, outcome.status, outcome.error, delay);
        next_poll = std::min(next_poll, Clock::now() + delay);
    }
    // Conflict: the lease lapsed and another claimer took over; its outcome is the one kept.
    if (!st) host_.log(sdk::LogLevel::Warning, what + ": recording the outcome failed: " + st.message());
}

void WebhookSender::pruneIfDue(sdk::OutboxStore& outbox) {
    const auto now = Clock::now();
    if (now < next_prune_) return;
    next_prune_ = now + kPruneEvery;
    std::int64_t affected = 0;
    if (auto st = outbox.prune(kChannel, options_.retention, affected); !st)
        host_.log(sdk::LogLevel::Warning, "webhooks: pruning old deliveries failed: " + st.message());
    else if (affected > 0)
        host_.log(sdk::LogLevel::Info, "webhooks: pruned " + std::to_string(affected) + " old deliveries");
}

}  // namespace tidings::webhooks
