// Tidings plugin SDK, version 1: durations as operators write them.
//
// listmonk's settings and Tidings' INI file both spell durations Go-style: a sequence of numbers
// with units, "5s", "500ms", "1m30s", "1.5h". A bare number means seconds. Header-only, so the
// kernel and every plugin read them the same way.
#pragma once

#include <chrono>
#include <cmath>
#include <optional>
#include <string_view>

namespace tidings::sdk::v1 {

/// The duration `text` denotes, or nullopt when it is empty, negative or malformed. Units: h, m,
/// s, ms, us (or µs).
inline std::optional<std::chrono::milliseconds> parseDuration(std::string_view text) noexcept {
    if (text.empty()) return std::nullopt;
    const auto digit = [](char c) { return (c >= '0' && c <= '9') || c == '.'; };
    double total_ms = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t start = i;
        double value = 0, scale = 1;
        bool dot = false, any = false;
        for (; i < text.size() && digit(text[i]); ++i) {
            if (text[i] == '.') {
                if (dot) return std::nullopt;
                dot = true;
                continue;
            }
            any = true;
            if (dot) scale /= 10;
            value = dot ? value + (text[i] - '0') * scale : value * 10 + (text[i] - '0');
        }
        if (!any) return std::nullopt;
        const std::size_t unit_start = i;
        while (i < text.size() && !digit(text[i])) ++i;
        const std::string_view unit = text.substr(unit_start, i - unit_start);
        double factor;
        if (unit.empty()) {
            if (start != 0 || i != text.size()) return std::nullopt;  // bare number: the whole text
            factor = 1000;
        } else if (unit == "h") {
            factor = 3'600'000;
        } else if (unit == "m") {
            factor = 60'000;
        } else if (unit == "s") {
            factor = 1000;
        } else if (unit == "ms") {
            factor = 1;
        } else if (unit == "us" || unit == "\xC2\xB5s") {
            factor = 0.001;
        } else {
            return std::nullopt;
        }
        total_ms += value * factor;
    }
    if (!std::isfinite(total_ms) || total_ms > 1e15) return std::nullopt;
    return std::chrono::milliseconds(static_cast<long long>(total_ms));
}

}  // namespace tidings::sdk::v1
