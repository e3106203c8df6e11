#include "pg_result.hpp"

#include <charconv>
#include <stdexcept>

namespace tidings::storage_pg {

std::vector<const char*> Params::pointers() const {
    std::vector<const char*> out;
    out.reserve(values_.size());
    for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
    return out;
}

std::int64_t Result::int64(int row, int col) const {
    const std::string_view t = text(row, col);
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || ptr != t.data() + t.size())
        throw std::runtime_error("not an integer: " + std::string(t));
    return v;
}

std::vector<std::string> Result::textArray(int row, int col) const {
    if (isNull(row, col)) return {};
    return parseTextArray(text(row, col));
}

std::int64_t Result::affected() const {
    const char* n = PQcmdTuples(r_.get());
    return (n && *n) ? std::stoll(n) : 0;
}

std::string bigintArray(const std::vector<std::int64_t>& ids) {
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "}";
}

std::string textArrayLiteral(const std::vector<std::string>& items) {
    // Quote every element so commas, braces, spaces and the word NULL stay literal.
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (char c : items[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::vector<std::string> parseTextArray(std::string_view s) {
    std::vector<std::string> out;
    if (s.size() < 2 || s.front() != '{') return out;
    std::size_t i = 1;
    const std::size_t end = s.size() - 1;  // position of the closing brace
    while (i < end) {
        std::string item;
        if (s[i] == '"') {
            for (++i; i < end && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < end) ++i;
                item += s[i];
            }
            ++i;  // closing quote
        } else {
            while (i < end && s[i] != ',') item += s[i++];
            if (item == "NULL") item.clear();
        }
        out.push_back(std::move(item));
        if (i < end && s[i] == ',') ++i;
    }
    return out;
}

std::string likeContains(std::string_view term) {
    std::string out = "%";
    for (char c : term) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

}  // namespace tidings::storage_pg
