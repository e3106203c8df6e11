// Per-client rate limiting for public endpoints: a token bucket per client address.
//
// Each process limits on its own (the buckets are in memory); behind a load balancer with N
// processes a client gets at most N times the rate, which still stops floods. Buckets of idle
// clients are dropped, so memory stays bounded under address-spraying.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tidings::kernel {

class RateLimiter {
public:
    /// `rate` requests per second sustained, `burst` at once; rate <= 0 disables limiting.
    RateLimiter(double rate, double burst, std::size_t max_clients = 100000);

    struct Decision {
        bool allowed = true;
        int retry_after_seconds = 0;  ///< When refused: whole seconds until a token is available.
    };

    /// Takes a token for `client` at time `now`.
    Decision take(std::string_view client, std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

    bool enabled() const noexcept { return rate_ > 0; }

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point updated;
    };
    void evictIdle(std::chrono::steady_clock::time_point now);

    double rate_;
    double burst_;
    std::size_t max_clients_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tidings::kernel
