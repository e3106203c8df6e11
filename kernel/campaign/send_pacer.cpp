#include "kernel/campaign/send_pacer.hpp"

#include <algorithm>
#include <thread>

namespace tidings::kernel {

namespace {
constexpr auto kSlice = std::chrono::milliseconds(100);
// A bucket holds at most this many seconds of tokens, so an idle period does not turn into a
// burst above the configured rate.
constexpr double kBurstSeconds = 0.05;
}  // namespace

void SendPacer::configure(double per_second, std::int64_t window_limit, std::chrono::seconds window) {
    std::lock_guard lock(mutex_);
    per_second_ = std::max(per_second, 0.0);
    window_limit_ = std::max<std::int64_t>(window_limit, 0);
    if (window != window_) {
        window_ = window;
        window_start_ = {};
        window_count_ = 0;
    }
}

bool SendPacer::acquire(const std::atomic<bool>& stop) {
    Clock::time_point due;
    for (;;) {
        if (stop.load(std::memory_order_relaxed)) return false;
        std::unique_lock lock(mutex_);
        const auto now = Clock::now();
        if (window_limit_ > 0) {
            if (now - window_start_ >= window_) {
                window_start_ = now;
                window_count_ = 0;
            }
            if (window_count_ >= window_limit_) {
                // The window is full: wait for the next one and compete again.
                const auto wait = std::min<Clock::duration>(kSlice, window_start_ + window_ - now);
                lock.unlock();
                std::this_thread::sleep_for(wait);
                continue;
            }
            ++window_count_;
        }
        due = now;
        if (per_second_ > 0) {
            const auto interval =
                std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_second_));
            const auto earliest =
                now - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kBurstSeconds));
            next_ = std::max(next_, earliest);
            due = std::max(next_, now);
            next_ += interval;
        }
        break;
    }
    while (Clock::now() < due) {
        if (stop.load(std::memory_order_relaxed)) return false;
        std::this_thread::sleep_for(std::min<Clock::duration>(kSlice, due - Clock::now()));
    }
    return !stop.load(std::memory_order_relaxed);
}

}  // namespace tidings::kernel
