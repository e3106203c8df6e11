// The escaping functions: Go's text/template html/js/urlquery and the per-context escapers
// html/template inserts into actions (internal to kernel/template). All append to `out`.
#pragma once

#include <string>
#include <string_view>

#include "kernel/template/ast.hpp"
#include "kernel/template/value.hpp"

namespace tidings::kernel::tmpl {

/// text/template's `html` (template.HTMLEscapeString): & < > " ' and NUL.
void appendHtmlEscapedGo(std::string& out, std::string_view s);
/// text/template's `js` (template.JSEscapeString).
void appendJsEscapedGo(std::string& out, std::string_view s);
/// url.QueryEscape (space becomes '+').
void appendQueryEscaped(std::string& out, std::string_view s);

/// html/template's escaper `e` applied to `s`. `safeHtml` says the text is trusted HTML (the
/// first escaper of a chain sees the value's type; later ones see plain text).
void applyEscaper(Escaper e, std::string_view s, bool safeHtml, std::string& out);
/// html/template's JS value escaper, which needs the value's type: strings become quoted JS
/// strings, numbers and booleans bare (space-padded), null `null`, lists and maps JSON.
void appendJsValue(std::string& out, const Value& v);
/// A value as JSON (Sprig's toJson and the JS value escaper), HTML-safe like Go's encoder.
void appendJson(std::string& out, const Value& v);

/// The replacement html/template prints where a value is refused.
inline constexpr std::string_view kFilterFailsafe = "ZgotmplZ";

}  // namespace tidings::kernel::tmpl
