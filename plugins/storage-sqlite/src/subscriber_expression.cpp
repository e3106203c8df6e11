#include "subscriber_expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "errors.hpp"

namespace tidings::storage_sqlite {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw StatusError(sdk::Status::invalid("query: " + why)); }

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isWordStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool isWordChar(char c) { return isWordStart(c) || isDigit(c); }
bool isQuote(char c) { return c == '\'' || c == '"' || c == '`' || c == '['; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Words that introduce or join clauses: never a function name and never the operand of a cast.
constexpr std::array<std::string_view, 40> kKeywords = {
    "and",     "or",       "not",   "in",     "exists",    "select",  "from",   "where", "when",   "then",
    "else",    "case",     "end",   "is",     "like",      "glob",    "between", "on",   "as",     "join",
    "union",   "all",      "distinct", "group", "by",      "order",   "having", "limit", "offset", "with",
    "recursive", "values", "escape", "collate", "inner",   "left",    "outer",  "cross", "using",  "except",
};

bool isKeyword(std::string_view lowered) {
    return std::find(kKeywords.begin(), kKeywords.end(), lowered) != kKeywords.end();
}

// Deeper nesting than any hand-written query needs; bounds the recursion below.
constexpr int kMaxDepth = 64;

class Rewriter {
public:
    explicit Rewriter(std::string_view in) : in_(in) {}

    std::string run() { return sequence(0); }

private:
    enum class Kind { Space, Atom, Other };
    struct Piece {
        std::string text;
        Kind kind;
    };

    char at(std::size_t i) const { return i < in_.size() ? in_[i] : '\0'; }

    // Rewrites up to the end of the input (depth 0) or up to and including the ')' that closes
    // the group opened before the call (depth > 0).
    std::string sequence(int depth) {
        if (depth > kMaxDepth) refuse("too deeply nested");
        std::vector<Piece> out;
        for (;;) {
            if (pos_ >= in_.size()) {
                if (depth > 0) refuse("unbalanced parentheses");
                break;
            }
            const char c = in_[pos_];
            const char next = at(pos_ + 1);
            if (isSpace(c)) {
                const std::size_t start = pos_;
                while (pos_ < in_.size() && isSpace(in_[pos_])) ++pos_;
                out.push_back({std::string(in_.substr(start, pos_ - start)), Kind::Space});
            } else if (c == ')') {
                if (depth == 0) refuse("unbalanced parentheses");
                ++pos_;
                break;
            } else if ((c == '-' && next == '-') || (c == '/' && next == '*')) {
                refuse("comments are not allowed");
            } else if (c == '$' || c == '@' || c == '#' || (c == ':' && next != ':') || (c == '?' && isDigit(next))) {
                refuse("parameters and dollar quoting are not allowed");
            } else if (c == ':') {
                pos_ += 2;
                out.push_back({cast(takeLeft(out, "::")), Kind::Atom});
            } else if (c == '?') {
                if (next == '|' || next == '&') refuse(std::string("the ?") + next + " operator is not supported");
                ++pos_;
                const std::string left = takeLeft(out, "?");
                const std::string key = operand("?", depth);
                // As on PostgreSQL: a key of an object, or a string element of an array (or the
                // string itself), whose json_each rows have an integer or no key.
                out.push_back({"EXISTS (SELECT 1 FROM json_each(" + left + ") AS pg_has WHERE (typeof(pg_has.key) = 'text'"
                               " AND pg_has.key = " + key + ") OR (typeof(pg_has.key) <> 'text' AND pg_has.type = 'text'"
                               " AND pg_has.value = " + key + "))",
                               Kind::Atom});
            } else if (c == '-' && next == '>') {
                const bool as_text = at(pos_ + 2) == '>';
                const std::string op = as_text ? "->>" : "->";
                pos_ += op.size();
                const std::string left = takeLeft(out, op);
                const std::string right = operand(op, depth);
                out.push_back({as_text ? "CAST(" + left + " ->> " + right + " AS TEXT)" : "(" + left + " -> " + right + ")",
                               Kind::Atom});
            } else if (isQuote(c) || isWordStart(c) || isDigit(c) || (c == '.' && isDigit(next)) || c == '(') {
                out.push_back(primary(depth));
            } else {
                out.push_back({std::string(1, c), Kind::Other});
                ++pos_;
            }
        }
        std::string text;
        for (const auto& p : out) text += p.text;
        return depth > 0 ? "(" + text + ")" : text;
    }

    // One operand starting at pos_: a literal, a quoted or dotted name, a function call, a number
    // or a parenthesised group; keywords come back as Other pieces.
    Piece primary(int depth) {
        const char c = in_[pos_];
        if (c == '(') {
            ++pos_;
            return {sequence(depth + 1), Kind::Atom};
        }
        if (isDigit(c) || c == '.') return {number(), Kind::Atom};
        if (c == '\'') return {quoted(), Kind::Atom};
        if (isWordStart(c)) {
            const std::size_t start = pos_;
            while (pos_ < in_.size() && isWordChar(in_[pos_])) ++pos_;
            const std::string word(in_.substr(start, pos_ - start));
            const std::string lowered = lower(word);
            if (lowered == "ilike") return {"LIKE", Kind::Other};
            if (isKeyword(lowered)) return {word, Kind::Other};
            pos_ = start;
        }
        std::string name = dottedName();
        std::size_t look = pos_;
        while (look < in_.size() && isSpace(in_[look])) ++look;
        if (at(look) == '(') {
            pos_ = look + 1;
            name += sequence(depth + 1);
        }
        return {name, Kind::Atom};
    }

    // The right-hand operand of a binary operator we translate, with its own casts applied
    // (PostgreSQL's :: binds tighter than any operator).
    std::string operand(const std::string& op, int depth) {
        while (pos_ < in_.size() && isSpace(in_[pos_])) ++pos_;
        const char c = at(pos_);
        if (!(isQuote(c) || isWordStart(c) || isDigit(c) || c == '(')) refuse("'" + op + "' needs an operand on its right");
        Piece p = primary(depth);
        if (p.kind != Kind::Atom) refuse("'" + op + "' needs an operand on its right");
        for (;;) {
            std::size_t look = pos_;
            while (look < in_.size() && isSpace(in_[look])) ++look;
            if (at(look) != ':' || at(look + 1) != ':') break;
            pos_ = look + 2;
            p.text = cast(p.text);
        }
        return p.text;
    }

    // The operand just written, removed from `out`, for an operator that applies to it.
    static std::string takeLeft(std::vector<Piece>& out, const std::string& op) {
        while (!out.empty() && out.back().kind == Kind::Space) out.pop_back();
        if (out.empty() || out.back().kind != Kind::Atom) refuse("'" + op + "' needs an operand on its left");
        std::string text = std::move(out.back().text);
        out.pop_back();
        return text;
    }

    // A name, quoted or not, with any ".name" parts (subscribers.attribs, "lists"."name").
    std::string dottedName() {
        std::string name = namePart();
        while (at(pos_) == '.' && (isWordStart(at(pos_ + 1)) || isQuote(at(pos_ + 1)))) {
            ++pos_;
            name += "." + namePart();
        }
        return name;
    }

    std::string namePart() {
        if (isQuote(at(pos_))) return quoted();
        const std::size_t start = pos_;
        while (pos_ < in_.size() && isWordChar(in_[pos_])) ++pos_;
        return std::string(in_.substr(start, pos_ - start));
    }

    // A quoted literal or identifier; a doubled closing quote is part of it, as in SQL.
    std::string quoted() {
        const char open = in_[pos_];
        const char close = open == '[' ? ']' : open;
        const std::size_t start = pos_;
        for (++pos_;; ++pos_) {
            if (pos_ >= in_.size()) refuse("unterminated quote");
            if (in_[pos_] != close) continue;
            if (close != ']' && at(pos_ + 1) == close) {
                ++pos_;
                continue;
            }
            ++pos_;
            break;
        }
        return std::string(in_.substr(start, pos_ - start));
    }

    std::string number() {
        const std::size_t start = pos_;
        while (pos_ < in_.size() && (isWordChar(in_[pos_]) || in_[pos_] == '.' ||
                                     ((in_[pos_] == '+' || in_[pos_] == '-') &&
                                      (in_[pos_ - 1] == 'e' || in_[pos_ - 1] == 'E'))))
            ++pos_;
        return std::string(in_.substr(start, pos_ - start));
    }

    // PostgreSQL's `value::type`, with pos_ just after the "::".
    std::string cast(const std::string& value) {
        while (pos_ < in_.size() && isSpace(in_[pos_])) ++pos_;
        if (!isWordStart(at(pos_))) refuse("'::' needs a type name");
        std::string type = lower(namePart());
        const auto skipWord = [&](std::string_view word) {
            std::size_t look = pos_;
            while (look < in_.size() && isSpace(in_[look])) ++look;
            const std::size_t start = look;
            while (look < in_.size() && isWordChar(in_[look])) ++look;
            if (lower(in_.substr(start, look - start)) != word) return false;
            pos_ = look;
            return true;
        };
        if (type == "double") skipWord("precision");
        if (type == "character") skipWord("varying");
        if (type == "timestamp" || type == "timestamptz" || type == "time") {
            if (skipWord("with") || skipWord("without")) {
                skipWord("time");
                skipWord("zone");
            }
        }
        // A length or precision, "varchar(20)" or "numeric(10, 2)", means nothing to SQLite.
        std::size_t look = pos_;
        while (look < in_.size() && isSpace(in_[look])) ++look;
        if (at(look) == '(') {
            std::size_t end = look + 1;
            while (end < in_.size() && (isDigit(in_[end]) || isSpace(in_[end]) || in_[end] == ',')) ++end;
            if (at(end) != ')') refuse("unexpected type modifier in a cast to " + type);
            pos_ = end + 1;
        }
        look = pos_;
        while (look < in_.size() && isSpace(in_[look])) ++look;
        if (at(look) == '[') refuse("casts to arrays are not supported");

        static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kTypes = {{
            {"int", "INTEGER"},     {"integer", "INTEGER"}, {"int2", "INTEGER"},  {"int4", "INTEGER"},
            {"int8", "INTEGER"},    {"smallint", "INTEGER"}, {"bigint", "INTEGER"}, {"numeric", "NUMERIC"},
            {"decimal", "NUMERIC"}, {"real", "REAL"},       {"float", "REAL"},    {"float4", "REAL"},
            {"float8", "REAL"},     {"double", "REAL"},     {"text", "TEXT"},     {"varchar", "TEXT"},
            {"char", "TEXT"},       {"character", "TEXT"},  {"citext", "TEXT"},   {"uuid", "TEXT"},
            {"json", "TEXT"},       {"jsonb", "TEXT"},      {"name", "TEXT"},     {"bpchar", "TEXT"},
        }};
        if (type == "date") return "date(" + value + ")";
        // Timestamps are stored as UTC text in this form, so converted values compare with them.
        if (type == "timestamp" || type == "timestamptz")
            return "strftime('%Y-%m-%d %H:%M:%f', " + value + ")";
        for (const auto& [pg, sqlite] : kTypes)
            if (pg == type) return "CAST(" + value + " AS " + std::string(sqlite) + ")";
        refuse("casts to " + type + " are not supported");
    }

    std::string_view in_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string sqliteExpression(std::string_view expression) {
    // SQLite stops compiling at a NUL byte, which would hide the rest of the text from it.
    if (expression.find('\0') != std::string_view::npos) refuse("NUL characters are not allowed");
    return Rewriter(expression).run();
}

}  // namespace tidings::storage_sqlite
