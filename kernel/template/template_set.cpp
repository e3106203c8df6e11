#include "kernel/template/template_set.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace tidings::kernel {

using tmpl::Value;

TemplateSet::TemplateSet() = default;
TemplateSet::~TemplateSet() = default;
TemplateSet::TemplateSet(TemplateSet&&) noexcept = default;
TemplateSet& TemplateSet::operator=(TemplateSet&&) noexcept = default;

void TemplateSet::add(const std::string& name, const std::string& text, Escaping escaping) {
    // Parse on its own first so a bad source is reported before it joins the set.
    tmpl::TemplateBuilder probe(escaping == Escaping::Html ? tmpl::Mode::Html : tmpl::Mode::Text);
    probe.add(name, text);
    sources_.push_back({name, text, escaping});
    rebuild();
}

// Sets are small (a directory of pages) and built once at start-up, so every template is simply
// rebuilt with all sources, which keeps defines from any file visible to every other.
void TemplateSet::rebuild() {
    tmpl::TemplateBuilder html(tmpl::Mode::Html), text(tmpl::Mode::Text);
    for (const auto& s : sources_) {
        html.add(s.name, s.text);
        text.add(s.name, s.text);
    }
    std::map<std::string, tmpl::Template> compiled;
    for (const auto& s : sources_) {
        compiled[s.name] = (s.escaping == Escaping::Html ? html : text).build(s.name);
    }
    compiled_ = std::move(compiled);
}

bool TemplateSet::has(const std::string& name) const { return compiled_.count(name) != 0; }

std::string TemplateSet::render(const std::string& name, const Poco::Dynamic::Var& data) const {
    auto it = compiled_.find(name);
    if (it == compiled_.end()) throw TemplateError(name, 0, 0, "no such template \"" + name + "\"");
    return it->second.render(valueFromVar(data));
}

Value valueFromVar(const Poco::Dynamic::Var& v, bool numbersAsFloat) {
    if (v.isEmpty()) return Value();
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
        auto obj = v.extract<Poco::JSON::Object::Ptr>();
        if (!obj) return Value();
        Value::Entries e;
        e.reserve(obj->size());
        for (const auto& [k, item] : *obj) e.emplace_back(k, valueFromVar(item, numbersAsFloat));
        return Value::map(std::move(e));
    }
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
        auto arr = v.extract<Poco::JSON::Array::Ptr>();
        if (!arr) return Value();
        Value::List l;
        l.reserve(arr->size());
        for (const auto& item : *arr) l.push_back(valueFromVar(item, numbersAsFloat));
        return Value::list(std::move(l));
    }
    if (v.type() == typeid(bool)) return Value(v.extract<bool>());
    if (v.isString()) return Value(v.convert<std::string>());
    if (v.isNumeric()) {
        if (v.isInteger() && !numbersAsFloat) return Value(static_cast<long long>(v.convert<Poco::Int64>()));
        return Value(v.convert<double>());
    }
    return Value(v.convert<std::string>());
}

}  // namespace tidings::kernel
