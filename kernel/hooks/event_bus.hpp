// Delivers hook events to subscribed handlers.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <tidings/sdk/v1/hooks.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Ordinary events are queued and delivered on one background thread, in order; `before_*`
/// events are delivered synchronously by runBefore(). Subscriptions happen at start-up only.
class EventBus {
public:
    EventBus();
    ~EventBus();  ///< Delivers what is queued, then joins the thread.
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;

    void subscribe(std::string event, sdk::HookHandler handler);

    /// Queues an event; returns at once. Events without subscribers are dropped cheaply.
    void publish(std::string_view event, std::string payload_json);

    /// Runs the handlers of a before_* event now, accumulating their outcome.
    sdk::HookOutcome runBefore(std::string_view event, const std::string& payload_json);

    /// Whether anything listens to `event` (so callers can skip building payloads).
    bool hasSubscribers(std::string_view event) const;

    /// Delivers everything queued so far (tests, shutdown).
    void drain();

private:
    void run();

    std::map<std::string, std::vector<sdk::HookHandler>, std::less<>> handlers_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<sdk::HookEvent> queue_;
    bool busy_ = false;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace tidings::kernel
