// The settings that shape sending, read from listmonk's app.* keys. Read again for every batch,
// so changes made through /api/settings apply to running campaigns within a batch.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace tidings::kernel {

class SettingsService;

struct SendSettings {
    /// app.concurrency: sending workers per process.
    std::int64_t concurrency = 10;
    /// app.message_rate: messages per second per worker, as in listmonk; the process enforces
    /// message_rate x concurrency as one token bucket over all its workers. 0 = no limit.
    std::int64_t message_rate = 10;
    /// app.batch_size: recipients per claimed batch.
    std::int64_t batch_size = 1000;
    /// app.max_send_errors: failures after which a campaign is paused. 0 = never pause.
    std::int64_t max_send_errors = 1000;
    /// app.message_sliding_window*: at most `window_rate` messages per `window` when enabled.
    bool sliding_window = false;
    std::chrono::seconds window{3600};
    std::int64_t window_rate = 10000;

    static SendSettings read(const SettingsService& settings);
};

/// Parses Go durations as listmonk's settings hold them ("1h", "30m", "90s", "1h30m");
/// nullopt-like 0 for anything unparsable.
std::chrono::seconds parseGoDuration(std::string_view text);

}  // namespace tidings::kernel
