#include "values.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>

#include <Poco/UUIDGenerator.h>

namespace tidings::storage_sqlite {
namespace {

bool readInt(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) return false;
    const char* first = text.data() + pos;
    auto [end, ec] = std::from_chars(first, first + len, out);
    return ec == std::errc() && end == first + len;
}

}  // namespace

std::string formatTimestamp(sdk::Timestamp t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd(day);
    const hh_mm_ss time(t - day);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d.%06lld", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()), static_cast<long long>(time.subseconds().count()));
    return buf;
}

sdk::Timestamp parseTimestamp(std::string_view text) {
    using namespace std::chrono;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    const bool shape = text.size() >= 19 && text[4] == '-' && text[7] == '-' && (text[10] == ' ' || text[10] == 'T') &&
                       text[13] == ':' && text[16] == ':';
    if (!shape || !readInt(text, 0, 4, y) || !readInt(text, 5, 2, mo) || !readInt(text, 8, 2, d) ||
        !readInt(text, 11, 2, h) || !readInt(text, 14, 2, mi) || !readInt(text, 17, 2, s))
        throw StatusError(sdk::Status::internal("storage-sqlite: unreadable timestamp '" + std::string(text) + "'"));
    std::int64_t micros = 0;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        int digits = 0;
        for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
            if (digits++ < 6) micros = micros * 10 + (text[pos] - '0');
        }
        for (; digits < 6; ++digits) micros *= 10;
    }
    const sys_days day = year{y} / month{static_cast<unsigned>(mo)} / std::chrono::day{static_cast<unsigned>(d)};
    return sdk::Timestamp(day) + hours{h} + minutes{mi} + seconds{s} + microseconds{micros};
}

std::string nowText() {
    return formatTimestamp(std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
}

std::string newUuid() { return Poco::UUIDGenerator::defaultGenerator().createRandom().toString(); }

std::optional<std::string> uuidParam(std::string_view text) {
    if (text.size() != 36) return std::nullopt;
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const char c = out[i];
        if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
        out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace tidings::storage_sqlite
