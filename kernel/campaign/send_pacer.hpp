// Paces sending across every worker of the process: a token bucket for the per-second rate and
// a fixed window for listmonk's sliding-window cap ("at most N messages per hour").
//
// listmonk sleeps a whole second in each worker after N messages, which sends in bursts; here a
// worker waits only until its own token is due, so the rate is smooth and exact whatever the
// number of workers.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace tidings::kernel {

class SendPacer {
public:
    using Clock = std::chrono::steady_clock;

    /// `per_second` 0 disables the bucket; `window_limit` 0 disables the window.
    void configure(double per_second, std::int64_t window_limit, std::chrono::seconds window);

    /// Blocks until one message may go, or until `stop` becomes true (then returns false).
    /// Waits are cut into short slices so a stop is noticed within 100 ms.
    bool acquire(const std::atomic<bool>& stop);

private:
    std::mutex mutex_;
    double per_second_ = 0;
    Clock::time_point next_{};  // when the next token is due
    std::int64_t window_limit_ = 0;
    std::chrono::seconds window_{0};
    Clock::time_point window_start_{};
    std::int64_t window_count_ = 0;
};

}  // namespace tidings::kernel
