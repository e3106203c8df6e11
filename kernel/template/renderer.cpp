// Executes a compiled template (Go's text/template exec): walks the tree, evaluates pipelines
// against the dot and variables, and appends output, passing printed values through the escaper
// chain the escape pass attached. All per-render state lives here, on the caller's stack.
#include <array>

#include "kernel/template/compiled.hpp"
#include "kernel/template/escape_functions.hpp"
#include "kernel/template/format.hpp"

namespace tidings::kernel::tmpl {

namespace {

constexpr int kMaxDepth = 1000;  // Nested {{template}} calls; guards against runaway recursion.

enum class Flow { Normal, Break, Continue };

class Renderer {
public:
    Renderer(const Compiled& c, std::string& out) : c_(c), out_(out) { vars_.reserve(16); }

    void run(const NodeList& root, std::string_view name, const Value& dot) {
        name_ = name;
        vars_.emplace_back("$", dot);
        walk(root, dot);
    }

private:
    [[noreturn]] void fail(Pos p, const std::string& msg) const {
        std::string name(name_.substr(0, name_.find('$')));
        throw TemplateError(name, p.line, p.column, "executing \"" + name + "\": " + msg);
    }

    Flow walk(const NodeList& nodes, const Value& dot) {
        for (const auto& n : nodes) {
            Flow f = node(n, dot);
            if (f != Flow::Normal) return f;
        }
        return Flow::Normal;
    }

    Flow node(const Node& n, const Value& dot) {
        switch (n.kind) {
        case Node::Kind::Text: out_ += n.text; return Flow::Normal;
        case Node::Kind::Action: action(n, dot); return Flow::Normal;
        case Node::Kind::If:
        case Node::Kind::With: {
            std::size_t mark = vars_.size();
            Value v = pipeline(*n.pipeline, dot, true);
            Flow f = Flow::Normal;
            if (v.truthy()) f = walk(n.body, n.kind == Node::Kind::With ? v : dot);
            else f = walk(n.otherwise, dot);
            vars_.resize(mark);
            return f;
        }
        case Node::Kind::Range: return range(n, dot);
        case Node::Kind::Template: {
            if (!n.target) fail(n.pos, "no such template \"" + n.text + "\"");
            if (++depth_ > kMaxDepth) fail(n.pos, "exceeded maximum template depth (" + std::to_string(kMaxDepth) + ")");
            Value data = n.pipeline ? pipeline(*n.pipeline, dot, false) : Value();
            std::vector<std::pair<std::string_view, Value>> saved;
            saved.swap(vars_);
            vars_.emplace_back("$", data);
            std::string_view savedName = name_;
            name_ = n.text;
            walk(*n.target, data);
            name_ = savedName;
            vars_.swap(saved);
            --depth_;
            return Flow::Normal;
        }
        case Node::Kind::Break: return Flow::Break;
        case Node::Kind::Continue: return Flow::Continue;
        }
        return Flow::Normal;
    }

    Flow range(const Node& n, const Value& dot) {
        const Pipeline& p = *n.pipeline;
        Value collection = pipeline(p, dot, false);
        std::size_t mark = vars_.size();
        const std::size_t nvars = p.variables.size();
        if (nvars > 0) {
            // The variables exist for the whole loop; each iteration updates them.
            for (const auto& v : p.variables) vars_.emplace_back(v, Value());
        }
        auto iterate = [&](const Value& key, const Value& elem) {
            if (nvars == 1) {
                vars_[mark].second = elem;
            } else if (nvars == 2) {
                vars_[mark].second = key;
                vars_[mark + 1].second = elem;
            }
            std::size_t inner = vars_.size();
            Flow f = walk(n.body, elem);
            vars_.resize(inner);
            return f;
        };
        bool any = false;
        switch (collection.kind()) {
        case Value::Kind::List: {
            const auto& items = collection.items();
            for (std::size_t i = 0; i < items.size(); ++i) {
                any = true;
                if (iterate(Value(static_cast<std::int64_t>(i)), items[i]) == Flow::Break) break;
            }
            break;
        }
        case Value::Kind::Map:
            for (const auto& [k, v] : collection.entries()) {
                any = true;
                if (iterate(Value(k), v) == Flow::Break) break;
            }
            break;
        case Value::Kind::Int:
            for (std::int64_t i = 0; i < collection.asInt(); ++i) {
                any = true;
                Value iv(i);
                if (nvars == 2) fail(n.pos, "can't use two variables when ranging over an integer");
                if (iterate(iv, iv) == Flow::Break) break;
            }
            break;
        case Value::Kind::Null: break;
        default: fail(n.pos, "range can't iterate over " + toText(collection));
        }
        if (!any) {
            walk(n.otherwise, dot);
        }
        vars_.resize(mark);
        return Flow::Normal;
    }

    void action(const Node& n, const Value& dot) {
        const Pipeline& p = *n.pipeline;
        // Fast path: `{{ .A.B }}` / `{{ $x.A }}` printed straight from the data, no copies.
        if (p.variables.empty() && p.commands.size() == 1 && p.commands[0].args.size() == 1) {
            const Operand& op = p.commands[0].args[0];
            const Value* base = op.kind == Operand::Kind::Dot || op.kind == Operand::Kind::Field ? &dot
                                : op.kind == Operand::Kind::Variable ? &variable(op) : nullptr;
            if (base) {
                const Value* v = walkFields(*base, op);
                if (v) {
                    print(n, *v);
                    return;
                }
            }
        }
        Value v = pipeline(p, dot, true, n.skipLastCommand);
        if (p.variables.empty()) print(n, v);
    }

    // Follows `op.fields` from `base` through maps only; nullptr when a function or an error is
    // on the way (the slow path then handles it, with the right error).
    const Value* walkFields(const Value& base, const Operand& op) const {
        const Value* cur = &base;
        static const Value kNull;
        for (const auto& f : op.fields) {
            if (cur->isNull()) return &kNull;
            if (cur->kind() != Value::Kind::Map) return nullptr;
            const Value* next = cur->find(f);
            if (!next) return cur->isRecord() ? nullptr : &kNull;
            if (next->kind() == Value::Kind::Func) return nullptr;
            cur = next;
        }
        return cur;
    }

    void print(const Node& n, const Value& v) {
        if (c_.mode == Mode::Text) {
            if (v.isNull()) out_ += "<no value>";
            else appendValue(out_, v);
            return;
        }
        const auto& esc = n.escapers;
        if (esc.empty()) {
            if (!v.isNull()) appendValue(out_, v);
            return;
        }
        if (esc[0] == Escaper::Comment) return;
        std::string a, b;
        std::string_view text;
        bool safe = v.kind() == Value::Kind::SafeHtml;
        if (esc[0] == Escaper::JsValue) {
            appendJsValue(esc.size() == 1 ? out_ : a, v);
            if (esc.size() == 1) return;
            text = a;
            safe = false;
        } else if (v.isString()) {
            text = v.str();
        } else if (!v.isNull()) {  // html/template prints nil as nothing.
            appendValue(b, v);
            text = b;
        }
        std::size_t first = esc[0] == Escaper::JsValue ? 1 : 0;
        std::string step;
        for (std::size_t i = first; i < esc.size(); ++i) {
            if (i + 1 == esc.size()) {
                applyEscaper(esc[i], text, safe, out_);
                return;
            }
            std::string next;
            applyEscaper(esc[i], text, safe, next);
            step = std::move(next);
            text = step;
            safe = false;
        }
    }

    const Value& variable(const Operand& op) const {
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
            if (it->first == op.name) return it->second;
        }
        fail(op.pos, "undefined variable: " + op.name);
    }

    Value pipeline(const Pipeline& p, const Value& dot, bool assign, bool skipLast = false) {
        Value v;
        bool has = false;
        std::size_t count = p.commands.size() - (skipLast ? 1 : 0);
        for (std::size_t i = 0; i < count; ++i) {
            v = command(p.commands[i], dot, has ? &v : nullptr);
            has = true;
        }
        if (assign && !p.variables.empty()) {
            const std::string& name = p.variables[0];
            if (p.declare) {
                vars_.emplace_back(name, v);
            } else {
                for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
                    if (it->first == name) {
                        it->second = v;
                        break;
                    }
                }
            }
        }
        return v;
    }

    Value command(const Command& cmd, const Value& dot, const Value* final) {
        const Operand& first = cmd.args[0];
        std::span<const Operand> rest(cmd.args.data() + 1, cmd.args.size() - 1);
        switch (first.kind) {
        case Operand::Kind::Function:
            if (first.fields.empty()) {
                if (first.special != Special::None) return logical(first, rest, dot, final);
                return callFunction(first, *first.function, rest, dot, final);
            }
            return chain(callFunction(first, *first.function, {}, dot, nullptr), first, rest, dot, final);
        case Operand::Kind::Field: return chain(dot, first, rest, dot, final);
        case Operand::Kind::Variable: return chain(variable(first), first, rest, dot, final);
        case Operand::Kind::Group:
            if (!first.fields.empty()) return chain(pipeline(*first.group, dot, false), first, rest, dot, final);
            [[fallthrough]];
        default:
            if (!rest.empty() || final) fail(first.pos, "can't give argument to non-function " + describe(first));
            return operand(first, dot);
        }
    }

    static std::string describe(const Operand& op) {
        switch (op.kind) {
        case Operand::Kind::Dot: return ".";
        case Operand::Kind::Nil: return "nil";
        case Operand::Kind::Literal: return toText(op.literal);
        default: return op.name;
        }
    }

    Value operand(const Operand& op, const Value& dot) {
        switch (op.kind) {
        case Operand::Kind::Dot: return dot;
        case Operand::Kind::Nil: return Value();
        case Operand::Kind::Literal: return op.literal;
        case Operand::Kind::Field: return chain(dot, op, {}, dot, nullptr);
        case Operand::Kind::Variable: return chain(variable(op), op, {}, dot, nullptr);
        case Operand::Kind::Function:
            if (op.fields.empty()) return callFunction(op, *op.function, {}, dot, nullptr);
            return chain(callFunction(op, *op.function, {}, dot, nullptr), op, {}, dot, nullptr);
        case Operand::Kind::Group: {
            Value v = pipeline(*op.group, dot, false);
            return op.fields.empty() ? v : chain(v, op, {}, dot, nullptr);
        }
        }
        return Value();
    }

    // Applies op.fields to `receiver`; the last field receives `args` (and the piped value).
    Value chain(Value receiver, const Operand& op, std::span<const Operand> args, const Value& dot, const Value* final) {
        for (std::size_t i = 0; i < op.fields.size(); ++i) {
            const std::string& f = op.fields[i];
            bool last = i + 1 == op.fields.size();
            if (receiver.kind() == Value::Kind::Func) receiver = invoke(op, receiver.func(), {}, "");
            Value next;
            if (receiver.kind() == Value::Kind::Map) {
                const Value* found = receiver.find(f);
                if (found) next = *found;
                else if (receiver.isRecord()) fail(op.pos, "can't evaluate field " + f + " in type struct");
            } else if (!receiver.isNull()) {
                fail(op.pos, "can't evaluate field " + f + " in type " + std::string(receiver.typeName()));
            }
            if (last && next.kind() == Value::Kind::Func) {
                return callValue(op, next.func(), args, dot, final, f);
            }
            receiver = std::move(next);
        }
        if (!args.empty() || final) {
            fail(op.pos, "can't give argument to non-function " + (op.fields.empty() ? op.name : "." + op.fields.back()));
        }
        return receiver;
    }

    Value callFunction(const Operand& op, const Function& fn, std::span<const Operand> args, const Value& dot,
                       const Value* final) {
        return callValue(op, fn, args, dot, final, op.name);
    }

    Value callValue(const Operand& op, const Function& fn, std::span<const Operand> args, const Value& dot,
                    const Value* final, std::string_view name) {
        std::size_t n = args.size() + (final ? 1 : 0);
        std::array<Value, 8> small;
        std::vector<Value> large;
        Value* argv = small.data();
        if (n > small.size()) {
            large.resize(n);
            argv = large.data();
        }
        for (std::size_t i = 0; i < args.size(); ++i) argv[i] = operand(args[i], dot);
        if (final) argv[args.size()] = *final;
        return invoke(op, fn, std::span<const Value>(argv, n), name);
    }

    Value invoke(const Operand& op, const Function& fn, std::span<const Value> argv, std::string_view name) {
        try {
            return fn(argv);
        } catch (const TemplateError& e) {
            if (e.line() > 0) throw;  // Already positioned (a nested render).
            fail(op.pos, "error calling " + std::string(name) + ": " + e.message());
        } catch (const std::exception& e) {
            fail(op.pos, "error calling " + std::string(name) + ": " + e.what());
        }
    }

    // and/or evaluate their arguments left to right and stop at the first that decides.
    Value logical(const Operand& op, std::span<const Operand> args, const Value& dot, const Value* final) {
        if (args.empty() && !final) fail(op.pos, "wrong number of args for " + op.name + ": want at least 1 got 0");
        bool isAnd = op.special == Special::And;
        Value v;
        for (const auto& a : args) {
            v = operand(a, dot);
            if (v.truthy() != isAnd) return v;
        }
        if (final) v = *final;
        return v;
    }

    const Compiled& c_;
    std::string& out_;
    std::vector<std::pair<std::string_view, Value>> vars_;
    std::string_view name_;
    int depth_ = 0;
};

}  // namespace

void execute(const Compiled& c, const NodeList& root, std::string_view name, const Value& dot, std::string& out) {
    Renderer(c, out).run(root, name, dot);
}

}  // namespace tidings::kernel::tmpl
