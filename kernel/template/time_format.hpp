// Go's reference-time layouts ("2006-01-02 15:04:05") for Sprig's date functions and for the
// campaign renderer's `Date` (internal to kernel/template, usable by callers).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tidings::kernel::tmpl {

using TimePoint = std::chrono::system_clock::time_point;

/// Formats `t` (in UTC) with a Go layout: 2006 06 01 1 Jan January 02 2 _2 002 15 03 3 04 4
/// 05 5 PM pm Mon Monday MST -0700 -07:00 -07 Z0700 Z07:00 Z07 and fractional .000/.999.
std::string formatGoTime(std::string_view layout, TimePoint t);

/// Parses RFC 3339 ("2024-01-02T15:04:05.123Z", "+05:30" offsets), also with a space instead
/// of 'T' and without a zone (UTC), and a bare date "2024-01-02".
std::optional<TimePoint> parseTime(std::string_view text);

/// RFC 3339 with nanoseconds, UTC (Go's time.RFC3339Nano).
std::string formatRfc3339(TimePoint t);

}  // namespace tidings::kernel::tmpl
