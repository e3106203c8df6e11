#include "kernel/core/mail_queue.hpp"

#include <algorithm>

#include <Poco/Logger.h>
#include <Poco/UUIDGenerator.h>

#include "kernel/core/message_codec.hpp"
#include "kernel/core/status_error.hpp"

namespace tidings::kernel {
namespace {

constexpr std::string_view kChannel = "mail";
constexpr std::size_t kClaimBatch = 16;
constexpr auto kKeepFinished = std::chrono::hours(24 * 7);

Poco::Logger& log() { return Poco::Logger::get("tidings.mail"); }

std::string recipients(const sdk::Message& m) {
    std::string out;
    for (const auto& to : m.to) out += (out.empty() ? "" : ", ") + to;
    return out;
}

}  // namespace

MailQueue::MailQueue(sdk::OutboxStore* outbox, MessengerLookup messengers, MailQueueOptions options)
    : outbox_(outbox),
      messengers_(std::move(messengers)),
      options_(options),
      token_(Poco::UUIDGenerator::defaultGenerator().createRandom().toString()) {}

MailQueue::~MailQueue() { stop(); }

void MailQueue::enqueue(const sdk::Message& message, const std::string& messenger) {
    if (!outbox_) {
        sdk::Messenger* m = messengers_(messenger);
        if (!m) throw StatusError(sdk::Status::unavailable("no messenger '" + messenger + "' is enabled"));
        check(m->push(message));
        return;
    }
    sdk::OutboxDraft draft;
    draft.channel = std::string(kChannel);
    draft.destination = messenger;
    draft.event = recipients(message);
    draft.payload = encodeMessage(message);
    sdk::OutboxJob job;
    check(outbox_->enqueue(draft, job));
    {
        std::lock_guard lock(mutex_);
        pending_ = true;
    }
    wake_.notify_one();
}

void MailQueue::start() {
    if (!outbox_) return;
    std::lock_guard lock(mutex_);
    if (running_) return;
    running_ = true;
    pending_ = true;  // mail left from before a restart is due at once
    worker_ = std::thread([this] { run(); });
}

void MailQueue::stop() {
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        running_ = false;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void MailQueue::run() {
    auto last_prune = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (running_) {
        wake_.wait_for(lock, options_.poll, [this] { return !running_ || pending_; });
        if (!running_) break;
        pending_ = false;
        lock.unlock();
        try {
            // A full batch means more may be due: keep going until a round comes back short.
            while (sendDue() == kClaimBatch) {
            }
            if (std::chrono::steady_clock::now() - last_prune > std::chrono::hours(1)) {
                std::int64_t pruned = 0;
                outbox_->prune(kChannel, std::chrono::duration_cast<std::chrono::seconds>(kKeepFinished), pruned);
                last_prune = std::chrono::steady_clock::now();
            }
        } catch (const std::exception& e) {
            log().warning("mail queue: %s", std::string(e.what()));
        }
        lock.lock();
    }
}

std::chrono::milliseconds MailQueue::retryDelay(int attempts) const {
    auto delay = options_.first_retry;
    for (int i = 1; i < attempts && delay < options_.max_retry; ++i) delay *= 2;
    return std::min(delay, options_.max_retry);
}

std::size_t MailQueue::sendDue() {
    std::vector<sdk::OutboxClaim> claims;
    if (auto st = outbox_->claimDue(kChannel, token_, kClaimBatch, options_.lease, claims); !st) {
        log().warning("mail queue: claiming due mail failed: %s", st.message());
        return 0;
    }
    for (const auto& claim : claims) {
        const sdk::OutboxJob& job = claim.job;
        sdk::Status sent;
        try {
            const sdk::Message message = decodeMessage(job.payload);
            sdk::Messenger* messenger = messengers_(job.destination);
            sent = messenger ? messenger->push(message)
                             : sdk::Status::unavailable("no messenger '" + job.destination + "' is enabled");
        } catch (const StatusError& e) {
            sent = e.status();
        }
        if (sent) {
            outbox_->markSucceeded(job.id, claim.token, 250);
            if (job.attempts > 1) log().information("mail %s to %s sent on attempt %d", job.uuid, job.event, job.attempts);
            continue;
        }
        if (sent.code() == sdk::StatusCode::Unconfirmed) {
            // The relay may well have it: sending again could deliver it twice.
            outbox_->markSucceeded(job.id, claim.token, 0);
            log().warning("mail %s to %s: the relay's answer was lost, not sent again: %s", job.uuid, job.event,
                          sent.message());
            continue;
        }
        // Unavailable is transient (relay down, 4xx); anything else will not get better.
        const bool retry = sent.code() == sdk::StatusCode::Unavailable && job.attempts < options_.max_attempts;
        std::optional<std::chrono::milliseconds> after;
        if (retry) after = retryDelay(job.attempts);
        outbox_->markFailed(job.id, claim.token, 0, sent.message(), after);
        if (retry) {
            log().warning("mail %s to %s failed (attempt %d), retrying in %s s: %s", job.uuid, job.event, job.attempts,
                          std::to_string(after->count() / 1000), sent.message());
        } else {
            log().error("mail %s to %s given up after %d attempts: %s", job.uuid, job.event, job.attempts, sent.message());
        }
    }
    return claims.size();
}

}  // namespace tidings::kernel
