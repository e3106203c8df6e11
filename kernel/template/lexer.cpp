#include "kernel/template/lexer.hpp"

#include <cstdint>

#include "kernel/template/template_error.hpp"

namespace tidings::kernel::tmpl {

Pos positionOf(std::string_view source, std::size_t offset) {
    Pos p{1, 1};
    for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
        if (source[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool isAlnum(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           static_cast<unsigned char>(c) >= 0x80;  // Go allows Unicode letters; accept UTF-8 bytes.
}

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

class Lexer {
public:
    Lexer(std::string_view name, std::string_view src) : name_(name), src_(src) {}

    std::vector<Token> run() {
        while (pos_ < src_.size()) {
            std::size_t open = src_.find("{{", pos_);
            if (open == std::string_view::npos) {
                emitText(src_.substr(pos_), pos_);
                pos_ = src_.size();
                break;
            }
            std::size_t after = open + 2;
            bool trimLeft = after + 1 < src_.size() + 1 && after < src_.size() && src_[after] == '-' &&
                            after + 1 < src_.size() && isSpace(src_[after + 1]);
            std::string_view text = src_.substr(pos_, open - pos_);
            if (trimLeft) {
                while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
            }
            emitText(text, pos_);
            pos_ = trimLeft ? after + 2 : after;
            // A comment must follow the delimiter (and trim marker) immediately.
            std::size_t c = pos_;
            while (trimLeft && c < src_.size() && isSpace(src_[c])) ++c;
            if (src_.substr(c, 2) == "/*") {
                lexComment(open, c);
                continue;
            }
            tokens_.push_back({Tok::Left, "{{", at(open)});
            lexInsideAction(open);
        }
        tokens_.push_back({Tok::Eof, "", at(src_.size())});
        return std::move(tokens_);
    }

private:
    [[noreturn]] void fail(std::size_t offset, const std::string& msg) const {
        Pos p = positionOf(src_, offset);
        throw TemplateError(std::string(name_), p.line, p.column, msg);
    }

    Pos at(std::size_t offset) {
        // Positions are asked for in increasing order, so advance incrementally.
        while (posOffset_ < offset && posOffset_ < src_.size()) {
            if (src_[posOffset_] == '\n') {
                ++cur_.line;
                cur_.column = 1;
            } else {
                ++cur_.column;
            }
            ++posOffset_;
        }
        if (offset < posOffset_) return positionOf(src_, offset);
        return cur_;
    }

    void emitText(std::string_view text, std::size_t offset) {
        if (trimNext_) {
            std::size_t skip = 0;
            while (skip < text.size() && isSpace(text[skip])) ++skip;
            text.remove_prefix(skip);
            offset += skip;
            trimNext_ = false;
        }
        if (!text.empty()) tokens_.push_back({Tok::Text, std::string(text), at(offset)});
    }

    // Reads what follows the action's content: `}}` or ` -}}`. Returns true if consumed.
    bool atRightDelim(std::size_t i, bool& trim, std::size_t& end) const {
        if (src_.substr(i, 2) == "}}") {
            trim = false;
            end = i + 2;
            return true;
        }
        if (isSpace(src_[i])) {
            std::size_t j = i;
            while (j < src_.size() && isSpace(src_[j])) ++j;
            if (src_.substr(j, 3) == "-}}") {
                trim = true;
                end = j + 3;
                return true;
            }
        }
        return false;
    }

    void lexComment(std::size_t open, std::size_t start) {
        std::size_t close = src_.find("*/", start + 2);
        if (close == std::string_view::npos) fail(open, "unclosed comment");
        std::size_t i = close + 2;
        bool trim = false;
        std::size_t end = 0;
        if (i >= src_.size() || !atRightDelim(i, trim, end)) fail(open, "comment ends before closing delimiter");
        pos_ = end;
        trimNext_ = trim;
    }

    void lexInsideAction(std::size_t open) {
        int parens = 0;
        for (;;) {
            if (pos_ >= src_.size()) fail(open, "unclosed action");
            bool trim = false;
            std::size_t end = 0;
            if (parens == 0 || src_.substr(pos_, 2) == "}}") {
                if (atRightDelim(pos_, trim, end)) {
                    if (parens > 0) fail(pos_, "unclosed left paren");
                    tokens_.push_back({Tok::Right, "}}", at(pos_)});
                    pos_ = end;
                    trimNext_ = trim;
                    return;
                }
            }
            char c = src_[pos_];
            std::size_t start = pos_;
            if (isSpace(c)) {
                while (pos_ < src_.size() && isSpace(src_[pos_])) {
                    // Stop before " -}}" so the trim marker is seen as the delimiter.
                    if (parens == 0 && atRightDelim(pos_, trim, end) && src_[pos_] != '}') break;
                    ++pos_;
                }
                if (pos_ == start) {  // Whitespace is part of " -}}".
                    continue;
                }
                tokens_.push_back({Tok::Space, " ", at(start)});
            } else if (c == '=') {
                tokens_.push_back({Tok::Assign, "=", at(pos_++)});
            } else if (c == ':') {
                if (src_.substr(pos_, 2) != ":=") fail(pos_, "expected :=");
                tokens_.push_back({Tok::Declare, ":=", at(pos_)});
                pos_ += 2;
            } else if (c == '|') {
                tokens_.push_back({Tok::Pipe, "|", at(pos_++)});
            } else if (c == ',') {
                tokens_.push_back({Tok::Comma, ",", at(pos_++)});
            } else if (c == '(') {
                ++parens;
                tokens_.push_back({Tok::LeftParen, "(", at(pos_++)});
            } else if (c == ')') {
                if (--parens < 0) fail(pos_, "unexpected right paren");
                tokens_.push_back({Tok::RightParen, ")", at(pos_++)});
            } else if (c == '"') {
                lexQuote();
            } else if (c == '`') {
                std::size_t close = src_.find('`', pos_ + 1);
                if (close == std::string_view::npos) fail(pos_, "unterminated raw quoted string");
                tokens_.push_back({Tok::String, std::string(src_.substr(pos_ + 1, close - pos_ - 1)), at(pos_)});
                pos_ = close + 1;
            } else if (c == '\'') {
                lexChar();
            } else if (c == '$') {
                ++pos_;
                while (pos_ < src_.size() && isAlnum(src_[pos_])) ++pos_;
                tokens_.push_back({Tok::Variable, std::string(src_.substr(start, pos_ - start)), at(start)});
            } else if (c == '.') {
                // A number like .5, a field .Name, or dot itself.
                if (pos_ + 1 < src_.size() && src_[pos_ + 1] >= '0' && src_[pos_ + 1] <= '9') {
                    lexNumber();
                } else if (pos_ + 1 < src_.size() && isAlnum(src_[pos_ + 1])) {
                    ++pos_;
                    while (pos_ < src_.size() && isAlnum(src_[pos_])) ++pos_;
                    tokens_.push_back({Tok::Field, std::string(src_.substr(start + 1, pos_ - start - 1)), at(start)});
                } else {
                    tokens_.push_back({Tok::Dot, ".", at(pos_++)});
                }
            } else if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
                lexNumber();
            } else if (isAlnum(c)) {
                while (pos_ < src_.size() && isAlnum(src_[pos_])) ++pos_;
                std::string word(src_.substr(start, pos_ - start));
                Tok t = Tok::Identifier;
                if (word == "true" || word == "false") t = Tok::Bool;
                else if (word == "nil") t = Tok::Nil;
                else if (word == "if" || word == "else" || word == "end" || word == "range" || word == "with" ||
                         word == "define" || word == "template" || word == "block" || word == "break" ||
                         word == "continue")
                    t = Tok::Keyword;
                tokens_.push_back({t, std::move(word), at(start)});
            } else {
                fail(pos_, std::string("unexpected \"") + c + "\" in command");
            }
        }
    }

    void lexNumber() {
        std::size_t start = pos_;
        if (src_[pos_] == '+' || src_[pos_] == '-') ++pos_;
        std::string_view digits = "0123456789_";
        if (src_.substr(pos_, 2) == "0x" || src_.substr(pos_, 2) == "0X") {
            pos_ += 2;
            digits = "0123456789abcdefABCDEF_";
        } else if (src_.substr(pos_, 2) == "0b" || src_.substr(pos_, 2) == "0B") {
            pos_ += 2;
            digits = "01_";
        } else if (src_.substr(pos_, 2) == "0o" || src_.substr(pos_, 2) == "0O") {
            pos_ += 2;
            digits = "01234567_";
        }
        auto eat = [&](std::string_view set) {
            while (pos_ < src_.size() && set.find(src_[pos_]) != std::string_view::npos) ++pos_;
        };
        eat(digits);
        if (pos_ < src_.size() && src_[pos_] == '.') {
            ++pos_;
            eat(digits);
        }
        bool hex = digits.size() > 12;
        if (pos_ < src_.size() && ((!hex && (src_[pos_] == 'e' || src_[pos_] == 'E')) ||
                                   (hex && (src_[pos_] == 'p' || src_[pos_] == 'P')))) {
            ++pos_;
            if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) ++pos_;
            eat("0123456789_");
        }
        if (pos_ < src_.size() && isAlnum(src_[pos_])) {
            while (pos_ < src_.size() && isAlnum(src_[pos_])) ++pos_;
            fail(start, "bad number syntax: \"" + std::string(src_.substr(start, pos_ - start)) + "\"");
        }
        if (pos_ == start + 1 && (src_[start] == '+' || src_[start] == '-')) {
            fail(start, "bad number syntax: \"" + std::string(1, src_[start]) + "\"");
        }
        tokens_.push_back({Tok::Number, std::string(src_.substr(start, pos_ - start)), at(start)});
    }

    // Decodes one escape after a backslash at pos_ (pointing at the char after '\').
    void decodeEscape(std::string& out, char quote) {
        char e = src_[pos_++];
        auto hexValue = [&](int n) -> std::uint32_t {
            std::uint32_t v = 0;
            for (int k = 0; k < n; ++k) {
                if (pos_ >= src_.size()) fail(pos_, "bad escape in string");
                char h = src_[pos_++];
                v <<= 4;
                if (h >= '0' && h <= '9') v |= h - '0';
                else if (h >= 'a' && h <= 'f') v |= h - 'a' + 10;
                else if (h >= 'A' && h <= 'F') v |= h - 'A' + 10;
                else fail(pos_ - 1, "bad escape in string");
            }
            return v;
        };
        switch (e) {
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case '\\': out += '\\'; break;
        case 'x': out += static_cast<char>(hexValue(2)); break;
        case 'u': appendUtf8(out, hexValue(4)); break;
        case 'U': appendUtf8(out, hexValue(8)); break;
        default:
            if (e == quote) {
                out += e;
            } else if (e >= '0' && e <= '7') {
                int v = e - '0';
                for (int k = 0; k < 2; ++k) {
                    if (pos_ >= src_.size() || src_[pos_] < '0' || src_[pos_] > '7') fail(pos_, "bad octal escape");
                    v = v * 8 + (src_[pos_++] - '0');
                }
                out += static_cast<char>(v);
            } else {
                fail(pos_ - 2, std::string("unknown escape sequence \\") + e);
            }
        }
    }

    void lexQuote() {
        std::size_t start = pos_++;
        std::string value;
        for (;;) {
            if (pos_ >= src_.size() || src_[pos_] == '\n') fail(start, "unterminated quoted string");
            char c = src_[pos_++];
            if (c == '"') break;
            if (c == '\\') {
                if (pos_ >= src_.size()) fail(start, "unterminated quoted string");
                decodeEscape(value, '"');
            } else {
                value += c;
            }
        }
        tokens_.push_back({Tok::String, std::move(value), at(start)});
    }

    void lexChar() {
        std::size_t start = pos_++;
        std::string value;
        if (pos_ < src_.size() && src_[pos_] == '\\') {
            ++pos_;
            if (pos_ >= src_.size()) fail(start, "unterminated character constant");
            decodeEscape(value, '\'');
        } else {
            // One UTF-8 encoded code point.
            while (pos_ < src_.size() && src_[pos_] != '\'' && src_[pos_] != '\n') value += src_[pos_++];
        }
        if (pos_ >= src_.size() || src_[pos_] != '\'' || value.empty()) fail(start, "unterminated character constant");
        ++pos_;
        // Decode the UTF-8 sequence into its code point.
        auto b = static_cast<unsigned char>(value[0]);
        std::uint32_t cp = b;
        int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
        if (extra) cp = b & (0x3F >> extra);
        for (int k = 1; k <= extra && k < static_cast<int>(value.size()); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(value[k]) & 0x3F);
        }
        tokens_.push_back({Tok::Char, std::to_string(cp), at(start)});
    }

    std::string_view name_;
    std::string_view src_;
    std::size_t pos_ = 0;
    bool trimNext_ = false;
    std::vector<Token> tokens_;
    std::size_t posOffset_ = 0;
    Pos cur_{1, 1};
};

}  // namespace

std::vector<Token> lex(std::string_view name, std::string_view source) { return Lexer(name, source).run(); }

}  // namespace tidings::kernel::tmpl
