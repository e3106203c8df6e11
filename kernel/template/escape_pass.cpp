// Decides, once at build time, how each action of an HTML template is escaped: walks the tree
// in output order carrying the HTML context (html_context.hpp) through the literal text,
// attaches the escaper chain to every printing action, and makes a copy of a called template
// for every distinct context it is called in — the plan Go's html/template follows.
#include <algorithm>

#include "kernel/template/compiled.hpp"
#include "kernel/template/html_context.hpp"

namespace tidings::kernel::tmpl {

namespace {

class EscapePass {
public:
    EscapePass(const std::map<std::string, NodeList, std::less<>>& raw, Compiled& out) : raw_(raw), out_(out) {}

    /// Escapes template `name` for a call in context `c`; returns the name of the escaped copy
    /// and sets `end` to the context after it.
    std::string call(const std::string& name, const Context& c, Context& end, Pos at, const std::string& caller) {
        std::string key = c == Context{} ? name : name + "$" + c.describe();
        if (auto it = ends_.find(key); it != ends_.end()) {
            end = it->second;
            return key;
        }
        auto src = raw_.find(name);
        if (src == raw_.end()) fail(caller, at, "no such template \"" + name + "\"");
        // Recursive calls assume the template ends where it started, then it is checked.
        ends_[key] = c;
        NodeList copy = src->second;
        try {
            end = list(copy, c, name);
        } catch (...) {
            ends_.erase(key);
            throw;
        }
        ends_[key] = end;
        out_.templates.insert_or_assign(key, std::move(copy));
        return key;
    }

private:
    [[noreturn]] static void fail(const std::string& tname, Pos p, const std::string& msg) {
        throw TemplateError(tname, p.line, p.column, msg);
    }

    Context list(NodeList& nodes, Context c, const std::string& tname) {
        for (auto& n : nodes) c = node(n, c, tname);
        return c;
    }

    Context branches(NodeList& body, NodeList& otherwise, const Context& c, const std::string& tname, Pos at,
                     const char* what) {
        Context a = list(body, c, tname);
        Context b = list(otherwise, c, tname);
        Context joined;
        if (!join(a, b, joined)) {
            fail(tname, at, std::string("{{") + what + "}} branches end in different contexts: " + a.describe() +
                                ", " + b.describe());
        }
        return joined;
    }

    Context node(Node& n, Context c, const std::string& tname) {
        switch (n.kind) {
        case Node::Kind::Text: {
            std::string out;
            out.reserve(n.text.size());
            c = advance(c, n.text, out);
            n.text = std::move(out);
            return c;
        }
        case Node::Kind::Action: {
            if (!n.pipeline->variables.empty()) return c;  // `{{ $x := ... }}` prints nothing.
            c = nudge(c);
            try {
                n.escapers = escapersFor(c);
            } catch (const TemplateError& e) {
                fail(tname, n.pos, e.message());
            }
            markPredefinedEscaper(n);
            return c;
        }
        case Node::Kind::If:
        case Node::Kind::With:
            return branches(n.body, n.otherwise, c, tname, n.pos, n.kind == Node::Kind::If ? "if" : "with");
        case Node::Kind::Range: {
            // The body may run zero or more times: its end context must match its start.
            Context after = list(n.body, c, tname);
            Context loop;
            if (!join(c, after, loop)) {
                fail(tname, n.pos, "on range loop re-entry: context differs: " + c.describe() + " vs " + after.describe());
            }
            Context elseEnd = list(n.otherwise, c, tname);
            Context joined;
            if (!join(loop, elseEnd, joined)) fail(tname, n.pos, "{{range}} branches end in different contexts");
            return joined;
        }
        case Node::Kind::Template: {
            Context end;
            n.text = call(n.text, c, end, n.pos, tname);
            return end;
        }
        case Node::Kind::Break:
        case Node::Kind::Continue: return c;
        }
        return c;
    }

    // `{{ .X | html }}`: html/template would otherwise escape twice.
    static void markPredefinedEscaper(Node& n) {
        const auto& cmds = n.pipeline->commands;
        const auto& last = cmds.back().args.front();
        if (last.kind != Operand::Kind::Function || !last.fields.empty()) return;
        auto has = [&](std::initializer_list<Escaper> set) {
            return std::any_of(n.escapers.begin(), n.escapers.end(),
                               [&](Escaper e) { return std::find(set.begin(), set.end(), e) != set.end(); });
        };
        // Only safe to drop when the piped value is the escaper's single argument.
        if (cmds.size() < 2 || cmds.back().args.size() != 1) return;
        if (last.name == "html" && has({Escaper::Html, Escaper::Attr, Escaper::Rcdata, Escaper::NoSpace})) {
            n.skipLastCommand = true;
        } else if (last.name == "urlquery" && has({Escaper::UrlEscaper, Escaper::UrlNormalizer})) {
            n.skipLastCommand = true;
        }
    }

    const std::map<std::string, NodeList, std::less<>>& raw_;
    Compiled& out_;
    std::map<std::string, Context> ends_;
};

void linkList(NodeList& nodes, Compiled& c) {
    for (auto& n : nodes) {
        if (n.kind == Node::Kind::Template) {
            auto it = c.templates.find(n.text);
            n.target = it == c.templates.end() ? nullptr : &it->second;
        }
        linkList(n.body, c);
        linkList(n.otherwise, c);
    }
}

}  // namespace

void escapeTemplates(const std::map<std::string, NodeList, std::less<>>& raw, const std::string& main, Compiled& out) {
    EscapePass pass(raw, out);
    auto top = [&](const std::string& name) {
        Context end;
        pass.call(name, Context{}, end, Pos{}, name);
        if (end.state != State::Text) {
            throw TemplateError(name, 0, 0, "ends in a non-text context: " + end.describe());
        }
    };
    top(main);
    for (const auto& [name, nodes] : raw) {
        if (name == main) continue;
        try {
            top(name);
        } catch (const TemplateError& e) {
            out.deferredErrors.emplace(name, e.what());
        }
    }
}

void linkTemplates(Compiled& c) {
    for (auto& [name, nodes] : c.templates) linkList(nodes, c);
}

}  // namespace tidings::kernel::tmpl
