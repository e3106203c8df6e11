// The parsed form of a template (internal to kernel/template).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace tidings::kernel::tmpl {

struct Pipeline;

/// One operand: `.`, `.A.B`, `$x.A`, a literal, a function name, or a parenthesised pipeline.
struct Arg {
    enum class Kind { Dot, Field, Variable, String, Number, Bool, Nil, Identifier, Group };
    Kind kind = Kind::Dot;
    std::string name;                 ///< Variable name ("$" or "$x") or identifier.
    std::vector<std::string> fields;  ///< Field chain after the dot or variable.
    std::string text;                 ///< String literal value.
    double number = 0;
    bool boolean = false;
    std::shared_ptr<Pipeline> group;
};

/// `f a b` or a single operand.
struct Command {
    std::vector<Arg> args;
};

/// `cmd | cmd | ...`, optionally declaring or assigning a variable.
struct Pipeline {
    std::string variable;  ///< "$x" in `$x := ...`; empty for none.
    bool declare = false;  ///< `:=` rather than `=`.
    std::vector<Command> commands;
    int line = 0;
    int column = 0;
};

struct Node {
    enum class Kind { List, Text, Action, If, Range, With, Template, Break, Continue };
    Kind kind = Kind::List;
    std::string text;                     ///< Text, or the template name for Template.
    std::shared_ptr<Pipeline> pipeline;   ///< Action / condition / range / with / template data.
    std::vector<std::shared_ptr<Node>> children;  ///< List items, or the body for If/Range/With.
    std::shared_ptr<Node> otherwise;      ///< Else branch (a List), or null.
};

}  // namespace tidings::kernel::tmpl
