#include "kernel/hooks/event_bus.hpp"

#include <Poco/Logger.h>

namespace tidings::kernel {

EventBus::EventBus() : worker_([this] { run(); }) {}

EventBus::~EventBus() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void EventBus::subscribe(std::string event, sdk::HookHandler handler) {
    std::lock_guard lock(mutex_);
    handlers_[std::move(event)].push_back(std::move(handler));
}

bool EventBus::hasSubscribers(std::string_view event) const {
    std::lock_guard lock(mutex_);
    auto it = handlers_.find(event);
    return it != handlers_.end() && !it->second.empty();
}

void EventBus::publish(std::string_view event, std::string payload_json) {
    {
        std::lock_guard lock(mutex_);
        if (!handlers_.contains(event)) return;
        queue_.push_back(sdk::HookEvent{std::string(event), std::move(payload_json)});
    }
    wake_.notify_one();
}

sdk::HookOutcome EventBus::runBefore(std::string_view event, const std::string& payload_json) {
    std::vector<sdk::HookHandler> handlers;
    {
        std::lock_guard lock(mutex_);
        auto it = handlers_.find(event);
        if (it == handlers_.end()) return {};
        handlers = it->second;
    }
    sdk::HookEvent e{std::string(event), payload_json};
    sdk::HookOutcome outcome;
    for (auto& handler : handlers) {
        try {
            handler(e, outcome);
        } catch (const std::exception& ex) {
            Poco::Logger::get("tidings.hooks").error("hook %s handler failed: %s", e.name, std::string(ex.what()));
        }
        if (outcome.cancel) break;
    }
    return outcome;
}

void EventBus::drain() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void EventBus::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) break;
        sdk::HookEvent event = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        auto handlers = handlers_[event.name];
        lock.unlock();
        for (auto& handler : handlers) {
            sdk::HookOutcome ignored;  // only before_* events may change an outcome
            try {
                handler(event, ignored);
            } catch (const std::exception& ex) {
                Poco::Logger::get("tidings.hooks").error("hook %s handler failed: %s", event.name, std::string(ex.what()));
            } catch (...) {
                Poco::Logger::get("tidings.hooks").error("hook %s handler failed", event.name);
            }
        }
        lock.lock();
        busy_ = false;
        if (queue_.empty()) idle_.notify_all();
    }
    busy_ = false;
    idle_.notify_all();
}

}  // namespace tidings::kernel
