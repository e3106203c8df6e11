#include "retry_schedule.hpp"

#include <algorithm>
#include <array>

namespace tidings::webhooks {

std::chrono::milliseconds retryDelay(int attempts, std::chrono::milliseconds base) {
    // Multiples of the base: 10 s, 1 m, 5 m, 30 m, 2 h at the default base of 10 s.
    constexpr std::array<long long, 5> kSteps{1, 6, 30, 180, 720};
    constexpr long long kCeiling = 4320;  // 12 h at the default base
    const int index = std::max(attempts, 1) - 1;
    long long factor = 0;
    if (index < static_cast<int>(kSteps.size())) {
        factor = kSteps[static_cast<std::size_t>(index)];
    } else {
        factor = kSteps.back();
        for (int i = static_cast<int>(kSteps.size()) - 1; i < index && factor < kCeiling; ++i) factor *= 2;
        factor = std::min(factor, kCeiling);
    }
    return base * factor;
}

}  // namespace tidings::webhooks
