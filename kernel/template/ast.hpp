// The parsed form of a template (internal to kernel/template).
//
// Expressions (pipelines) are immutable after parsing and shared between the copies of a
// template that the HTML escaper makes for different calling contexts; the node lists are
// plain values so such a copy is a cheap structural clone that only differs in its text and
// the escapers attached to its actions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernel/template/lexer.hpp"
#include "kernel/template/value.hpp"

namespace tidings::kernel::tmpl {

struct Pipeline;

/// Functions the renderer evaluates itself because their arguments are evaluated lazily.
enum class Special { None, And, Or };

/// One operand of a command.
struct Operand {
    enum class Kind {
        Dot,       ///< `.`
        Nil,       ///< `nil`
        Literal,   ///< string, number, bool, char constant: `literal` holds it
        Field,     ///< `.A.B` — `fields` applied to dot
        Variable,  ///< `$x.A.B` — `name` is "$x", then `fields`
        Function,  ///< `f` — a function (fields after it form a chain: `L.T`)
        Group,     ///< `( pipeline )`, optionally followed by `.A.B`
    };
    Kind kind = Kind::Dot;
    Value literal;
    std::string name;
    std::vector<std::string> fields;
    const Function* function = nullptr;  ///< Points into the compiled set's function table.
    Special special = Special::None;
    std::shared_ptr<const Pipeline> group;
    Pos pos;
};

/// `f a b`, `.Method a b` or a single operand.
struct Command {
    std::vector<Operand> args;
    Pos pos;
};

/// `cmd | cmd | ...`, optionally declaring (`:=`) or assigning (`=`) variables.
struct Pipeline {
    std::vector<std::string> variables;  ///< "$x" (and "$v" for `range $i, $v :=`).
    bool declare = false;
    std::vector<Command> commands;
    Pos pos;
};

/// One of the escaping steps html/template appends to an action's pipeline.
enum class Escaper {
    Html,           ///< element content and quoted attribute values (&<>"'+ and NUL)
    Rcdata,         ///< <textarea>, <title>: like Html, but safe HTML is only normalised
    Attr,           ///< quoted attribute value (safe HTML has its tags stripped)
    NoSpace,        ///< unquoted attribute value
    HtmlName,       ///< attribute name produced by an action
    UrlFilter,      ///< replaces URLs with unsafe schemes by #ZgotmplZ
    UrlNormalizer,  ///< percent-encodes what may not appear in a URL, keeps reserved chars
    UrlEscaper,     ///< percent-encodes all but unreserved chars (query values)
    Srcset,         ///< srcset attribute
    JsValue,        ///< a value in JS code: becomes a JS literal
    JsString,       ///< inside a JS string literal
    JsRegexp,       ///< inside a JS regexp literal
    JsTemplate,     ///< inside a JS template literal (`...`): also escapes $ { }
    CssValue,       ///< CSS value: refuses anything that could escape the value
    CssString,      ///< inside a CSS string or url()
    Comment,        ///< inside an HTML comment: prints nothing
};

struct Node;
using NodeList = std::vector<Node>;

struct Node {
    enum class Kind { Text, Action, If, Range, With, Template, Break, Continue };
    Kind kind = Kind::Text;
    std::string text;                         ///< Text; the called name for Template.
    std::shared_ptr<const Pipeline> pipeline; ///< Action output, condition, range/with/template data.
    NodeList body;                            ///< If/Range/With body.
    NodeList otherwise;                       ///< else branch (may hold one If/With for `else if`).
    std::vector<Escaper> escapers;            ///< Action: applied in order to the printed value.
    /// Action: the pipeline's trailing `html`/`urlquery` call is skipped because the escaper
    /// chain already does its job (html/template's handling of predefined escapers).
    bool skipLastCommand = false;
    const NodeList* target = nullptr;         ///< Template: resolved callee after linking.
    Pos pos;
};

}  // namespace tidings::kernel::tmpl
