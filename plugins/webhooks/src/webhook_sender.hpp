// The sender: one thread per process that claims due deliveries from the outbox and POSTs them.
//
// The queue lives in storage, so deliveries survive a restart and every process on the database
// shares them; a claim leases a batch to this process, so no two processes send the same
// delivery at once. A process that dies mid-batch leaves its leases to lapse, after which another
// process (or this one, restarted) sends those deliveries again: delivery is at least once, and
// receivers deduplicate by X-Tidings-Delivery.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <tidings/sdk/v1/host.hpp>

#include "http_delivery.hpp"
#include "webhook_config.hpp"

namespace tidings::webhooks {

/// The outbox channel every webhook delivery is queued in.
inline constexpr std::string_view kChannel = "webhooks";

struct SenderOptions {
    /// How often the outbox is asked for due deliveries when nothing woke the sender earlier
    /// (deliveries enqueued by other processes, retries scheduled by them).
    std::chrono::milliseconds poll_interval{1000};
    /// Succeeded and dead deliveries older than this are deleted.
    std::chrono::seconds retention{std::chrono::hours(24 * 7)};
};

class WebhookSender {
public:
    WebhookSender(sdk::Host& host, EndpointSettings& settings);
    ~WebhookSender() { stop(); }
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    /// Starts the thread with `options` (a second call while running does nothing).
    void start(SenderOptions options);
    /// Stops and joins the thread; a delivery in flight finishes first (bounded by its timeout).
    void stop() noexcept;
    /// Asks the thread to look for due deliveries now (one was just enqueued).
    void wake() noexcept;

private:
    void run() noexcept;
    /// Claims and sends one batch; returns how many were claimed, and lowers `next_poll` to the
    /// earliest retry it scheduled.
    std::size_t sendBatch(sdk::OutboxStore& outbox, std::chrono::steady_clock::time_point& next_poll);
    void deliver(sdk::OutboxStore& outbox, const sdk::OutboxClaim& claim, const Endpoints& endpoints,
                 std::chrono::steady_clock::time_point& next_poll);
    void pruneIfDue(sdk::OutboxStore& outbox);

    sdk::Host& host_;
    EndpointSettings& settings_;
    SenderOptions options_;  // set before the thread starts, then only read by it
    HttpDelivery http_;
    std::chrono::steady_clock::time_point next_prune_{};

    std::mutex mutex_;
    std::condition_variable wake_;
    bool running_ = false;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
};

}  // namespace tidings::webhooks
