// The Sprig helpers listmonk templates commonly use, with Sprig's argument order (the subject
// string last, so they work at the end of a pipeline: `{{ .Name | trunc 10 | upper }}`).
//
// Strings: upper lower title untitle trim trimAll trimPrefix trimSuffix contains hasPrefix
//   hasSuffix replace repeat substr trunc abbrev nospace cat quote squote indent nindent wrap
//   split splitList join initials plural b64enc b64dec
// Defaults and logic: default empty coalesce ternary
// Conversion: toString atoi int int64 float64 toJson toPrettyJson(as toJson)
// Math (int64): add add1 sub mul div mod max min floor ceil round (floats)
// Lists and dicts: list first last rest initial append prepend uniq has dict get hasKey keys
//   values until
// Dates (UTC; see template.hpp): now date dateInZone(zone ignored) unixEpoch
#include <algorithm>
#include <cmath>
#include <charconv>
#include <cstdint>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <sstream>

#include "kernel/template/escape_functions.hpp"
#include "kernel/template/format.hpp"
#include "kernel/template/functions.hpp"
#include "kernel/template/template_error.hpp"
#include "kernel/template/time_format.hpp"

namespace tidings::kernel::tmpl {

namespace {

using Args = std::span<const Value>;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string trimSpace(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && isSpace(s[a])) ++a;
    while (b > a && isSpace(s[b - 1])) --b;
    return std::string(s.substr(a, b - a));
}

std::string mapChars(std::string s, int (*f)(int)) {
    for (auto& c : s) {
        if (static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(f(static_cast<unsigned char>(c)));
    }
    return s;
}

// Sprig's empty: nil, false, 0, "", and empty lists and maps.
bool isEmpty(const Value& v) { return !v.truthy(); }

// Counts and offsets in Sprig's trunc/substr/abbrev are in bytes for substr and runes for
// trunc/abbrev in newer Sprig; we use bytes but never split a UTF-8 sequence.
std::size_t safeCut(std::string_view s, std::size_t n) {
    if (n >= s.size()) return s.size();
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return n;
}

TimePoint timeOf(const Value& v) {
    if (v.kind() == Value::Kind::Int) return TimePoint(std::chrono::seconds(v.asInt()));
    if (v.kind() == Value::Kind::Double) {
        return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(v.asDouble())));
    }
    if (v.isString()) {
        if (auto t = parseTime(v.str())) return *t;
    }
    if (v.isNull()) return TimePoint();
    throw TemplateError("cannot use " + toText(v) + " as a time");
}

std::string base64(std::string_view s, bool encode) {
    std::ostringstream out;
    if (encode) {
        Poco::Base64Encoder enc(out);
        enc.rdbuf()->setLineLength(0);
        enc << s;
        enc.close();
        return out.str();
    }
    std::istringstream in{std::string(s)};
    Poco::Base64Decoder dec(in);
    out << dec.rdbuf();
    return out.str();
}

Value intResult(std::int64_t v) { return Value(v); }

}  // namespace

void addSprigFunctions(FunctionTable& t) {
    t.add("upper", [](Args a) { requireArgs("upper", a, 1, 1); return Value(mapChars(toText(a[0]), ::toupper)); });
    t.add("lower", [](Args a) { requireArgs("lower", a, 1, 1); return Value(mapChars(toText(a[0]), ::tolower)); });
    t.add("title", [](Args a) {
        requireArgs("title", a, 1, 1);
        std::string s = toText(a[0]);
        bool start = true;
        for (auto& c : s) {
            bool letter = std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80 || c == '_' || c == '\'';
            if (start && static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            start = !letter;
        }
        return Value(std::move(s));
    });
    t.add("untitle", [](Args a) {
        requireArgs("untitle", a, 1, 1);
        std::string s = toText(a[0]);
        bool start = true;
        for (auto& c : s) {
            if (start && static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            start = isSpace(c);
        }
        return Value(std::move(s));
    });
    t.add("trim", [](Args a) { requireArgs("trim", a, 1, 1); return Value(trimSpace(toText(a[0]))); });
    t.add("trimAll", [](Args a) {
        requireArgs("trimAll", a, 2, 2);
        std::string cut = toText(a[0]), s = toText(a[1]);
        std::size_t b = s.find_first_not_of(cut);
        if (b == std::string::npos) return Value("");
        return Value(s.substr(b, s.find_last_not_of(cut) - b + 1));
    });
    t.add("trimPrefix", [](Args a) {
        requireArgs("trimPrefix", a, 2, 2);
        std::string p = toText(a[0]), s = toText(a[1]);
        return Value(s.rfind(p, 0) == 0 ? s.substr(p.size()) : s);
    });
    t.add("trimSuffix", [](Args a) {
        requireArgs("trimSuffix", a, 2, 2);
        std::string p = toText(a[0]), s = toText(a[1]);
        bool ends = s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
        return Value(ends ? s.substr(0, s.size() - p.size()) : s);
    });
    t.add("contains", [](Args a) { requireArgs("contains", a, 2, 2); return Value(toText(a[1]).find(toText(a[0])) != std::string::npos); });
    t.add("hasPrefix", [](Args a) { requireArgs("hasPrefix", a, 2, 2); return Value(toText(a[1]).rfind(toText(a[0]), 0) == 0); });
    t.add("hasSuffix", [](Args a) {
        requireArgs("hasSuffix", a, 2, 2);
        std::string p = toText(a[0]), s = toText(a[1]);
        return Value(s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0);
    });
    t.add("replace", [](Args a) {
        requireArgs("replace", a, 3, 3);
        std::string from = toText(a[0]), to = toText(a[1]), s = toText(a[2]), out;
        if (from.empty()) return Value(s);  // Go would interleave; keep the text as is instead.
        std::size_t i = 0;
        for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, i)) {
            out.append(s, i, p - i);
            out += to;
            i = p + from.size();
        }
        out.append(s, i);
        return Value(std::move(out));
    });
    t.add("repeat", [](Args a) {
        requireArgs("repeat", a, 2, 2);
        std::int64_t n = toInt(a[0]);
        std::string s = toText(a[1]), out;
        if (n < 0) throw TemplateError("negative repeat count");
        if (static_cast<double>(n) * static_cast<double>(s.size()) > 10e6) throw TemplateError("repeat result too large");
        for (std::int64_t i = 0; i < n; ++i) out += s;
        return Value(std::move(out));
    });
    t.add("substr", [](Args a) {
        requireArgs("substr", a, 3, 3);
        std::int64_t start = toInt(a[0]), end = toInt(a[1]);
        std::string s = toText(a[2]);
        auto len = static_cast<std::int64_t>(s.size());
        if (start < 0) return Value(s.substr(0, static_cast<std::size_t>(std::clamp<std::int64_t>(end, 0, len))));
        if (end < 0 || end > len) return Value(start > len ? std::string() : s.substr(static_cast<std::size_t>(start)));
        if (start > end) return Value("");
        return Value(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
    });
    t.add("trunc", [](Args a) {
        requireArgs("trunc", a, 2, 2);
        std::int64_t n = toInt(a[0]);
        std::string s = toText(a[1]);
        auto len = static_cast<std::int64_t>(s.size());
        if (n < 0 && len + n > 0) return Value(s.substr(static_cast<std::size_t>(len + n)));
        if (n >= 0 && len > n) return Value(s.substr(0, safeCut(s, static_cast<std::size_t>(n))));
        return Value(s);
    });
    t.add("abbrev", [](Args a) {
        requireArgs("abbrev", a, 2, 2);
        std::int64_t width = toInt(a[0]);
        std::string s = toText(a[1]);
        if (width < 4 || static_cast<std::int64_t>(s.size()) <= width) return Value(s);
        return Value(s.substr(0, safeCut(s, static_cast<std::size_t>(width - 3))) + "...");
    });
    t.add("nospace", [](Args a) {
        requireArgs("nospace", a, 1, 1);
        std::string s = toText(a[0]), out;
        for (char c : s) {
            if (!isSpace(c)) out += c;
        }
        return Value(std::move(out));
    });
    t.add("cat", [](Args a) {
        std::string out;
        for (const auto& v : a) {
            if (v.isNull()) continue;
            if (!out.empty()) out += ' ';
            out += toText(v);
        }
        return Value(std::move(out));
    });
    auto quoteWith = [](char q) {
        return [q](Args a) {
            std::string out;
            for (const auto& v : a) {
                if (v.isNull()) continue;
                if (!out.empty()) out += ' ';
                out += q == '"' ? quoteGo(toText(v)) : "'" + toText(v) + "'";
            }
            return Value(std::move(out));
        };
    };
    t.add("quote", quoteWith('"'));
    t.add("squote", quoteWith('\''));
    auto indent = [](bool leadingNewline) {
        return [leadingNewline](Args a) {
            requireArgs("indent", a, 2, 2);
            std::string pad(static_cast<std::size_t>(std::max<std::int64_t>(0, toInt(a[0]))), ' ');
            std::string s = toText(a[1]), out = pad;
            for (char c : s) {
                out += c;
                if (c == '\n') out += pad;
            }
            return Value(leadingNewline ? "\n" + out : out);
        };
    };
    t.add("indent", indent(false));
    t.add("nindent", indent(true));
    t.add("wrap", [](Args a) {
        requireArgs("wrap", a, 2, 2);
        auto width = static_cast<std::size_t>(std::max<std::int64_t>(1, toInt(a[0])));
        std::string s = toText(a[1]), out;
        std::size_t lineLen = 0;
        std::istringstream words(s);
        std::string w;
        while (words >> w) {
            if (lineLen > 0 && lineLen + 1 + w.size() > width) {
                out += '\n';
                lineLen = 0;
            } else if (lineLen > 0) {
                out += ' ';
                ++lineLen;
            }
            out += w;
            lineLen += w.size();
        }
        return Value(std::move(out));
    });
    auto splitter = [](std::string_view sep, std::string_view s) {
        Value::List parts;
        if (sep.empty()) {
            for (char c : s) parts.emplace_back(std::string(1, c));
            return parts;
        }
        std::size_t i = 0;
        for (std::size_t p = s.find(sep); p != std::string_view::npos; p = s.find(sep, i)) {
            parts.emplace_back(s.substr(i, p - i));
            i = p + sep.size();
        }
        parts.emplace_back(s.substr(i));
        return parts;
    };
    t.add("splitList", [splitter](Args a) {
        requireArgs("splitList", a, 2, 2);
        return Value::list(splitter(toText(a[0]), toText(a[1])));
    });
    t.add("split", [splitter](Args a) {  // Sprig: a dict with keys _0, _1, ...
        requireArgs("split", a, 2, 2);
        Value::List parts = splitter(toText(a[0]), toText(a[1]));
        Value::Entries e;
        for (std::size_t i = 0; i < parts.size(); ++i) e.emplace_back("_" + std::to_string(i), parts[i]);
        return Value::map(std::move(e));
    });
    t.add("join", [](Args a) {
        requireArgs("join", a, 2, 2);
        std::string sep = toText(a[0]), out;
        if (a[1].kind() != Value::Kind::List) return Value(toText(a[1]));
        bool first = true;
        for (const auto& v : a[1].items()) {
            if (!first) out += sep;
            first = false;
            if (!v.isNull()) out += toText(v);
        }
        return Value(std::move(out));
    });
    t.add("initials", [](Args a) {
        requireArgs("initials", a, 1, 1);
        std::string s = toText(a[0]), out;
        bool start = true;
        for (char c : s) {
            if (start && !isSpace(c)) out += c;
            start = isSpace(c);
        }
        return Value(std::move(out));
    });
    t.add("plural", [](Args a) {
        requireArgs("plural", a, 3, 3);
        return toInt(a[2]) == 1 ? Value(toText(a[0])) : Value(toText(a[1]));
    });
    t.add("b64enc", [](Args a) { requireArgs("b64enc", a, 1, 1); return Value(base64(toText(a[0]), true)); });
    t.add("b64dec", [](Args a) { requireArgs("b64dec", a, 1, 1); return Value(base64(toText(a[0]), false)); });

    t.add("default", [](Args a) {
        requireArgs("default", a, 1, 2);
        if (a.size() == 1 || isEmpty(a[1])) return a[0];
        return a[1];
    });
    t.add("empty", [](Args a) { requireArgs("empty", a, 1, 1); return Value(isEmpty(a[0])); });
    t.add("coalesce", [](Args a) {
        for (const auto& v : a) {
            if (!isEmpty(v)) return v;
        }
        return Value();
    });
    t.add("ternary", [](Args a) {
        requireArgs("ternary", a, 3, 3);
        return a[2].truthy() ? a[0] : a[1];
    });

    t.add("toString", [](Args a) { requireArgs("toString", a, 1, 1); return Value(toText(a[0])); });
    t.add("atoi", [](Args a) {
        requireArgs("atoi", a, 1, 1);
        std::string s = toText(a[0]);
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        return Value(ec == std::errc() && p == s.data() + s.size() ? v : 0);
    });
    t.add("int", [](Args a) { requireArgs("int", a, 1, 1); return intResult(toInt(a[0])); });
    t.add("int64", [](Args a) { requireArgs("int64", a, 1, 1); return intResult(toInt(a[0])); });
    t.add("float64", [](Args a) { requireArgs("float64", a, 1, 1); return Value(toFloat(a[0])); });
    t.add("toJson", [](Args a) {
        requireArgs("toJson", a, 1, 1);
        std::string out;
        appendJson(out, a[0]);
        return Value(std::move(out));
    });
    t.add("toPrettyJson", *t.find("toJson"));

    auto fold = [](const char* name, std::int64_t (*op)(std::int64_t, std::int64_t)) {
        return [name, op](Args a) {
            requireArgs(name, a, 1, SIZE_MAX);
            std::int64_t acc = toInt(a[0]);
            for (std::size_t i = 1; i < a.size(); ++i) acc = op(acc, toInt(a[i]));
            return Value(acc);
        };
    };
    t.add("add", fold("add", [](std::int64_t x, std::int64_t y) { return x + y; }));
    t.add("mul", fold("mul", [](std::int64_t x, std::int64_t y) { return x * y; }));
    t.add("max", fold("max", [](std::int64_t x, std::int64_t y) { return std::max(x, y); }));
    t.add("min", fold("min", [](std::int64_t x, std::int64_t y) { return std::min(x, y); }));
    t.add("add1", [](Args a) { requireArgs("add1", a, 1, 1); return Value(toInt(a[0]) + 1); });
    t.add("sub", [](Args a) { requireArgs("sub", a, 2, 2); return Value(toInt(a[0]) - toInt(a[1])); });
    t.add("div", [](Args a) {
        requireArgs("div", a, 2, 2);
        if (toInt(a[1]) == 0) throw TemplateError("integer divide by zero");
        return Value(toInt(a[0]) / toInt(a[1]));
    });
    t.add("mod", [](Args a) {
        requireArgs("mod", a, 2, 2);
        if (toInt(a[1]) == 0) throw TemplateError("integer divide by zero");
        return Value(toInt(a[0]) % toInt(a[1]));
    });
    t.add("floor", [](Args a) { requireArgs("floor", a, 1, 1); return Value(std::floor(toFloat(a[0]))); });
    t.add("ceil", [](Args a) { requireArgs("ceil", a, 1, 1); return Value(std::ceil(toFloat(a[0]))); });
    t.add("round", [](Args a) {
        requireArgs("round", a, 2, 3);
        double p = std::pow(10.0, static_cast<double>(toInt(a[1])));
        return Value(std::round(toFloat(a[0]) * p) / p);
    });

    t.add("list", [](Args a) { return Value::list(Value::List(a.begin(), a.end())); });
    t.add("first", [](Args a) {
        requireArgs("first", a, 1, 1);
        return a[0].items().empty() ? Value() : a[0].items().front();
    });
    t.add("last", [](Args a) {
        requireArgs("last", a, 1, 1);
        return a[0].items().empty() ? Value() : a[0].items().back();
    });
    t.add("rest", [](Args a) {
        requireArgs("rest", a, 1, 1);
        const auto& l = a[0].items();
        return l.empty() ? Value() : Value::list(Value::List(l.begin() + 1, l.end()));
    });
    t.add("initial", [](Args a) {
        requireArgs("initial", a, 1, 1);
        const auto& l = a[0].items();
        return l.empty() ? Value() : Value::list(Value::List(l.begin(), l.end() - 1));
    });
    t.add("append", [](Args a) {
        requireArgs("append", a, 2, 2);
        Value::List l = a[0].items();
        l.push_back(a[1]);
        return Value::list(std::move(l));
    });
    t.add("prepend", [](Args a) {
        requireArgs("prepend", a, 2, 2);
        Value::List l = a[0].items();
        l.insert(l.begin(), a[1]);
        return Value::list(std::move(l));
    });
    t.add("has", [](Args a) {
        requireArgs("has", a, 2, 2);
        for (const auto& v : a[1].items()) {
            if (v.kind() == a[0].kind() && (v.isNull() || (!v.isNumber() || a[0].isNumber()) ) && toText(v) == toText(a[0])) return Value(true);
        }
        return Value(false);
    });
    t.add("uniq", [](Args a) {
        requireArgs("uniq", a, 1, 1);
        Value::List out;
        std::vector<std::string> seen;
        for (const auto& v : a[0].items()) {
            std::string key = std::string(v.typeName()) + ":" + toText(v);
            if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
            seen.push_back(key);
            out.push_back(v);
        }
        return Value::list(std::move(out));
    });
    t.add("until", [](Args a) {
        requireArgs("until", a, 1, 1);
        Value::List out;
        std::int64_t n = std::min<std::int64_t>(toInt(a[0]), 100000);
        for (std::int64_t i = 0; i < n; ++i) out.emplace_back(static_cast<long long>(i));
        return Value::list(std::move(out));
    });
    t.add("dict", [](Args a) {
        Value::Entries e;
        for (std::size_t i = 0; i < a.size(); i += 2) e.emplace_back(toText(a[i]), i + 1 < a.size() ? a[i + 1] : Value(""));
        return Value::map(std::move(e));
    });
    t.add("get", [](Args a) {
        requireArgs("get", a, 2, 2);
        const Value* v = a[0].find(toText(a[1]));
        return v ? *v : Value("");
    });
    t.add("hasKey", [](Args a) { requireArgs("hasKey", a, 2, 2); return Value(a[0].find(toText(a[1])) != nullptr); });
    t.add("keys", [](Args a) {
        Value::List out;
        for (const auto& m : a) {
            for (const auto& [k, v] : m.entries()) out.emplace_back(k);
        }
        return Value::list(std::move(out));
    });
    t.add("values", [](Args a) {
        requireArgs("values", a, 1, 1);
        Value::List out;
        for (const auto& [k, v] : a[0].entries()) out.push_back(v);
        return Value::list(std::move(out));
    });

    t.add("now", [](Args a) {
        requireArgs("now", a, 0, 0);
        return Value(formatRfc3339(std::chrono::system_clock::now()));
    });
    t.add("date", [](Args a) {
        requireArgs("date", a, 2, 2);
        return Value(formatGoTime(toText(a[0]), timeOf(a[1])));
    });
    t.add("dateInZone", [](Args a) {
        requireArgs("dateInZone", a, 3, 3);
        return Value(formatGoTime(toText(a[0]), timeOf(a[1])));
    });
    t.add("unixEpoch", [](Args a) {
        requireArgs("unixEpoch", a, 1, 1);
        auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeOf(a[0]).time_since_epoch()).count();
        return Value(std::to_string(secs));
    });
}

}  // namespace tidings::kernel::tmpl
