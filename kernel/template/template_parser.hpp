// Parses template text into nodes (internal to kernel/template).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "kernel/template/template_ast.hpp"

namespace tidings::kernel::tmpl {

struct Parsed {
    std::shared_ptr<Node> root;
    std::map<std::string, std::shared_ptr<Node>> defines;  ///< From {{ define "name" }}.
};

/// Throws TemplateError "name:line:col: message".
Parsed parse(const std::string& name, const std::string& text);

}  // namespace tidings::kernel::tmpl
