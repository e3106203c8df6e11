// A named set of page and system-mail templates rendered from JSON-shaped data: the adapter
// the subscriber-facing pages use over the engine in template.hpp.
//
// Each template is added with its own escaping (Html: html/template semantics, None:
// text/template semantics); `define`s of any added template are visible to the others. Data is
// a Poco::Dynamic::Var holding JSON (objects, arrays, scalars), converted to a tmpl::Value per
// render. See template.hpp for the language and its deviations from Go.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "kernel/template/template.hpp"
#include "kernel/template/template_error.hpp"

namespace tidings::kernel {

enum class Escaping { Html, None };

class TemplateSet {
public:
    TemplateSet();
    ~TemplateSet();
    TemplateSet(TemplateSet&&) noexcept;
    TemplateSet& operator=(TemplateSet&&) noexcept;

    /// Parses `text` as template `name`; its `define`s become templates of the set too.
    /// Throws TemplateError "template: name:line:col: message".
    void add(const std::string& name, const std::string& text, Escaping escaping);

    /// Renders template `name` with `data` as dot. Thread-safe: the set is immutable once built.
    std::string render(const std::string& name, const Poco::Dynamic::Var& data) const;

    bool has(const std::string& name) const;

private:
    struct Source {
        std::string name, text;
        Escaping escaping;
    };
    void rebuild();

    std::vector<Source> sources_;
    std::map<std::string, tmpl::Template> compiled_;
};

/// Converts JSON-shaped Poco data to a template Value: objects become maps, arrays lists.
/// `numbersAsFloat` makes every number a float64, as Go's encoding/json decodes them (what
/// listmonk's templates see for subscriber attributes: 1234567 prints as 1.234567e+06).
tmpl::Value valueFromVar(const Poco::Dynamic::Var& v, bool numbersAsFloat = false);

}  // namespace tidings::kernel
