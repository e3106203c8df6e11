// What a built Template holds, and the passes that produce and walk it (internal).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "kernel/template/ast.hpp"
#include "kernel/template/template.hpp"

namespace tidings::kernel::tmpl {

struct Compiled {
    std::shared_ptr<const FunctionTable> functions;  ///< Operands point into this table.
    /// Escaped (Html) or as-parsed (Text) templates by name, including the context-specific
    /// copies html escaping makes ("name$Attr_...").
    std::map<std::string, NodeList, std::less<>> templates;
    /// Templates that could not be escaped as top-level templates, with the reason; rendering
    /// them directly throws it.
    std::map<std::string, std::string, std::less<>> deferredErrors;
    std::string main;
    Mode mode = Mode::Html;
    /// Bytes of literal text in the set: render() reserves about this much output up front.
    std::size_t sizeHint = 0;
};

/// Html mode: escapes every template of `raw` as if rendered directly, writing the escaped
/// trees (and the derived copies) to `out.templates`. Throws TemplateError for `main`;
/// records failures of other templates in `out.deferredErrors`.
void escapeTemplates(const std::map<std::string, NodeList, std::less<>>& raw, const std::string& main, Compiled& out);

/// Points every {{template}} node at its callee in `c.templates` (left null when absent; that
/// is a render-time error, as in Go).
void linkTemplates(Compiled& c);

/// Renders `root` (a template of `c` named `name`) with `dot`.
void execute(const Compiled& c, const NodeList& root, std::string_view name, const Value& dot, std::string& out);

}  // namespace tidings::kernel::tmpl
