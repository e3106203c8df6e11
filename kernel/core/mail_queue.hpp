// Mail that is not part of a campaign — opt-in confirmations, data exports, notifications —
// waits in the durable outbox (the "mail" channel) until a relay takes it.
//
// A request that causes such a mail (a public subscription, say) succeeds once its data and the
// mail are stored; it does not wait for the relay, and a relay outage loses nothing. A worker
// thread in every process claims due mail, sends it through the named messenger and retries
// transient failures with exponential backoff; each failure is logged with the job's id. A
// permanent refusal (a 5xx reply) or running out of attempts ends the job as dead, also logged.
// A mail whose relay answer was lost after it was sent is not sent again (it may have arrived).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <tidings/sdk/v1/messenger.hpp>
#include <tidings/sdk/v1/outbox.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Finds a messenger by name; nullptr when none is enabled under it.
using MessengerLookup = std::function<sdk::Messenger*(std::string_view)>;

struct MailQueueOptions {
    std::chrono::milliseconds first_retry{2000};  ///< Doubled after each failed attempt...
    std::chrono::milliseconds max_retry{600000};  ///< ...up to this.
    int max_attempts = 40;                        ///< About five hours of retries with the above.
    std::chrono::milliseconds lease{120000};      ///< How long a claimed mail is this process's.
    std::chrono::milliseconds poll{1000};         ///< How often other processes' mail is looked for.
};

class MailQueue {
public:
    /// `outbox` may be null (a store without one): mail is then sent at once, as before.
    MailQueue(sdk::OutboxStore* outbox, MessengerLookup messengers, MailQueueOptions options = {});
    ~MailQueue();
    MailQueue(const MailQueue&) = delete;
    MailQueue& operator=(const MailQueue&) = delete;

    /// Stores `message` for sending through `messenger` and wakes the worker. Throws StatusError
    /// when it cannot be stored (or, without an outbox, when sending fails).
    void enqueue(const sdk::Message& message, const std::string& messenger = "email");

    void start();
    /// Stops the worker; mail it has not sent stays queued for the next start or another process.
    void stop();

private:
    void run();
    /// Sends what is due; returns how many jobs it handled.
    std::size_t sendDue();
    std::chrono::milliseconds retryDelay(int attempts) const;

    sdk::OutboxStore* outbox_;
    MessengerLookup messengers_;
    MailQueueOptions options_;
    std::string token_;  ///< Identifies this process's claims.

    std::mutex mutex_;
    std::condition_variable wake_;
    bool running_ = false;
    bool pending_ = false;  ///< Set by enqueue, so a wake-up between rounds is not missed.
    std::thread worker_;
};

}  // namespace tidings::kernel
