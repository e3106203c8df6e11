// Splits template source into tokens, following Go's text/template lexer: text between actions,
// `{{`/`}}` with the `{{- `/` -}}` trim markers applied to the neighbouring text, comments
// dropped, and inside actions the operands, keywords and punctuation. Internal to
// kernel/template.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tidings::kernel::tmpl {

struct Pos {
    int line = 0;
    int column = 0;
};

enum class Tok {
    Text,        ///< Literal text (already trimmed).
    Left,        ///< `{{`
    Right,       ///< `}}`
    Space,       ///< Run of spaces inside an action (separates operands).
    Field,       ///< `.Name` (text holds "Name").
    Variable,    ///< `$` or `$name` (text holds it with the `$`).
    Identifier,  ///< A function name.
    Keyword,     ///< if else end range with define template block break continue
    Bool,        ///< true / false
    Nil,
    Dot,         ///< A lone `.`
    String,      ///< Quoted or raw string (text holds the decoded value).
    Char,        ///< Character constant (text holds the decimal code point).
    Number,      ///< Number as written.
    Pipe,
    LeftParen,
    RightParen,
    Declare,     ///< `:=`
    Assign,      ///< `=`
    Comma,
    Eof,
};

struct Token {
    Tok type = Tok::Eof;
    std::string text;
    Pos pos;
};

/// Tokenises `source`. Throws TemplateError naming `name`, line and column on a lexical error
/// (unterminated string, unclosed action or comment, bad character).
std::vector<Token> lex(std::string_view name, std::string_view source);

/// Line and column (1-based, columns in bytes) of `offset` in `source`.
Pos positionOf(std::string_view source, std::size_t offset);

}  // namespace tidings::kernel::tmpl
