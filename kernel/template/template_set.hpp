// A set of templates in Go's template syntax, compiled once and rendered many times.
//
// This is the subset the subscriber-facing pages and system e-mails use: text, actions with
// `{{-`/`-}}` trimming, comments, field chains (.A.B, $, $.A), string/number/boolean literals,
// parenthesised calls, pipelines with `|`, if / else if / else, range (arrays and objects,
// with else), with, define / template, and the functions eq, ne, lt, le, gt, ge, not, and, or,
// len. Data is a JSON-shaped Poco::Dynamic::Var (objects, arrays, scalars).
//
// Escaping differs from Go's html/template: in HTML templates every value an action prints is
// HTML-escaped (& < > " '), whatever the context; there is no contextual JS/CSS/URL escaping,
// so templates must not place data inside <script>, <style> or unquoted attributes. Plain-text
// templates print values as they are.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include <Poco/Dynamic/Var.h>

namespace tidings::kernel {

/// A template that does not parse, or a render-time error; the message names the template, and
/// for parse errors the line and column.
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Escaping { Html, None };

namespace tmpl {
struct Node;
}

class TemplateSet {
public:
    TemplateSet();
    ~TemplateSet();
    TemplateSet(TemplateSet&&) noexcept;
    TemplateSet& operator=(TemplateSet&&) noexcept;

    /// Parses `text` as template `name`; its `define`s become templates of the set too.
    /// Throws TemplateError "name:line:col: message".
    void add(const std::string& name, const std::string& text, Escaping escaping);

    /// Renders template `name` with `data` as dot. Thread-safe: the set is immutable once built.
    std::string render(const std::string& name, const Poco::Dynamic::Var& data) const;

    bool has(const std::string& name) const { return templates_.count(name) != 0; }

    /// A compiled template and how its output is escaped.
    using Entry = std::pair<std::shared_ptr<const tmpl::Node>, Escaping>;

private:
    std::map<std::string, Entry> templates_;
};

}  // namespace tidings::kernel
