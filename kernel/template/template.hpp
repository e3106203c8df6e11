// Tidings' template engine: Go text/template syntax with html/template's contextual escaping,
// so that templates written for listmonk render unchanged.
//
//   auto funcs = tmpl::FunctionTable::builtins();          // Go builtins + Sprig subset
//   funcs.add("Safe", [](auto a) { return tmpl::Value::safeHtml(tmpl::toText(a[0])); });
//   tmpl::TemplateBuilder b(tmpl::Mode::Html, funcs);
//   b.add("base", templateBody);                           // parse errors throw here
//   b.add("content", campaignBody);                        // {{ template "content" . }} target
//   tmpl::Template t = b.build("base");                    // escaping decided here, once
//   std::string html = t.render(dot);                      // any thread, any number of times
//
// A Template is an immutable, reference-counted handle: copying it is cheap and rendering it
// concurrently from many threads is safe (all per-render state lives on the caller's stack).
// The source is parsed once; rendering walks the compiled tree without re-parsing, regex or
// allocation of tree nodes.
//
// Deviations from Go (text/template + html/template), deliberate or for simplicity:
//  - Data is a Value (null, bool, int64, double, string, safe HTML, list, map, function), not
//    Go reflection. A map read with a missing key yields no value (like Go maps); a map built
//    with Value::record() stands for a struct and a missing field is a render error.
//  - eq/ne/lt/le/gt/ge compare int and float numerically (Go refuses int vs float64 with
//    "incompatible types for comparison"; listmonk data from JSON is float64, literals int).
//  - Functions are untyped: they get Values and check what they need themselves; Go's
//    type-driven argument conversion and its errors differ in wording.
//  - Complex numbers, `{{ break }}`/`{{ continue }}` outside range (rejected as in Go), custom
//    delimiters, Option("missingkey=...") and method values on Go types are not supported.
//  - HTML escaping follows html/template's contexts and escapers (see html_context.hpp), with
//    these simplifications: HTML entities in attribute values are not decoded before the JS/CSS
//    /URL analysis; the JS regexp-vs-division guess looks at the previous token only; an
//    ambiguous slash is treated as a regexp instead of an error; JS template literals escape
//    `$ { }` rather than tracking `${...}` nesting; <script type="text/template"> and other
//    non-JS script types are still treated as JS; srcset is filtered per candidate URL.
//  - Branches that end in different contexts, and templates that end inside a tag or attribute,
//    are errors at build() for the main template (as Go reports them at first Execute); for
//    other templates in the set the error is reported when they are rendered directly.
//  - Dates: Sprig's now/date work on RFC 3339 strings and Unix seconds in UTC (there is no time
//    type); `now` prints as RFC 3339, not Go's time.Time String() form.
//  - The trailing predefined escaper of a pipeline (`| html`, `| urlquery`) is dropped when the
//    contextual escaper already covers it, instead of Go's finer-grained equivalence table.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/template/functions.hpp"
#include "kernel/template/template_error.hpp"
#include "kernel/template/value.hpp"

namespace tidings::kernel::tmpl {

/// Html: html/template semantics (contextual escaping, HTML comments dropped, missing values
/// print as ""). Text: text/template semantics (no escaping, missing values print "<no value>").
enum class Mode { Html, Text };

struct Compiled;

class Template {
public:
    Template() = default;

    /// Compiles one source (with its `define`s). Throws TemplateError.
    static Template compile(std::string_view name, std::string_view source, Mode mode = Mode::Html,
                            const FunctionTable& functions = FunctionTable::builtins());

    /// Renders the main template with `dot`, appending to `out`. Throws TemplateError on
    /// execution errors (output appended before the error stays in `out`).
    void renderTo(std::string& out, const Value& dot) const;
    /// Renders the named template of the set (a `define`, or another added source).
    void renderTo(std::string& out, std::string_view name, const Value& dot) const;
    std::string render(const Value& dot) const;
    std::string render(std::string_view name, const Value& dot) const;

    bool has(std::string_view name) const;
    const std::string& name() const;
    Mode mode() const;
    explicit operator bool() const { return compiled_ != nullptr; }

private:
    friend class TemplateBuilder;
    explicit Template(std::shared_ptr<const Compiled> c) : compiled_(std::move(c)) {}
    std::shared_ptr<const Compiled> compiled_;
};

/// Collects sources into one set (like Go's template.New(...).Parse(a); t.New("b").Parse(b)),
/// then build()s a Template.
class TemplateBuilder {
public:
    explicit TemplateBuilder(Mode mode = Mode::Html, const FunctionTable& functions = FunctionTable::builtins());
    ~TemplateBuilder();
    TemplateBuilder(TemplateBuilder&&) noexcept;
    TemplateBuilder& operator=(TemplateBuilder&&) noexcept;

    /// Parses `source` as template `name`; its defines join the set (a later definition of a
    /// name replaces an earlier one). An empty-bodied source does not replace an existing one,
    /// as in Go. Throws TemplateError on a syntax error or an unknown function.
    TemplateBuilder& add(const std::string& name, std::string_view source);
    bool has(std::string_view name) const;

    /// Escapes (Html mode) and links the set; `main` is what Template::render renders. Throws
    /// TemplateError when `main` is missing or cannot be escaped. The builder stays usable.
    Template build(const std::string& main) const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// listmonk's pre-parse rewrites for campaign bodies, templates, subjects and alt bodies:
/// `{{ TrackLink "url" }}` -> `{{ TrackLink "url" . }}`, `https://...@TrackLink` ->
/// `{{ TrackLink "https://..." . }}`, and `{{ TrackView }}`, `{{ UnsubscribeURL }}`,
/// `{{ ManageURL }}`, `{{ OptinURL }}`, `{{ MessageURL }}` -> the same with ` .`.
/// Transactional templates do not get these rewrites in listmonk.
std::string rewriteListmonkShorthands(std::string_view source);

}  // namespace tidings::kernel::tmpl
