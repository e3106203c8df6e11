#include "kernel/core/json_check.hpp"

#include <charconv>
#include <cstdint>
#include <vector>

namespace tidings::kernel {
namespace {

/// Length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8Length(std::string_view s, std::size_t i) noexcept {
    const auto c = static_cast<unsigned char>(s[i]);
    auto cont = [&](std::size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
        if (c == 0xED && c1 > 0x9F) return 0;  // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c == 0xF0 && c1 < 0x90) return 0;
        if (c == 0xF4 && c1 > 0x8F) return 0;
        return 4;
    }
    return 0;
}

class Checker {
public:
    Checker(std::string_view s, int max_depth) : s_(s), max_depth_(max_depth) {}

    std::optional<JsonTextProblem> run(bool object_only) {
        ws();
        if (object_only && !at('{')) return problem("not a JSON object", true);
        if (!value(0)) return problem_;
        ws();
        if (i_ != s_.size()) return problem("text after the JSON value", true);
        return std::nullopt;
    }

private:
    // One step of the path to the value being read: an object member (its raw key text) or an
    // array element. Kept as views into the text, so checking allocates nothing until it fails.
    struct Step {
        std::string_view key;
        std::size_t index = 0;
        bool is_index = false;
    };

    std::optional<JsonTextProblem> problem(std::string reason, bool syntax) {
        JsonTextProblem p;
        for (const auto& step : path_) {
            if (!step.is_index && step.key.empty()) continue;  // a key still being read
            if (step.is_index) {
                p.where += "[" + std::to_string(step.index) + "]";
            } else {
                if (!p.where.empty()) p.where += '.';
                p.where += step.key;
            }
        }
        p.reason = std::move(reason);
        p.syntax = syntax;
        return p;
    }
    bool fail(const char* reason, bool syntax = true) {
        problem_ = problem(reason, syntax);
        return false;
    }
    bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return fail("invalid JSON value");
        i_ += word.size();
        return true;
    }
    int hex4() {
        if (i_ + 4 > s_.size()) return -1;
        int v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_ + k];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= c - '0';
            else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
            else return -1;
        }
        i_ += 4;
        return v;
    }
    bool string() {
        ++i_;  // opening quote
        while (i_ < s_.size()) {
            const auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                ++i_;
                return true;
            }
            if (c == 0) return fail("must not contain NUL characters", false);
            if (c < 0x20) return fail("control character in a JSON string");
            if (c == '\\') {
                if (++i_ >= s_.size()) break;
                const char e = s_[i_++];
                if (e == 'u') {
                    const int u = hex4();
                    if (u < 0) return fail("bad \\u escape in a JSON string");
                    if (u == 0) return fail("must not contain NUL characters", false);
                    if (u >= 0xDC00 && u <= 0xDFFF) return fail("unpaired surrogate in a JSON string", false);
                    if (u >= 0xD800 && u <= 0xDBFF) {
                        if (s_.substr(i_, 2) != "\\u") return fail("unpaired surrogate in a JSON string", false);
                        i_ += 2;
                        const int low = hex4();
                        if (low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate in a JSON string", false);
                    }
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return fail("bad escape in a JSON string");
                }
                continue;
            }
            const std::size_t n = utf8Length(s_, i_);
            if (n == 0) return fail("must be valid UTF-8", false);
            i_ += n;
        }
        return fail("unterminated JSON string");
    }
    bool number() {
        const std::size_t start = i_;
        if (at('-')) ++i_;
        if (at('0')) {
            ++i_;
        } else if (i_ < s_.size() && s_[i_] >= '1' && s_[i_] <= '9') {
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        } else {
            return fail("invalid JSON number");
        }
        bool integer = true;
        if (at('.')) {
            integer = false;
            ++i_;
            const std::size_t d = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            if (i_ == d) return fail("invalid JSON number");
        }
        if (at('e') || at('E')) {
            integer = false;
            ++i_;
            if (at('+') || at('-')) ++i_;
            const std::size_t d = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            if (i_ == d) return fail("invalid JSON number");
        }
        // JSON parsers disagree past 64 bits (Poco's wraps 2^64 to 0); nothing here needs them.
        if (integer) {
            std::int64_t v = 0;
            const auto [end, ec] = std::from_chars(s_.data() + start, s_.data() + i_, v);
            if (ec != std::errc() || end != s_.data() + i_) return fail("integer out of range", false);
        }
        return i_ > start;
    }
    bool value(int depth) {
        ws();
        if (i_ >= s_.size()) return fail("truncated JSON");
        const char c = s_[i_];
        if (c == '"') return string();
        if (c == '{' || c == '[') {
            if (depth >= max_depth_) return fail("JSON nested too deeply");
            const char close = c == '{' ? '}' : ']';
            ++i_;
            ws();
            if (at(close)) {
                ++i_;
                return true;
            }
            path_.push_back({});
            for (std::size_t n = 0;; ++n) {
                ws();
                if (c == '{') {
                    if (!at('"')) return fail("expected a JSON key");
                    const std::size_t key_start = i_ + 1;
                    path_.back() = {};  // a key with a problem is named by its parent
                    if (!string()) return false;
                    path_.back().key = s_.substr(key_start, i_ - 1 - key_start);
                    ws();
                    if (!at(':')) return fail("expected ':' after a JSON key");
                    ++i_;
                } else {
                    path_.back() = {{}, n, true};
                }
                if (!value(depth + 1)) return false;
                ws();
                if (at(',')) {
                    ++i_;
                    continue;
                }
                if (at(close)) {
                    ++i_;
                    path_.pop_back();
                    return true;
                }
                return fail("expected ',' or a closing bracket in JSON");
            }
        }
        if (c == 't') return literal("true");
        if (c == 'f') return literal("false");
        if (c == 'n') return literal("null");
        return number();
    }

    std::string_view s_;
    int max_depth_;
    std::size_t i_ = 0;
    std::vector<Step> path_;
    std::optional<JsonTextProblem> problem_;
};

}  // namespace

std::optional<JsonTextProblem> checkJsonText(std::string_view text, bool object_only, int max_depth) {
    return Checker(text, max_depth).run(object_only);
}

bool isJsonObject(std::string_view text, std::string& why, int max_depth) {
    const auto problem = checkJsonText(text, /*object_only=*/true, max_depth);
    if (!problem) return true;
    why = problem->where.empty() ? problem->reason : problem->where + ": " + problem->reason;
    return false;
}

bool isStorableText(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\0') return false;
        const std::size_t n = utf8Length(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

}  // namespace tidings::kernel
