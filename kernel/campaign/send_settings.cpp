#include "kernel/campaign/send_settings.hpp"

#include <algorithm>

#include <tidings/sdk/v1/duration.hpp>

#include "kernel/core/settings_service.hpp"

namespace tidings::kernel {

std::chrono::seconds parseGoDuration(std::string_view text) {
    const auto d = tidings::sdk::v1::parseDuration(text);
    return d ? std::chrono::duration_cast<std::chrono::seconds>(*d) : std::chrono::seconds{0};
}

SendSettings SendSettings::read(const SettingsService& settings) {
    SendSettings s;
    s.concurrency = std::clamp<std::int64_t>(settings.integer("app.concurrency"), 1, 256);
    s.message_rate = std::max<std::int64_t>(settings.integer("app.message_rate"), 0);
    s.batch_size = std::clamp<std::int64_t>(settings.integer("app.batch_size"), 1, 100000);
    s.max_send_errors = std::max<std::int64_t>(settings.integer("app.max_send_errors"), 0);
    s.sliding_window = settings.flag("app.message_sliding_window");
    s.window = parseGoDuration(settings.text("app.message_sliding_window_duration"));
    s.window_rate = std::max<std::int64_t>(settings.integer("app.message_sliding_window_rate"), 0);
    if (s.window.count() <= 0 || s.window_rate <= 0) s.sliding_window = false;
    return s;
}

}  // namespace tidings::kernel
