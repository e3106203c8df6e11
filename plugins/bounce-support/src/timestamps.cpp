#include "tidings/bounce_support/timestamps.hpp"

#include <charconv>

namespace tidings::bounce_support {
namespace {

// Reads exactly `width` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t width) {
    if (pos + width > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += width;
    return v;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::optional<sdk::Timestamp> parseRfc3339(std::string_view s) {
    using namespace std::chrono;
    std::size_t pos = 0;
    const auto y = digits(s, pos, 4);
    if (!y || !expect(s, pos, '-')) return std::nullopt;
    const auto mo = digits(s, pos, 2);
    if (!mo || !expect(s, pos, '-')) return std::nullopt;
    const auto d = digits(s, pos, 2);
    if (!d || pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return std::nullopt;
    ++pos;
    const auto h = digits(s, pos, 2);
    if (!h || !expect(s, pos, ':')) return std::nullopt;
    const auto mi = digits(s, pos, 2);
    if (!mi || !expect(s, pos, ':')) return std::nullopt;
    const auto sec = digits(s, pos, 2);
    if (!sec) return std::nullopt;

    std::int64_t micros = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t n = 0;
        for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++n)
            if (n < 6) micros = micros * 10 + (s[pos] - '0');
        if (n == 0) return std::nullopt;
        for (; n < 6; ++n) micros *= 10;
    }

    int offset_minutes = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        const int sign = s[pos] == '-' ? -1 : 1;
        ++pos;
        const auto oh = digits(s, pos, 2);
        if (!oh || !expect(s, pos, ':')) return std::nullopt;
        const auto om = digits(s, pos, 2);
        if (!om || *oh > 23 || *om > 59) return std::nullopt;
        offset_minutes = sign * (*oh * 60 + *om);
    } else {
        return std::nullopt;  // RFC 3339 requires a zone; guessing one would shift the time
    }
    if (pos != s.size()) return std::nullopt;

    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    // 60 allows a leap second, which sys_time folds into the next second.
    if (!date.ok() || *h > 23 || *mi > 59 || *sec > 60) return std::nullopt;
    return sdk::Timestamp(sys_days(date)) + hours(*h) + minutes(*mi) + seconds(*sec) + microseconds(micros) -
           minutes(offset_minutes);
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
    std::int64_t v = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc{} || ptr != end || text.empty()) return std::nullopt;
    return v;
}

}  // namespace tidings::bounce_support
