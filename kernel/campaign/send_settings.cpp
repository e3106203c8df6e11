#include "kernel/campaign/send_settings.hpp"

#include <algorithm>

#include "kernel/core/settings_service.hpp"

namespace tidings::kernel {

std::chrono::seconds parseGoDuration(std::string_view text) {
    double total = 0;
    std::size_t i = 0;
    bool any = false;
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
        if (i == start) return std::chrono::seconds{0};
        const double n = std::stod(std::string(text.substr(start, i - start)));
        std::size_t unit_start = i;
        while (i < text.size() && !((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
        const std::string_view unit = text.substr(unit_start, i - unit_start);
        if (unit == "h") total += n * 3600;
        else if (unit == "m") total += n * 60;
        else if (unit == "s") total += n;
        else if (unit == "ms") total += n / 1000;
        else return std::chrono::seconds{0};
        any = true;
    }
    return std::chrono::seconds{any ? static_cast<std::int64_t>(total) : 0};
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
