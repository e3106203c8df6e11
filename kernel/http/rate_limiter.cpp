#include "kernel/http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace tidings::kernel {

RateLimiter::RateLimiter(double rate, double burst, std::size_t max_clients)
    : rate_(rate), burst_(std::max(1.0, burst)), max_clients_(max_clients) {}

RateLimiter::Decision RateLimiter::take(std::string_view client, std::chrono::steady_clock::time_point now) {
    if (!enabled()) return {};
    std::lock_guard lock(mutex_);
    if (buckets_.size() >= max_clients_) evictIdle(now);
    auto [it, inserted] = buckets_.try_emplace(std::string(client), Bucket{burst_, now});
    Bucket& b = it->second;
    if (!inserted) {
        double elapsed = std::chrono::duration<double>(now - b.updated).count();
        b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
        b.updated = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return {};
    }
    return {false, std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)))};
}

void RateLimiter::evictIdle(std::chrono::steady_clock::time_point now) {
    // A bucket that has refilled completely carries no information: dropping it is exact.
    auto full_after = std::chrono::duration<double>(burst_ / rate_);
    std::erase_if(buckets_, [&](const auto& kv) { return now - kv.second.updated >= full_after; });
    if (buckets_.size() >= max_clients_) buckets_.clear();  // under a spray of addresses, start over
}

}  // namespace tidings::kernel
