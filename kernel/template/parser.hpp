// Builds the AST of one template source (internal to kernel/template).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernel/template/ast.hpp"
#include "kernel/template/functions.hpp"

namespace tidings::kernel::tmpl {

struct ParsedSource {
    NodeList root;
    /// `{{define}}` and `{{block}}` templates found in the source, in source order.
    std::vector<std::pair<std::string, NodeList>> defines;
};

/// Parses `source` as template `name`. Function names are resolved against `functions` (which
/// must outlive the result: operands point into it); an unknown name is an error, as in Go.
/// Throws TemplateError with the template name, line and column.
ParsedSource parse(std::string_view name, std::string_view source, const FunctionTable& functions);

}  // namespace tidings::kernel::tmpl
