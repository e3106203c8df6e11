// Turning a template engine error into a validation error that names the field, with the line
// and column the engine reported, so the admin UI can point at the mistake.
#pragma once

#include <string>

#include "kernel/core/status_error.hpp"
#include "kernel/template/template_error.hpp"

namespace tidings::kernel {

/// "line 3, column 7: unexpected ..." (or the bare message when the engine has no position).
inline std::string describeTemplateError(const TemplateError& e) {
    if (e.line() <= 0) return e.message();
    return "line " + std::to_string(e.line()) + ", column " + std::to_string(e.column()) + ": " + e.message();
}

[[noreturn]] inline void invalidTemplate(const std::string& field, const TemplateError& e) {
    invalid(field + ": " + describeTemplateError(e));
}

}  // namespace tidings::kernel
