#include "kernel/template/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tidings::kernel::tmpl {

namespace {

// Splits a finite double into its shortest round-trip decimal digits and decimal exponent:
// value = 0.d1d2d3... * 10^dp (Go's decimal representation).
void shortestDigits(double d, std::string& digits, int& dp) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
    std::string_view s(buf, res.ptr - buf);
    std::size_t e = s.find('e');
    digits.clear();
    for (char c : s.substr(0, e)) {
        if (c != '.') digits += c;
    }
    int exp = std::atoi(std::string(s.substr(e + 1)).c_str());
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    dp = exp + 1;
    if (digits == "0") dp = 1;
}

void appendExponent(std::string& out, int exp) {
    out += 'e';
    out += exp < 0 ? '-' : '+';
    int a = std::abs(exp);
    if (a < 10) out += '0';
    out += std::to_string(a);
}

}  // namespace

std::string formatFloat(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
    std::string digits;
    int dp = 0;
    shortestDigits(d, digits, dp);
    std::string out;
    if (std::signbit(d)) out += '-';
    int exp = dp - 1;
    if (exp < -4 || exp >= 6) {  // strconv %g with shortest precision uses 6 here
        out += digits[0];
        if (digits.size() > 1) {
            out += '.';
            out += digits.substr(1);
        }
        appendExponent(out, exp);
        return out;
    }
    if (dp <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-dp), '0');
        out += digits;
    } else if (static_cast<std::size_t>(dp) >= digits.size()) {
        out += digits;
        out.append(static_cast<std::size_t>(dp) - digits.size(), '0');
    } else {
        out += digits.substr(0, dp);
        out += '.';
        out += digits.substr(dp);
    }
    return out;
}

void appendValue(std::string& out, const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Null: out += "<nil>"; break;
    case Value::Kind::Bool: out += v.asBool() ? "true" : "false"; break;
    case Value::Kind::Int: {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v.asInt());
        out.append(buf, r.ptr);
        break;
    }
    case Value::Kind::Double: out += formatFloat(v.asDouble()); break;
    case Value::Kind::String:
    case Value::Kind::SafeHtml: out += v.str(); break;
    case Value::Kind::List: {
        out += '[';
        bool first = true;
        for (const auto& item : v.items()) {
            if (!first) out += ' ';
            first = false;
            appendValue(out, item);
        }
        out += ']';
        break;
    }
    case Value::Kind::Map: {
        out += v.isRecord() ? "{" : "map[";
        bool first = true;
        for (const auto& [k, item] : v.entries()) {
            if (!first) out += ' ';
            first = false;
            if (!v.isRecord()) {
                out += k;
                out += ':';
            }
            appendValue(out, item);
        }
        out += v.isRecord() ? "}" : "]";
        break;
    }
    case Value::Kind::Func: out += "<func>"; break;
    }
}

std::string sprint(std::span<const Value> args) {
    std::string out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i > 0 && !args[i].isString() && !args[i - 1].isString()) out += ' ';
        appendValue(out, args[i]);
    }
    return out;
}

std::string sprintln(std::span<const Value> args) {
    std::string out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i > 0) out += ' ';
        appendValue(out, args[i]);
    }
    out += '\n';
    return out;
}

std::string quoteGo(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\v': out += "\\v"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);  // UTF-8 passes through, as printable runes do in Go.
            }
        }
    }
    out += '"';
    return out;
}

namespace {

struct Spec {
    bool minus = false, plus = false, sharp = false, zero = false, space = false;
    int width = -1;
    int precision = -1;
};

void pad(std::string& out, const std::string& body, const Spec& spec, bool numeric) {
    int n = static_cast<int>(body.size());
    if (spec.width <= n) {
        out += body;
        return;
    }
    std::size_t fill = static_cast<std::size_t>(spec.width - n);
    if (spec.minus) {
        out += body;
        out.append(fill, ' ');
    } else if (spec.zero && numeric) {
        std::size_t signLen = !body.empty() && (body[0] == '-' || body[0] == '+') ? 1 : 0;
        out += body.substr(0, signLen);
        out.append(fill, '0');
        out += body.substr(signLen);
    } else {
        out.append(fill, ' ');
        out += body;
    }
}

std::string typeTag(const Value& v) {
    std::string s(v.typeName());
    s += '=';
    appendValue(s, v);
    return s;
}

std::string cFormat(const Spec& spec, char verb, double d) {
    std::string f = "%";
    if (spec.plus) f += '+';
    if (spec.space) f += ' ';
    if (spec.sharp) f += '#';
    f += '.';
    f += std::to_string(spec.precision < 0 ? 6 : spec.precision);
    f += verb;
    char buf[512];
    std::snprintf(buf, sizeof buf, f.c_str(), d);
    return buf;
}

std::string intIn(std::int64_t i, int base, bool upper, const Spec& spec) {
    std::string digits;
    std::uint64_t u = i < 0 ? static_cast<std::uint64_t>(-(i + 1)) + 1 : static_cast<std::uint64_t>(i);
    char buf[72];
    auto r = std::to_chars(buf, buf + sizeof buf, u, base);
    digits.assign(buf, r.ptr);
    if (upper) {
        for (auto& c : digits) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (spec.precision >= 0 && static_cast<int>(digits.size()) < spec.precision) {
        digits.insert(0, static_cast<std::size_t>(spec.precision) - digits.size(), '0');
    }
    std::string prefix;
    if (spec.sharp && base == 16) prefix = upper ? "0X" : "0x";
    if (spec.sharp && base == 8) prefix = "0";
    std::string sign = i < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
    return sign + prefix + digits;
}

void formatOne(std::string& out, const Spec& spec, char verb, const Value& v) {
    std::string body;
    bool numeric = false;
    auto bad = [&] { body = std::string("%!") + verb + "(" + typeTag(v) + ")"; };
    switch (verb) {
    case 'v':
        if (spec.plus && v.kind() == Value::Kind::Int && v.asInt() >= 0) body = "+";
        appendValue(body, v);
        numeric = v.isNumber();
        break;
    case 's':
        if (v.kind() == Value::Kind::Int || v.kind() == Value::Kind::Double || v.kind() == Value::Kind::Bool) {
            bad();
        } else {
            appendValue(body, v);
            if (spec.precision >= 0 && static_cast<int>(body.size()) > spec.precision) body.resize(spec.precision);
        }
        break;
    case 'q':
        if (v.isString()) body = quoteGo(v.str());
        else if (v.kind() == Value::Kind::Int) body = "'" + std::string(1, static_cast<char>(v.asInt())) + "'";
        else bad();
        break;
    case 'd': case 'b': case 'o': case 'O': case 'x': case 'X': case 'c': case 'U':
        if (v.kind() == Value::Kind::Int) {
            numeric = true;
            std::int64_t i = v.asInt();
            if (verb == 'd') body = intIn(i, 10, false, spec);
            else if (verb == 'b') body = intIn(i, 2, false, spec);
            else if (verb == 'o' || verb == 'O') body = (verb == 'O' ? "0o" : "") + intIn(i, 8, false, spec);
            else if (verb == 'x' || verb == 'X') body = intIn(i, 16, verb == 'X', spec);
            else if (verb == 'c') body = std::string(1, static_cast<char>(i));
            else {
                char buf[16];
                std::snprintf(buf, sizeof buf, "U+%04llX", static_cast<unsigned long long>(i));
                body = buf;
            }
        } else if ((verb == 'x' || verb == 'X') && v.isString()) {
            static const char* lower = "0123456789abcdef";
            static const char* upperHex = "0123456789ABCDEF";
            const char* h = verb == 'x' ? lower : upperHex;
            for (unsigned char c : v.str()) {
                body += h[c >> 4];
                body += h[c & 15];
            }
        } else if ((verb == 'x' || verb == 'X') && v.kind() == Value::Kind::Double) {
            body = cFormat(spec, verb == 'x' ? 'a' : 'A', v.asDouble());
        } else {
            bad();
        }
        break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
        if (v.isNumber() && !(v.kind() == Value::Kind::Int)) {
            numeric = true;
            double d = v.asDouble();
            if ((verb == 'g' || verb == 'G') && spec.precision < 0) {
                body = formatFloat(d);
                if (spec.plus && d >= 0) body.insert(0, "+");
            } else {
                body = cFormat(spec, verb == 'F' ? 'f' : verb, d);
            }
        } else {
            bad();
        }
        break;
    case 't':
        if (v.kind() == Value::Kind::Bool) body = v.asBool() ? "true" : "false";
        else bad();
        break;
    default:
        body = std::string("%!") + verb + "(" + typeTag(v) + ")";
    }
    pad(out, body, spec, numeric);
}

}  // namespace

std::string sprintf(std::string_view format, std::span<const Value> args) {
    std::string out;
    std::size_t argi = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
        char c = format[i];
        if (c != '%') {
            out += c;
            continue;
        }
        if (++i >= format.size()) {
            out += "%!(NOVERB)";
            break;
        }
        Spec spec;
        for (; i < format.size(); ++i) {
            char f = format[i];
            if (f == '-') spec.minus = true;
            else if (f == '+') spec.plus = true;
            else if (f == '#') spec.sharp = true;
            else if (f == '0') spec.zero = true;
            else if (f == ' ') spec.space = true;
            else break;
        }
        auto readNumber = [&](int& target) {
            if (i < format.size() && format[i] == '*') {
                ++i;
                if (argi < args.size() && args[argi].kind() == Value::Kind::Int) target = static_cast<int>(args[argi++].asInt());
                return;
            }
            int n = 0;
            bool any = false;
            while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
                n = n * 10 + (format[i++] - '0');
                any = true;
            }
            if (any) target = n;
        };
        readNumber(spec.width);
        if (i < format.size() && format[i] == '.') {
            ++i;
            spec.precision = 0;
            readNumber(spec.precision);
        }
        if (i >= format.size()) {
            out += "%!(NOVERB)";
            break;
        }
        char verb = format[i];
        if (verb == '%') {
            out += '%';
            continue;
        }
        if (argi >= args.size()) {
            out += std::string("%!") + verb + "(MISSING)";
            continue;
        }
        formatOne(out, spec, verb, args[argi++]);
    }
    if (argi < args.size()) {
        out += "%!(EXTRA ";
        for (std::size_t k = argi; k < args.size(); ++k) {
            if (k > argi) out += ", ";
            out += typeTag(args[k]);
        }
        out += ")";
    }
    return out;
}

}  // namespace tidings::kernel::tmpl
