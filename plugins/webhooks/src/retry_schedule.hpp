// When a failed delivery is tried again. With the default base of 10 s the delays run 10 s, 1 m,
// 5 m, 30 m, 2 h, then double up to 12 h: quick retries ride out a blip, later ones an outage of
// the receiver lasting most of a day before max_attempts gives up.
#pragma once

#include <chrono>

namespace tidings::webhooks {

/// The delay before attempt `attempts + 1`, after `attempts` (>= 1) failed ones.
std::chrono::milliseconds retryDelay(int attempts, std::chrono::milliseconds base);

}  // namespace tidings::webhooks
