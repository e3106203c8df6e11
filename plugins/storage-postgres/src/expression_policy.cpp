#include "expression_policy.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "errors.hpp"

namespace tidings::storage_pg {
namespace {

// Functions a subscriber query may call: pure functions over text, numbers, dates, JSON and
// arrays, aggregates for subqueries, and the SQL-standard forms written like calls. Left out on
// purpose: anything that changes settings or roles (set_config), runs SQL (query_to_xml and the
// other *_to_xml), touches files, large objects, locks, sequences, notifications or other
// backends, reads server configuration (current_setting), sleeps, and the functions that build
// values of caller-chosen size (repeat, lpad, rpad, format), which the statement timeout cannot
// interrupt. Sorted, for binary search.
constexpr std::string_view kAllowedFunctions[] = {
    "abs", "age", "array_agg", "array_append", "array_cat", "array_length", "array_lower",
    "array_position", "array_positions", "array_remove", "array_to_string", "array_upper", "ascii",
    "avg", "bigint", "bit_length", "bool", "bool_and", "bool_or", "boolean", "btrim", "cardinality",
    "cast", "cbrt", "ceil", "ceiling", "char", "char_length", "character", "character_length",
    "chr", "clock_timestamp", "coalesce", "concat", "concat_ws", "count", "date", "date_bin",
    "date_part", "date_trunc", "decimal", "div", "every", "exp", "extract", "float", "float4",
    "float8", "floor", "greatest", "initcap", "int", "int2", "int4", "int8", "integer", "interval",
    "isfinite", "json_agg", "json_array_elements", "json_array_elements_text", "json_array_length",
    "json_build_array", "json_build_object", "json_each", "json_each_text", "json_extract_path",
    "json_extract_path_text", "json_object_keys", "json_typeof", "jsonb_agg",
    "jsonb_array_elements", "jsonb_array_elements_text", "jsonb_array_length", "jsonb_build_array",
    "jsonb_build_object", "jsonb_each", "jsonb_each_text", "jsonb_exists", "jsonb_exists_all",
    "jsonb_exists_any", "jsonb_extract_path", "jsonb_extract_path_text", "jsonb_object_keys",
    "jsonb_path_exists", "jsonb_path_match", "jsonb_strip_nulls", "jsonb_typeof",
    "justify_days", "justify_hours", "justify_interval", "least", "left", "length", "ln", "log",
    "lower", "ltrim", "make_date", "make_interval", "make_time", "make_timestamp",
    "make_timestamptz", "max", "md5", "min", "mod", "now", "nullif", "numeric", "octet_length",
    "overlay", "position", "power", "random", "real", "regexp_count", "regexp_like",
    "regexp_match", "regexp_matches", "regexp_replace", "regexp_split_to_array", "replace",
    "reverse", "right", "round", "rtrim", "sign", "smallint", "split_part", "sqrt", "starts_with",
    "statement_timestamp", "string_agg", "string_to_array", "strpos", "substr", "substring", "sum",
    "text", "time", "timestamp", "timestamptz", "timezone", "to_char", "to_date", "to_json",
    "to_jsonb", "to_number", "to_timestamp", "transaction_timestamp", "translate", "trim", "trunc",
    "unaccent", "unnest", "upper", "uuid", "varchar",
};

// Words that may stand before "(" without calling anything: operators, clause keywords and the
// keywords inside the SQL-standard call forms (SUBSTRING(x FROM 1 FOR 2), TRIM(BOTH ...), ...).
// A word missing here is refused as an unknown function, never let through. Sorted.
constexpr std::string_view kKeywords[] = {
    "all", "and", "any", "array", "as", "asc", "between", "both", "by", "case", "collate", "desc",
    "distinct", "else", "end", "escape", "except", "exists", "filter", "for", "from", "group",
    "having", "ilike", "in", "intersect", "is", "join", "lateral", "leading", "like", "limit",
    "not", "offset", "on", "or", "order", "over", "partition", "placing", "row", "select",
    "similar", "some", "symmetric", "then", "to", "trailing", "union", "using", "values", "varying",
    "when", "where", "with", "within", "zone",
};

static_assert(std::is_sorted(std::begin(kAllowedFunctions), std::end(kAllowedFunctions)));
static_assert(std::is_sorted(std::begin(kKeywords), std::end(kKeywords)));

template <std::size_t N>
bool contains(const std::string_view (&sorted)[N], std::string_view word) {
    return std::binary_search(std::begin(sorted), std::end(sorted), word);
}

[[noreturn]] void refuse(const std::string& why) { throw StatusError(sdk::Status::invalid("query: " + why)); }

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
// PostgreSQL's ident_start and ident_cont; bytes of multi-byte UTF-8 characters count as letters.
bool isIdentStart(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}
bool isIdentCont(char c) { return isIdentStart(c) || isDigit(c) || c == '$'; }

std::string lowered(std::string_view s) {
    std::string out(s);
    for (auto& c : out) if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

struct Token {
    enum class Kind { Word, QuotedWord, Literal, Number, Punct } kind;
    std::string text;  ///< Words lowered, quoted words unquoted; the character for Punct.
};

class Lexer {
public:
    explicit Lexer(std::string_view in) : in_(in) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        while (pos_ < in_.size()) {
            const char c = in_[pos_];
            if (isSpace(c)) {
                ++pos_;
            } else if ((c == '-' && at(1) == '-') || (c == '/' && at(1) == '*')) {
                refuse("comments are not allowed");
            } else if (c == '$') {
                refuse(isDigit(at(1)) ? "parameters ($1) are not allowed" : "dollar quoting is not allowed");
            } else if (c == '\'') {
                quoted('\'', /*backslashes=*/false);
                out.push_back({Token::Kind::Literal, {}});
            } else if (c == '"') {
                out.push_back({Token::Kind::QuotedWord, quoted('"', false)});
            } else if (isDigit(c) || (c == '.' && isDigit(at(1)))) {
                number();
                out.push_back({Token::Kind::Number, {}});
            } else if (isIdentStart(c)) {
                word(out);
            } else {
                out.push_back({Token::Kind::Punct, std::string(1, c)});
                ++pos_;
            }
        }
        return out;
    }

private:
    char at(std::size_t ahead) const { return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0'; }

    void word(std::vector<Token>& out) {
        const std::size_t start = pos_;
        while (pos_ < in_.size() && isIdentCont(in_[pos_])) ++pos_;
        const std::string w = lowered(in_.substr(start, pos_ - start));
        const char next = pos_ < in_.size() ? in_[pos_] : '\0';
        // A one-letter prefix glued to a quote changes how the quoted text is read.
        if (w.size() == 1 && next == '\'') {
            if (w == "e") {
                quoted('\'', /*backslashes=*/true);
                out.push_back({Token::Kind::Literal, {}});
                return;
            }
            if (w == "b" || w == "x" || w == "n") {
                quoted('\'', false);
                out.push_back({Token::Kind::Literal, {}});
                return;
            }
        }
        if (w == "u" && next == '&' && (at(1) == '\'' || at(1) == '"'))
            refuse("Unicode escape strings (U&'...') are not allowed");
        out.push_back({Token::Kind::Word, w});
    }

    // Reads a quoted literal or identifier starting at the opening quote; a doubled quote stands
    // for itself, and in E'...' strings a backslash escapes the next byte.
    std::string quoted(char quote, bool backslashes) {
        std::string text;
        for (++pos_; pos_ < in_.size(); ++pos_) {
            const char c = in_[pos_];
            if (backslashes && c == '\\') {
                if (++pos_ >= in_.size()) break;
                text += in_[pos_];
            } else if (c == quote) {
                if (at(1) != quote) {
                    ++pos_;
                    return text;
                }
                text += c;
                ++pos_;
            } else {
                text += c;
            }
        }
        refuse("unterminated quote");
    }

    // Digits and dots, with an exponent only when digits follow it: as in PostgreSQL 15, "1e'x'"
    // is the number 1 followed by the string e'x'.
    void number() {
        while (pos_ < in_.size() && (isDigit(in_[pos_]) || in_[pos_] == '.')) ++pos_;
        if ((at(0) == 'e' || at(0) == 'E') &&
            (isDigit(at(1)) || ((at(1) == '+' || at(1) == '-') && isDigit(at(2))))) {
            pos_ += 2;
            while (pos_ < in_.size() && isDigit(in_[pos_])) ++pos_;
        }
    }

    std::string_view in_;
    std::size_t pos_ = 0;
};

bool isWord(const Token& t) { return t.kind == Token::Kind::Word || t.kind == Token::Kind::QuotedWord; }
bool isPunct(const Token& t, char c) { return t.kind == Token::Kind::Punct && t.text[0] == c; }

void checkCall(const std::vector<Token>& tokens, std::size_t i) {
    const Token& name = tokens[i];
    if (name.kind == Token::Kind::Word && contains(kKeywords, name.text)) return;
    if (i >= 2 && isPunct(tokens[i - 1], '.')) {
        const Token& schema = tokens[i - 2];
        if (!isWord(schema) || schema.text != "pg_catalog")
            refuse("function '" + name.text + "' may only be called unqualified or from pg_catalog");
    }
    if (!contains(kAllowedFunctions, name.text)) refuse("function '" + name.text + "' is not allowed");
}

}  // namespace

void checkUserExpression(std::string_view expression) {
    const std::vector<Token> tokens = Lexer(expression).run();
    int depth = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (isPunct(t, '(')) {
            ++depth;
            if (i > 0 && isWord(tokens[i - 1])) checkCall(tokens, i - 1);
        } else if (isPunct(t, ')') && --depth < 0) {
            refuse("unbalanced parentheses");
        }
    }
    if (depth != 0) refuse("unbalanced parentheses");
}

}  // namespace tidings::storage_pg
