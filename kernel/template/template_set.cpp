#include "kernel/template/template_set.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include "kernel/template/template_parser.hpp"

namespace tidings::kernel {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace tmpl {
namespace {

bool truthy(const Var& v) {
    if (v.isEmpty()) return false;
    if (v.type() == typeid(bool)) return v.extract<bool>();
    if (v.isString()) return !v.extract<std::string>().empty();
    if (v.isNumeric()) return v.convert<double>() != 0;
    if (v.type() == typeid(Array::Ptr)) return v.extract<Array::Ptr>()->size() > 0;
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>()->size() > 0;
    return true;
}

std::string toText(const Var& v) {
    if (v.isEmpty()) return "";
    if (v.isString()) return v.extract<std::string>();
    if (v.type() == typeid(bool)) return v.extract<bool>() ? "true" : "false";
    if (v.isNumeric()) {
        double d = v.convert<double>();
        if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
        return v.convert<std::string>();
    }
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(v, out);
    return out.str();
}

void escapeHtml(std::string& out, const std::string& text) {
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        default: out.push_back(c);
        }
    }
}

int compare(const Var& a, const Var& b) {
    if (a.isNumeric() && b.isNumeric() && a.type() != typeid(bool) && b.type() != typeid(bool)) {
        double x = a.convert<double>(), y = b.convert<double>();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    std::string x = toText(a), y = toText(b);
    return x < y ? -1 : x > y ? 1 : 0;
}

struct LoopControl {
    enum class Kind { Break, Continue } kind;
};

struct Scope {
    std::vector<std::pair<std::string, Var>> variables;
    Var lookup(const std::string& name) const {
        for (auto it = variables.rbegin(); it != variables.rend(); ++it) {
            if (it->first == name) return it->second;
        }
        throw TemplateError("undefined variable " + name);
    }
    void assign(const std::string& name, const Var& value, bool declare) {
        if (!declare) {
            for (auto it = variables.rbegin(); it != variables.rend(); ++it) {
                if (it->first == name) {
                    it->second = value;
                    return;
                }
            }
            throw TemplateError("undefined variable " + name);
        }
        variables.emplace_back(name, value);
    }
};

class Renderer {
public:
    Renderer(const std::map<std::string, TemplateSet::Entry>& templates, Escaping escaping,
             std::string& out)
        : templates_(templates), escaping_(escaping), out_(out) {}

    void render(const Node& node, const Var& dot, Scope& scope, int depth = 0) {
        if (depth > 100) throw TemplateError("templates nest too deeply");
        switch (node.kind) {
        case Node::Kind::List:
            for (const auto& child : node.children) render(*child, dot, scope, depth);
            break;
        case Node::Kind::Text:
            out_ += node.text;
            break;
        case Node::Kind::Action: {
            Var value = evaluate(*node.pipeline, dot, scope);
            if (node.pipeline->variable.empty()) {
                if (escaping_ == Escaping::Html) {
                    escapeHtml(out_, toText(value));
                } else {
                    out_ += toText(value);
                }
            }
            break;
        }
        case Node::Kind::If:
        case Node::Kind::With: {
            auto mark = scope.variables.size();
            Var value = evaluate(*node.pipeline, dot, scope);
            if (truthy(value)) {
                renderChildren(node, node.kind == Node::Kind::With ? value : dot, scope, depth);
            } else if (node.otherwise) {
                render(*node.otherwise, dot, scope, depth);
            }
            scope.variables.resize(mark);
            break;
        }
        case Node::Kind::Range:
            range(node, dot, scope, depth);
            break;
        case Node::Kind::Template: {
            auto it = templates_.find(node.text);
            if (it == templates_.end()) throw TemplateError("no such template \"" + node.text + "\"");
            Var data = node.pipeline ? evaluate(*node.pipeline, dot, scope) : Var();
            Scope inner;
            inner.variables.emplace_back("$", data);
            render(*it->second.first, data, inner, depth + 1);
            break;
        }
        case Node::Kind::Break: throw LoopControl{LoopControl::Kind::Break};
        case Node::Kind::Continue: throw LoopControl{LoopControl::Kind::Continue};
        }
    }

private:
    void renderChildren(const Node& node, const Var& dot, Scope& scope, int depth) {
        for (const auto& child : node.children) render(*child, dot, scope, depth);
    }

    void range(const Node& node, const Var& dot, Scope& scope, int depth) {
        auto mark = scope.variables.size();
        const Pipeline& p = *node.pipeline;
        Pipeline source = p;
        source.variable.clear();
        Var collection = evaluate(source, dot, scope);
        std::vector<std::pair<Var, Var>> items;  // key/index, value
        if (collection.type() == typeid(Array::Ptr)) {
            auto arr = collection.extract<Array::Ptr>();
            for (std::size_t i = 0; i < arr->size(); ++i) items.emplace_back(Var(static_cast<int>(i)), arr->get(static_cast<unsigned>(i)));
        } else if (collection.type() == typeid(Object::Ptr)) {
            auto obj = collection.extract<Object::Ptr>();
            std::vector<std::string> names;
            obj->getNames(names);
            std::sort(names.begin(), names.end());
            for (const auto& n : names) items.emplace_back(Var(n), obj->get(n));
        } else if (!collection.isEmpty()) {
            throw TemplateError("range can't iterate over " + toText(collection));
        }
        if (items.empty()) {
            if (node.otherwise) render(*node.otherwise, dot, scope, depth);
            return;
        }
        for (const auto& [key, value] : items) {
            scope.variables.resize(mark);
            // `range $v := x` binds the element; `range $i, $v := x` is not split by the parser,
            // so a single variable always receives the element, as in Go.
            if (!p.variable.empty()) scope.variables.emplace_back(p.variable, value);
            try {
                renderChildren(node, value, scope, depth);
            } catch (const LoopControl& control) {
                if (control.kind == LoopControl::Kind::Break) break;
            }
        }
        scope.variables.resize(mark);
    }

    static Var field(const Var& base, const std::vector<std::string>& fields) {
        Var current = base;
        for (const auto& f : fields) {
            if (current.type() != typeid(Object::Ptr)) return Var();  // missing keys print nothing
            auto obj = current.extract<Object::Ptr>();
            if (!obj->has(f)) return Var();
            current = obj->get(f);
        }
        return current;
    }

    Var operand(const Arg& a, const Var& dot, Scope& scope) {
        switch (a.kind) {
        case Arg::Kind::Dot: return dot;
        case Arg::Kind::Field: return field(dot, a.fields);
        case Arg::Kind::Variable: return field(scope.lookup(a.name), a.fields);
        case Arg::Kind::String: return Var(a.text);
        case Arg::Kind::Number: return Var(a.number);
        case Arg::Kind::Bool: return Var(a.boolean);
        case Arg::Kind::Nil: return Var();
        case Arg::Kind::Group: return evaluate(*a.group, dot, scope);
        case Arg::Kind::Identifier: return call(a.name, {});
        }
        return Var();
    }

    static Var call(const std::string& fn, const std::vector<Var>& args) {
        auto need = [&](std::size_t n) {
            if (args.size() < n) throw TemplateError(fn + ": needs " + std::to_string(n) + " arguments");
        };
        if (fn == "not") {
            need(1);
            return Var(!truthy(args[0]));
        }
        if (fn == "and") {
            need(1);
            for (const auto& a : args) {
                if (!truthy(a)) return a;
            }
            return args.back();
        }
        if (fn == "or") {
            need(1);
            for (const auto& a : args) {
                if (truthy(a)) return a;
            }
            return args.back();
        }
        if (fn == "len") {
            need(1);
            const Var& v = args[0];
            if (v.type() == typeid(Array::Ptr)) return Var(static_cast<int>(v.extract<Array::Ptr>()->size()));
            if (v.type() == typeid(Object::Ptr)) return Var(static_cast<int>(v.extract<Object::Ptr>()->size()));
            return Var(static_cast<int>(toText(v).size()));
        }
        need(2);
        if (fn == "eq") {
            for (std::size_t i = 1; i < args.size(); ++i) {
                if (compare(args[0], args[i]) == 0) return Var(true);
            }
            return Var(false);
        }
        int c = compare(args[0], args[1]);
        if (fn == "ne") return Var(c != 0);
        if (fn == "lt") return Var(c < 0);
        if (fn == "le") return Var(c <= 0);
        if (fn == "gt") return Var(c > 0);
        if (fn == "ge") return Var(c >= 0);
        throw TemplateError("function \"" + fn + "\" not defined");
    }

    Var evaluate(const Pipeline& p, const Var& dot, Scope& scope) {
        Var result;
        bool have_previous = false;
        for (const auto& cmd : p.commands) {
            const Arg& head = cmd.args.front();
            if (head.kind == Arg::Kind::Identifier) {
                std::vector<Var> args;
                for (std::size_t i = 1; i < cmd.args.size(); ++i) args.push_back(operand(cmd.args[i], dot, scope));
                if (have_previous) args.push_back(result);  // `x | f a` calls f(a, x), as in Go
                result = call(head.name, args);
            } else {
                if (cmd.args.size() > 1) throw TemplateError("can't give arguments to a non-function value");
                result = operand(head, dot, scope);
            }
            have_previous = true;
        }
        if (!p.variable.empty()) scope.assign(p.variable, result, p.declare);
        return result;
    }

    const std::map<std::string, TemplateSet::Entry>& templates_;
    Escaping escaping_;
    std::string& out_;
};

}  // namespace
}  // namespace tmpl

TemplateSet::TemplateSet() = default;
TemplateSet::~TemplateSet() = default;
TemplateSet::TemplateSet(TemplateSet&&) noexcept = default;
TemplateSet& TemplateSet::operator=(TemplateSet&&) noexcept = default;

void TemplateSet::add(const std::string& name, const std::string& text, Escaping escaping) {
    auto parsed = tmpl::parse(name, text);
    templates_[name] = Entry{parsed.root, escaping};
    for (auto& [define, node] : parsed.defines) templates_[define] = Entry{node, escaping};
}

std::string TemplateSet::render(const std::string& name, const Var& data) const {
    auto it = templates_.find(name);
    if (it == templates_.end()) throw TemplateError("no such template \"" + name + "\"");
    std::string out;
    out.reserve(4096);
    tmpl::Scope scope;
    scope.variables.emplace_back("$", data);
    try {
        tmpl::Renderer(templates_, it->second.second, out).render(*it->second.first, data, scope);
    } catch (const TemplateError& e) {
        throw TemplateError(name + ": " + e.what());
    }
    return out;
}

}  // namespace tidings::kernel
