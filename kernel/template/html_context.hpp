// The HTML context tracker behind contextual escaping (internal to kernel/template).
//
// A small state machine in the spirit of Go's html/template: it reads the literal text of an
// HTML template and knows, at every action, whether the action sits in element content, a tag,
// an attribute value (quoted how, and is it a URL, a script or a style), inside <script> (in
// code, a string, a regexp, a comment), inside <style>, in RCDATA (<textarea>, <title>) or in an
// HTML comment. The escaper pass asks it which escapers an action needs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernel/template/ast.hpp"

namespace tidings::kernel::tmpl {

enum class State {
    Text, Tag, AttrName, AfterName, BeforeValue, Attr, Url, Srcset,
    Js, JsDqStr, JsSqStr, JsTmplLit, JsRegexp, JsBlockCmt, JsLineCmt,
    Css, CssDqStr, CssSqStr, CssDqUrl, CssSqUrl, CssUrl, CssBlockCmt, CssLineCmt,
    HtmlCmt, Rcdata,
};
enum class Delim { None, DoubleQuote, SingleQuote, SpaceOrTagEnd };
enum class UrlPart { None, PreQuery, QueryOrFrag, Unknown };
enum class JsCtx { Regexp, DivOp, Unknown };
enum class AttrKind { None, Script, Style, Url, Srcset };
enum class Element { None, Script, Style, Textarea, Title };

struct Context {
    State state = State::Text;
    Delim delim = Delim::None;
    UrlPart urlPart = UrlPart::None;
    JsCtx jsCtx = JsCtx::Regexp;
    AttrKind attr = AttrKind::None;
    Element element = Element::None;

    bool operator==(const Context&) const = default;
    /// A short stable description, used in error messages and to name context-specific copies
    /// of a called template.
    std::string describe() const;
};

/// Advances `c` over literal template text, appending to `out` the text to emit: the same text
/// with HTML comments (and JS/CSS comments inside <script>/<style>) removed, as html/template
/// does.
Context advance(Context c, std::string_view text, std::string& out);

/// The context an action actually sits in (an action right after `<a ` names an attribute; one
/// right after `href=` is an unquoted value).
Context nudge(Context c);

/// The escapers for an action in context `c`, and the context after it. Throws TemplateError
/// (message only) when the context is ambiguous.
std::vector<Escaper> escapersFor(Context& c);

/// Joins the end contexts of two branches; false when they cannot be reconciled.
bool join(const Context& a, const Context& b, Context& joined);

}  // namespace tidings::kernel::tmpl
