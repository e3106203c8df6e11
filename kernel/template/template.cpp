#include "kernel/template/template.hpp"

#include "kernel/template/compiled.hpp"
#include "kernel/template/parser.hpp"

namespace tidings::kernel::tmpl {

namespace {
const std::string kNoName;

bool isEmptyTree(const NodeList& nodes) {
    for (const auto& n : nodes) {
        if (n.kind != Node::Kind::Text) return false;
        for (char c : n.text) {
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
        }
    }
    return true;
}
// Literal text reachable from `nodes` (following {{template}} calls a few levels deep).
std::size_t textSize(const NodeList& nodes, int depth) {
    std::size_t n = 0;
    for (const auto& node : nodes) {
        if (node.kind == Node::Kind::Text) n += node.text.size();
        if (node.kind == Node::Kind::Template && node.target && depth < 4) n += textSize(*node.target, depth + 1);
        n += textSize(node.body, depth) + textSize(node.otherwise, depth);
    }
    return n;
}
}  // namespace

struct TemplateBuilder::State {
    Mode mode = Mode::Html;
    std::shared_ptr<const FunctionTable> functions;
    std::map<std::string, NodeList, std::less<>> raw;
};

TemplateBuilder::TemplateBuilder(Mode mode, const FunctionTable& functions) : state_(std::make_unique<State>()) {
    state_->mode = mode;
    state_->functions = std::make_shared<const FunctionTable>(functions);
}
TemplateBuilder::~TemplateBuilder() = default;
TemplateBuilder::TemplateBuilder(TemplateBuilder&&) noexcept = default;
TemplateBuilder& TemplateBuilder::operator=(TemplateBuilder&&) noexcept = default;

TemplateBuilder& TemplateBuilder::add(const std::string& name, std::string_view source) {
    ParsedSource parsed = parse(name, source, *state_->functions);
    // Go: a definition with an empty body does not replace a non-empty one (so a base template
    // can `{{ define "x" }}{{ end }}` a default that another source fills in, or the reverse).
    auto put = [&](const std::string& n, NodeList&& nodes) {
        auto it = state_->raw.find(n);
        if (it != state_->raw.end() && isEmptyTree(nodes) && !isEmptyTree(it->second)) return;
        state_->raw.insert_or_assign(n, std::move(nodes));
    };
    put(name, std::move(parsed.root));
    for (auto& [n, nodes] : parsed.defines) put(n, std::move(nodes));
    return *this;
}

bool TemplateBuilder::has(std::string_view name) const { return state_->raw.find(name) != state_->raw.end(); }

Template TemplateBuilder::build(const std::string& main) const {
    if (!has(main)) throw TemplateError(main, 0, 0, "no such template \"" + main + "\"");
    auto c = std::make_shared<Compiled>();
    c->functions = state_->functions;
    c->main = main;
    c->mode = state_->mode;
    if (state_->mode == Mode::Html) {
        escapeTemplates(state_->raw, main, *c);
    } else {
        for (const auto& [name, nodes] : state_->raw) c->templates.emplace(name, nodes);
    }
    linkTemplates(*c);
    c->sizeHint = textSize(c->templates.find(main)->second, 0);
    return Template(std::move(c));
}

Template Template::compile(std::string_view name, std::string_view source, Mode mode, const FunctionTable& functions) {
    TemplateBuilder b(mode, functions);
    std::string n(name);
    b.add(n, source);
    return b.build(n);
}

void Template::renderTo(std::string& out, const Value& dot) const {
    if (!compiled_) throw TemplateError("template: empty template");
    renderTo(out, compiled_->main, dot);
}

void Template::renderTo(std::string& out, std::string_view name, const Value& dot) const {
    if (!compiled_) throw TemplateError("template: empty template");
    if (auto e = compiled_->deferredErrors.find(name); e != compiled_->deferredErrors.end()) {
        throw TemplateError(e->second);
    }
    auto it = compiled_->templates.find(name);
    if (it == compiled_->templates.end()) {
        throw TemplateError(std::string(name), 0, 0, "no such template \"" + std::string(name) + "\"");
    }
    execute(*compiled_, it->second, it->first, dot, out);
}

std::string Template::render(const Value& dot) const {
    std::string out;
    if (compiled_) out.reserve(compiled_->sizeHint + compiled_->sizeHint / 4 + 256);
    renderTo(out, dot);
    return out;
}

std::string Template::render(std::string_view name, const Value& dot) const {
    std::string out;
    renderTo(out, name, dot);
    return out;
}

bool Template::has(std::string_view name) const {
    return compiled_ && name.find('$') == std::string_view::npos && compiled_->templates.count(name) != 0;
}

const std::string& Template::name() const { return compiled_ ? compiled_->main : kNoName; }
Mode Template::mode() const { return compiled_ ? compiled_->mode : Mode::Html; }

}  // namespace tidings::kernel::tmpl
