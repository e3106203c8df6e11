#include "kernel/template/time_format.hpp"

#include <array>
#include <cstdio>

namespace tidings::kernel::tmpl {

namespace {

constexpr std::array<const char*, 12> kMonths = {"January", "February", "March", "April", "May", "June", "July",
                                                 "August", "September", "October", "November", "December"};
constexpr std::array<const char*, 7> kDays = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                              "Saturday"};

std::string pad(long v, int width, char fill = '0') {
    std::string s = std::to_string(v);
    while (static_cast<int>(s.size()) < width) s.insert(s.begin(), fill);
    return s;
}

bool starts(std::string_view s, std::size_t i, std::string_view with) { return s.substr(i, with.size()) == with; }

}  // namespace

std::string formatGoTime(std::string_view layout, TimePoint t) {
    using namespace std::chrono;
    auto days = floor<std::chrono::days>(t);
    year_month_day ymd{days};
    hh_mm_ss hms{floor<nanoseconds>(t - days)};
    weekday wd{days};
    long year = static_cast<int>(ymd.year());
    long month = static_cast<unsigned>(ymd.month());
    long day = static_cast<unsigned>(ymd.day());
    long hour = hms.hours().count(), minute = hms.minutes().count(), second = hms.seconds().count();
    long nanos = static_cast<long>(hms.subseconds().count());
    long yday = (days - sys_days{ymd.year() / January / 1}).count() + 1;
    std::string out;
    for (std::size_t i = 0; i < layout.size();) {
        auto take = [&](std::string_view token, const std::string& value) {
            if (!starts(layout, i, token)) return false;
            out += value;
            i += token.size();
            return true;
        };
        if (take("January", kMonths[month - 1]) || take("Jan", std::string(kMonths[month - 1]).substr(0, 3)) ||
            take("Monday", kDays[wd.c_encoding()]) || take("Mon", std::string(kDays[wd.c_encoding()]).substr(0, 3)) ||
            take("MST", "UTC") || take("2006", pad(year, 4)) || take("-07:00:00", "+00:00:00") ||
            take("-0700", "+0000") || take("-07:00", "+00:00") || take("-07", "+00") || take("Z07:00", "Z") ||
            take("Z0700", "Z") || take("Z07", "Z") || take("002", pad(yday, 3)) || take("01", pad(month, 2)) ||
            take("02", pad(day, 2)) || take("_2", pad(day, 2, ' ')) || take("06", pad(year % 100, 2)) ||
            take("15", pad(hour, 2)) || take("03", pad(hour % 12 == 0 ? 12 : hour % 12, 2)) ||
            take("04", pad(minute, 2)) || take("05", pad(second, 2)) || take("PM", hour >= 12 ? "PM" : "AM") ||
            take("pm", hour >= 12 ? "pm" : "am")) {
            continue;
        }
        // Fractional seconds: ".000" (fixed) or ".999" (trailing zeros dropped), also with ','.
        if ((layout[i] == '.' || layout[i] == ',') && i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
            char digit = layout[i + 1];
            std::size_t j = i + 1;
            while (j < layout.size() && layout[j] == digit) ++j;
            if (j >= layout.size() || !(layout[j] >= '0' && layout[j] <= '9')) {
                std::string frac = pad(nanos, 9).substr(0, j - i - 1);
                if (digit == '9') {
                    while (!frac.empty() && frac.back() == '0') frac.pop_back();
                    if (!frac.empty()) out += layout[i] + frac;
                } else {
                    out += layout[i] + frac;
                }
                i = j;
                continue;
            }
        }
        char c = layout[i];
        if (c == '1') out += std::to_string(month);
        else if (c == '2') out += std::to_string(day);
        else if (c == '3') out += std::to_string(hour % 12 == 0 ? 12 : hour % 12);
        else if (c == '4') out += std::to_string(minute);
        else if (c == '5') out += std::to_string(second);
        else out += c;
        ++i;
    }
    return out;
}

std::optional<TimePoint> parseTime(std::string_view s) {
    using namespace std::chrono;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (s.size() < 10 || std::sscanf(std::string(s.substr(0, 10)).c_str(), "%4d-%2d-%2d", &y, &mo, &d) != 3) {
        return std::nullopt;
    }
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    TimePoint t = sys_days{ymd};
    std::size_t i = 10;
    if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        if (s.size() < i + 9 || std::sscanf(std::string(s.substr(i + 1, 8)).c_str(), "%2d:%2d:%2d", &h, &mi, &sec) != 3) {
            return std::nullopt;
        }
        t += hours{h} + minutes{mi} + seconds{sec};
        i += 9;
        if (i < s.size() && s[i] == '.') {
            long long frac = 0;
            int digits = 0;
            for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
                if (digits < 9) {
                    frac = frac * 10 + (s[i] - '0');
                    ++digits;
                }
            }
            while (digits++ < 9) frac *= 10;
            t += duration_cast<system_clock::duration>(nanoseconds{frac});
        }
        while (i < s.size() && s[i] == ' ') ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            int oh = 0, om = 0;
            if (std::sscanf(std::string(s.substr(i + 1)).c_str(), "%2d:%2d", &oh, &om) < 1) return std::nullopt;
            auto offset = hours{oh} + minutes{om};
            t = s[i] == '+' ? t - offset : t + offset;
        }
    }
    return t;
}

std::string formatRfc3339(TimePoint t) { return formatGoTime("2006-01-02T15:04:05.999999999Z07:00", t); }

}  // namespace tidings::kernel::tmpl
