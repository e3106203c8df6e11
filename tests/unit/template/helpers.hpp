// Shared helpers for the template tests.
#pragma once

#include <string>

#include "kernel/template/template.hpp"

namespace tpltest {

using tidings::kernel::tmpl::FunctionTable;
using tidings::kernel::tmpl::Mode;
using tidings::kernel::tmpl::Template;
using tidings::kernel::tmpl::Value;

inline std::string html(const std::string& src, const Value& dot = Value()) {
    return Template::compile("t", src, Mode::Html).render(dot);
}
inline std::string text(const std::string& src, const Value& dot = Value()) {
    return Template::compile("t", src, Mode::Text).render(dot);
}

}  // namespace tpltest
